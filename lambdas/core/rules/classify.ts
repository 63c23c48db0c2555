/**
 * Classification: tokenise the item's fields once, scan them once with the rule set's matcher,
 * then evaluate only the rules and guards whose terms occurred: the hits sorted by what uses them
 * (hit-buckets.ts), the rules' occurrences and the guards judged (occurrences.ts), the places and
 * actors ordered (mentions.ts), the casualties read (extract.ts) and the tier set (severity.ts).
 *
 * score = the sum of the weights of the rules with at least one occurrence left (each rule counts
 * once). escalation = score >= threshold and no veto.
 */
import type { Casualties, Classification, Item, RuleMatch, Severity } from '../common/types.ts';
import { extractCasualties } from './extract.ts';
import { Buckets } from './hit-buckets.ts';
import { type Hit, sentenceKey } from './matcher.ts';
import { orderActors, orderPlaces } from './mentions.ts';
import { evaluateRules, GuardCues, type GuardFiring, type Occurrence } from './occurrences.ts';
import type { RuleSet } from './ruleset.ts';
import { FIELDS } from './schema.ts';
import { assessSeverity } from './severity.ts';
import { TokenStream, tokenize } from './text.ts';

export interface Trace {
  readonly streams: readonly TokenStream[];
  readonly fieldIndex: readonly number[];
  readonly occurrences: readonly Occurrence[];
  readonly fired: readonly number[];
  readonly score: number;
  readonly vetoes: readonly GuardFiring[];
  readonly casualties: Casualties;
  readonly places: string[];
  readonly actors: string[];
  readonly categories: string[];
  readonly severity: Severity;
  readonly severitySteps: readonly string[];
  readonly escalation: boolean;
}

function publishedYear(item: Item): number | undefined {
  const p = item.published;
  if (!p || p.length < 5 || p.charCodeAt(4) !== 45 /* - */) return undefined;
  const y = Number(p.slice(0, 4));
  return Number.isInteger(y) ? y : undefined;
}

/** Token streams reused by every call (classification is synchronous): no per-token garbage. */
const POOL: TokenStream[] = [new TokenStream(), new TokenStream(), new TokenStream()];

/** The categories of the rules that fired, heaviest rule first, plus mass casualties. */
function categoriesOf(
  rules: RuleSet,
  fired: readonly number[],
  escalation: boolean,
  casualties: Casualties
): string[] {
  const categories: string[] = [];
  for (const ri of [...fired].sort(
    (a, b) => (rules.rules[b]?.weight ?? 0) - (rules.rules[a]?.weight ?? 0)
  )) {
    const c = rules.rules[ri]?.category;
    if (c && !categories.includes(c)) categories.push(c);
  }
  if (
    escalation &&
    casualties.killed !== undefined &&
    casualties.killed >= rules.spec.severity.massCasualties &&
    rules.spec.categories.some((c) => c.id === 'mass-casualties') &&
    !categories.includes('mass-casualties')
  ) {
    categories.push('mass-casualties');
  }
  return categories;
}

/**
 * Evaluate an item against the rules, keeping every step for explanations. The trace's token
 * streams are reused by the next call: read the trace before classifying another item.
 */
export function trace(item: Item, rules: RuleSet): Trace {
  const streams: TokenStream[] = [];
  const fieldIndex: number[] = [];
  const hits: Hit[] = [];
  const m = rules.matcher;
  for (let f = 0; f < FIELDS.length; f++) {
    const text = item[FIELDS[f] as 'title' | 'summary' | 'content'];
    if (typeof text !== 'string' || text.length === 0) continue;
    const ts = tokenize(FIELDS[f] as string, text, m.vocab, POOL[streams.length]);
    m.scan(ts, streams.length, hits);
    streams.push(ts);
    fieldIndex.push(f);
  }
  const buckets = new Buckets(rules, hits);
  const guards = new GuardCues(rules, buckets, streams, publishedYear(item));
  const { occurrences, vetoes, fired } = evaluateRules(rules, buckets, guards, fieldIndex);

  let score = 0;
  for (const ri of fired) score += rules.rules[ri]?.weight ?? 0;
  score = Math.round(score * 1000) / 1000;
  const escalation = score >= rules.threshold && vetoes.length === 0;

  // Casualties from the sentences holding an effective occurrence.
  const effectiveSentences = new Set<number>();
  for (const o of occurrences) {
    if (o.dropped) continue;
    for (const h of o.hits) effectiveSentences.add(h.sent);
  }
  const casualties =
    fired.length > 0
      ? extractCasualties(streams, (s, sentence) =>
          effectiveSentences.has(sentenceKey(s, sentence))
        )
      : {};
  const categories = categoriesOf(rules, fired, escalation, casualties);
  const tiers = categories.map((id) => ({
    id,
    severity: rules.spec.categories.find((c) => c.id === id)?.severity ?? 'low',
  }));
  const sev = assessSeverity(escalation, tiers, casualties, rules.spec.severity);

  return {
    streams,
    fieldIndex,
    occurrences,
    fired,
    score,
    vetoes,
    casualties,
    places: orderPlaces(rules, buckets.placeHits, streams, effectiveSentences),
    actors: orderActors(rules, buckets.actorHits),
    categories,
    severity: sev.severity,
    severitySteps: sev.steps,
    escalation,
  };
}

/** The original text and character span of a hit. */
export function span(
  t: Trace,
  hit: Hit
): { field: string; start: number; end: number; text: string } {
  const ts = t.streams[hit.stream] as TokenStream;
  const start = ts.starts[hit.start] as number;
  const end = ts.ends[hit.end - 1] as number;
  return { field: ts.field, start, end, text: ts.text.slice(start, end) };
}

export function classify(item: Item, rules: RuleSet): Classification {
  const t = trace(item, rules);
  // The first occurrence of each rule (title first, then summary, content) shows why it fired;
  // explain() lists more.
  const matches: RuleMatch[] = [];
  const listed = new Set<number>();
  for (const o of t.occurrences) {
    if (o.dropped || listed.has(o.rule)) continue;
    listed.add(o.rule);
    const id = rules.rules[o.rule]?.id ?? '';
    const hits = o.hits;
    for (let k = 0; k < hits.length; k++) {
      const h = hits[k] as Hit;
      // One entry per rule and span (one occurrence is listed per rule: compare its own hits).
      let repeated = false;
      for (let j = 0; j < k && !repeated; j++) {
        const p = hits[j] as Hit;
        repeated = p.stream === h.stream && p.start === h.start && p.end === h.end;
      }
      if (repeated) continue;
      const s = span(t, h);
      matches.push({ rule: id, text: s.text, field: s.field, start: s.start, end: s.end });
    }
  }
  const out: { -readonly [K in keyof Classification]: Classification[K] } = {
    id: item.id,
    escalation: t.escalation,
    severity: t.severity,
    score: t.score,
    categories: t.categories,
    places: t.places,
    matches,
  };
  if (t.casualties.killed !== undefined || t.casualties.injured !== undefined) {
    out.casualties = t.casualties;
  }
  if (t.actors.length > 0) out.actors = t.actors;
  return out;
}
