/**
 * The occurrences of the rules in one item, and the guards that drop or veto them.
 *
 * A rule OCCURRENCE is an anchor hit (a term of `any`) in an allowed field with, for every `with`
 * group, a hit in the same sentence and within `within` words; no `unless` term may be in the
 * anchor's sentence. A guard whose cue is in scope of the anchor (before/after/around N words in
 * the same sentence, the same sentence, or anywhere in the item) drops the occurrence (effect
 * drop) or vetoes the item (effect veto). A guard with `fields` counts only cues in those fields
 * (a headline frame: the title). Historical cues holding a year do not count when the
 * year is not before the item's publication year.
 */
import type { Buckets } from './hit-buckets.ts';
import type { Hit } from './matcher.ts';
import type { RuleSet } from './ruleset.ts';
import type { Field } from './schema.ts';
import { isYear, KIND_YEAR, type TokenStream } from './text.ts';

export interface GuardFiring {
  readonly guard: number;
  readonly cue: Hit;
}

export interface Occurrence {
  readonly rule: number;
  /** Anchor first, then one hit per `with` group. */
  readonly hits: readonly Hit[];
  /** Why the occurrence does not count (undefined: it counts). */
  readonly dropped: GuardFiring | 'unless' | undefined;
  readonly unlessHit: Hit | undefined;
}

/** Occurrences that count, looked for per rule (rules that a veto guard applies to: all). */
const MAX_OCCURRENCES_PER_RULE = 3;

function sameSentence(a: Hit, b: Hit): boolean {
  return a.sent === b.sent;
}

function gap(a: Hit, b: Hit): number {
  if (b.start >= a.end) return b.start - a.end;
  if (a.start >= b.end) return a.start - b.end;
  return 0;
}

interface ValidCues {
  readonly cues: Hit[];
  readonly sents: Set<number>;
}

/**
 * A guard's valid cues, computed on first need: no `unless` term in the cue's sentence; a
 * historical cue holding a year counts only when the year is before the publication year.
 */
export class GuardCues {
  private readonly cache: (ValidCues | null | undefined)[];

  constructor(
    private readonly rules: RuleSet,
    private readonly buckets: Buckets,
    private readonly streams: readonly TokenStream[],
    private readonly year: number | undefined
  ) {
    this.cache = new Array(rules.guards.length);
  }

  valid(gi: number): ValidCues | null {
    let out = this.cache[gi];
    if (out === undefined) {
      out = this.compute(gi);
      this.cache[gi] = out;
    }
    return out;
  }

  private compute(gi: number): ValidCues | null {
    const guard = this.rules.guards[gi];
    const cues = this.buckets.guards().cues[gi];
    if (!guard || !cues) return null;
    const unless = this.buckets.guards().unless[gi];
    const historical = guard.spec.kind === 'historical' && this.year !== undefined;
    const fields = guard.spec.fields;
    const valid = cues.filter(
      (cue) =>
        (!fields || fields.includes((this.streams[cue.stream] as TokenStream).field as Field)) &&
        !unless?.some((u) => u.sent === cue.sent) &&
        !(historical && this.namesLaterYear(cue))
    );
    return valid.length > 0 ? { cues: valid, sents: new Set(valid.map((c) => c.sent)) } : null;
  }

  /** The cue holds a year that is not before the publication year. */
  private namesLaterYear(cue: Hit): boolean {
    const ts = this.streams[cue.stream] as TokenStream;
    for (let t = cue.start; t < cue.end; t++) {
      if (ts.kinds[t] !== KIND_YEAR) continue;
      const w = ts.word(t) as string;
      if (isYear(w) && Number(w) >= (this.year as number)) return true;
    }
    return false;
  }
}

/**
 * The hits that make an occurrence of `rule` at anchor `a`: the anchor, then for each `with`
 * group the nearest hit in the same sentence within `within` words; undefined when a group has
 * none.
 */
function chooseHits(
  rule: RuleSet['rules'][number],
  groups: readonly Hit[][],
  a: Hit
): Hit[] | undefined {
  const chosen: Hit[] = [a];
  for (let g = 1; g < groups.length; g++) {
    let best: Hit | undefined;
    for (const h of groups[g] as Hit[]) {
      if (h.start === a.start && h.end === a.end) continue;
      if (!sameSentence(a, h)) continue;
      const d = gap(a, h);
      if (d > rule.within) continue;
      if (!best || d < gap(a, best)) best = h;
    }
    if (!best) return undefined;
    chosen.push(best);
  }
  return chosen;
}

/** The occurrences of the rules, the vetoes and the rules that fired. */
export function evaluateRules(
  rules: RuleSet,
  buckets: Buckets,
  guards: GuardCues,
  fieldIndex: readonly number[]
): { occurrences: Occurrence[]; vetoes: GuardFiring[]; fired: number[] } {
  const occurrences: Occurrence[] = [];
  const vetoes: GuardFiring[] = [];
  const fired: number[] = [];
  for (const ri of buckets.ruleOrder) {
    const rule = rules.rules[ri];
    const groups = buckets.ruleGroups[ri];
    if (!rule || !groups || groups.some((g) => g.length === 0)) continue;
    const anchors = groups[0] as Hit[];
    const unless = buckets.ruleUnless[ri];
    let effective = 0;
    const hasVeto = rules.vetoRules[ri] === true;
    for (const a of anchors) {
      // Enough evidence for the score and the listed matches; veto guards need every occurrence.
      if (effective >= MAX_OCCURRENCES_PER_RULE && !hasVeto) break;
      if (!(rule.fieldMask & (1 << (fieldIndex[a.stream] as number)))) continue;
      const chosen = chooseHits(rule, groups, a);
      if (!chosen) continue;
      const u = unless?.find((h) => sameSentence(a, h));
      if (u) {
        occurrences.push({ rule: ri, hits: chosen, dropped: 'unless', unlessHit: u });
        continue;
      }
      const dropped = guardFiring(rules, buckets, guards, ri, a, vetoes);
      if (dropped) {
        occurrences.push({ rule: ri, hits: chosen, dropped, unlessHit: undefined });
        continue;
      }
      effective++;
      if (effective <= MAX_OCCURRENCES_PER_RULE) {
        occurrences.push({ rule: ri, hits: chosen, dropped: undefined, unlessHit: undefined });
      }
    }
    if (effective > 0) fired.push(ri);
  }
  return { occurrences, vetoes, fired };
}

/**
 * The first drop guard whose cue is in scope of rule `ri`'s anchor `a`, if any; veto guards in
 * scope are added to `vetoes` (once each) on the way.
 */
function guardFiring(
  rules: RuleSet,
  buckets: Buckets,
  guards: GuardCues,
  ri: number,
  a: Hit,
  vetoes: GuardFiring[]
): GuardFiring | undefined {
  for (const gi of buckets.guards().cued) {
    const guard = rules.guards[gi];
    if (!guard?.applies[ri]) continue;
    const valid = guards.valid(gi);
    if (!valid) continue;
    if (guard.spec.scope.kind !== 'item' && !valid.sents.has(a.sent)) continue;
    const cue = valid.cues.find((c) => inScope(guard.spec.scope, c, a));
    if (!cue) continue;
    if (guard.spec.effect === 'veto') {
      if (!vetoes.some((v) => v.guard === gi)) vetoes.push({ guard: gi, cue });
      continue;
    }
    return { guard: gi, cue };
  }
  return undefined;
}

/** The guard cue `cue` is within `scope` of the anchor. */
function inScope(
  scope: RuleSet['spec']['guards'][number]['scope'],
  cue: Hit,
  anchor: Hit
): boolean {
  if (scope.kind === 'item') return true;
  if (!sameSentence(cue, anchor)) return false;
  if (scope.kind === 'sentence') return true;
  const overlap = cue.start < anchor.end && anchor.start < cue.end;
  if (overlap) return true;
  if (scope.kind === 'before' || scope.kind === 'around') {
    if (cue.end <= anchor.start && anchor.start - cue.end <= scope.words) return true;
  }
  if (scope.kind === 'after' || scope.kind === 'around') {
    if (cue.start >= anchor.end && cue.start - anchor.end <= scope.words) return true;
  }
  return false;
}
