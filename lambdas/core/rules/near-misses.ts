/**
 * The rules that nearly fired on an item, for `--explain` only (classification never computes
 * them): a rule whose anchor matched but that has no occurrence, because a partner (`with`/`all`
 * group) is missing, too far from the anchor or in another sentence, or because the anchor is in
 * a field the rule does not read. (Occurrences a guard or an unless term dropped are explained
 * with the trace's occurrences.) The item's fields are scanned again here, so the hot path keeps
 * none of this.
 */
import type { Trace } from './classify.ts';
import { Buckets } from './hit-buckets.ts';
import type { Hit } from './matcher.ts';
import type { RuleSet } from './ruleset.ts';

/** Near misses listed at most, the nearest first. */
export const MAX_NEAR_MISSES = 5;

export interface NearMiss {
  readonly rule: number;
  readonly anchor: Hit;
  /** Why the rule did not fire at this anchor, one clause per unmet condition. */
  readonly reasons: readonly string[];
  /** Lower is nearer: unmet conditions first, then how far the nearest partner was. */
  readonly distance: number;
}

const gap = (a: Hit, b: Hit): number =>
  b.start >= a.end ? b.start - a.end : a.start >= b.end ? a.start - b.end : 0;

/** A group's terms as a message lists them: the first few and how many more. */
const termsOf = (terms: readonly string[]): string => {
  const shown = terms.slice(0, 4).join(', ');
  return terms.length > 4 ? `[${shown}, ... ${terms.length - 4} more]` : `[${shown}]`;
};

/** Weights of an unmet condition in a near miss's distance (one unmet group outweighs any gap). */
const UNMET = 10_000;
const OTHER_SENTENCE = 1_000;
const MISSING = 5_000;

/**
 * The near misses of a traced item, the nearest first, at most `max`; `text(hit)` quotes a hit.
 * Read the trace before classifying another item (its token streams are reused).
 */
export function nearMisses(
  rules: RuleSet,
  t: Trace,
  text: (hit: Hit) => string,
  max = MAX_NEAR_MISSES
): { shown: NearMiss[]; more: number } {
  const hits: Hit[] = [];
  t.streams.forEach((ts, i) => {
    rules.matcher.scan(ts, i, hits);
  });
  const buckets = new Buckets(rules, hits);
  const occurred = new Set(t.occurrences.map((o) => o.rule));
  const found: NearMiss[] = [];
  for (const ri of buckets.ruleOrder) {
    const rule = rules.rules[ri];
    const groups = buckets.ruleGroups[ri];
    const spec = rules.spec.rules[ri];
    if (!rule || !groups || !spec || occurred.has(ri)) continue;
    let best: NearMiss | undefined;
    for (const a of groups[0] ?? []) {
      const reasons: string[] = [];
      let distance = 0;
      const field = t.streams[a.stream]?.field ?? '';
      if (!(rule.fieldMask & (1 << (t.fieldIndex[a.stream] as number)))) {
        reasons.push(`the rule reads only ${rule.fields.join(', ')}, not the ${field}`);
        distance += UNMET;
      }
      for (let g = 1; g < groups.length; g++) {
        const terms = termsOf(spec.with[g - 1] ?? []);
        let near: Hit | undefined;
        let elsewhere: Hit | undefined;
        for (const h of groups[g] as Hit[]) {
          if (h.start === a.start && h.end === a.end && h.stream === a.stream) continue;
          if (h.sent !== a.sent) elsewhere ??= h;
          else if (!near || gap(a, h) < gap(a, near)) near = h;
        }
        if (near && gap(a, near) <= rule.within) continue;
        distance += UNMET;
        if (near) {
          distance += gap(a, near) - rule.within;
          reasons.push(
            `none of ${terms} within ${rule.within} words (${text(near)} is ${gap(a, near)} words away)`
          );
        } else if (elsewhere) {
          distance += OTHER_SENTENCE;
          reasons.push(
            `none of ${terms} in its sentence (${text(elsewhere)} is in another sentence)`
          );
        } else {
          distance += MISSING;
          reasons.push(`none of ${terms} in the item`);
        }
      }
      if (reasons.length > 0 && (!best || distance < best.distance)) {
        best = { rule: ri, anchor: a, reasons, distance };
      }
    }
    if (best) found.push(best);
  }
  found.sort((x, y) => x.distance - y.distance || x.rule - y.rule);
  return { shown: found.slice(0, max), more: Math.max(0, found.length - max) };
}
