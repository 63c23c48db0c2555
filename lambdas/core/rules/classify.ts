/**
 * Classification: tokenise the item's fields once, scan them once with the rule set's matcher,
 * then evaluate only the rules and guards whose terms occurred.
 *
 * A rule OCCURRENCE is an anchor hit (a term of `any`) in an allowed field with, for every `with`
 * group, a hit in the same sentence and within `within` words; no `unless` term may be in the
 * anchor's sentence. A guard whose cue is in scope of the anchor (before/after/around N words in
 * the same sentence, the same sentence, or anywhere in the item) drops the occurrence (effect
 * drop) or vetoes the item (effect veto). A guard with `fields` counts only cues in those fields
 * (a headline frame: the title). Historical cues holding a year do not count when the
 * year is not before the item's publication year.
 *
 * score = the sum of the weights of the rules with at least one occurrence left (each rule counts
 * once). escalation = score >= threshold and no veto.
 */
import type { Casualties, Classification, Item, RuleMatch, Severity } from '../common/types.ts';
import { extractCasualties } from './extract.ts';
import { type Hit, RefType } from './matcher.ts';
import type { RuleSet } from './ruleset.ts';
import { FIELDS, type Field } from './schema.ts';
import { assessSeverity } from './severity.ts';
import { isYear, TokenStream, tokenize } from './text.ts';

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

const MAX_OCCURRENCES_PER_RULE = 3;

function sameSentence(_streams: readonly TokenStream[], a: Hit, b: Hit): boolean {
  return a.sent === b.sent;
}

function gap(a: Hit, b: Hit): number {
  if (b.start >= a.end) return b.start - a.end;
  if (a.start >= b.end) return a.start - b.end;
  return 0;
}

function publishedYear(item: Item): number | undefined {
  const p = item.published;
  if (!p || p.length < 5 || p.charCodeAt(4) !== 45 /* - */) return undefined;
  const y = Number(p.slice(0, 4));
  return Number.isInteger(y) ? y : undefined;
}

/** Token streams reused by every call (classification is synchronous): no per-token garbage. */
const POOL: TokenStream[] = [new TokenStream(), new TokenStream(), new TokenStream()];

interface Located {
  readonly index: number;
  readonly hit: Hit;
}

/** Guard cues and guards' `unless` hits, by guard index. */
interface GuardBuckets {
  readonly cues: (Hit[] | undefined)[];
  /** Guards in order of their first cue in the text. */
  readonly cued: number[];
  readonly unless: (Hit[] | undefined)[];
}

/**
 * The hits of one item sorted by what uses them (arrays by rule or guard index). Guard hits are
 * sorted on first need: most items have no rule occurrence for a guard to judge.
 */
class Buckets {
  /** Per rule: one list of hits per group (anchor group first). */
  readonly ruleGroups: (Hit[][] | undefined)[];
  /** Rules in order of their first hit in the text (deterministic for a given item). */
  readonly ruleOrder: number[] = [];
  readonly ruleUnless: (Hit[] | undefined)[];
  readonly placeHits: Located[] = [];
  readonly actorHits: Located[] = [];
  private guardBuckets: GuardBuckets | undefined;

  constructor(
    private readonly rules: RuleSet,
    private readonly hits: readonly Hit[]
  ) {
    this.ruleGroups = new Array(rules.rules.length);
    this.ruleUnless = new Array(rules.rules.length);
    // A rule without an anchor in the item cannot match: its other hits are not kept.
    const anchored = new Uint8Array(rules.rules.length);
    const anchors = rules.matcher.refTable('anchors');
    for (const hit of hits) {
      const end = anchors.start[hit.term + 1] as number;
      for (let r = anchors.start[hit.term] as number; r < end; r++) {
        anchored[anchors.index[r] as number] = 1;
      }
    }
    const refs = rules.matcher.refTable('rules');
    for (const hit of hits) {
      const end = refs.start[hit.term + 1] as number;
      for (let r = refs.start[hit.term] as number; r < end; r++) {
        const index = refs.index[r] as number;
        switch (refs.type[r]) {
          case RefType.RuleGroup:
            if (anchored[index] === 1) this.addToGroup(index, refs.group[r] as number, hit);
            break;
          case RefType.RuleUnless:
            if (anchored[index] === 1) push(this.ruleUnless, index, hit);
            break;
          case RefType.Place:
            this.placeHits.push({ index, hit });
            break;
          case RefType.Actor:
            this.actorHits.push({ index, hit });
            break;
        }
      }
    }
  }

  private addToGroup(rule: number, group: number, hit: Hit): void {
    let g = this.ruleGroups[rule];
    if (!g) {
      g = [];
      for (let k = 0; k < (this.rules.rules[rule]?.groups ?? 1); k++) g.push([]);
      this.ruleGroups[rule] = g;
      this.ruleOrder.push(rule);
    }
    g[group]?.push(hit);
  }

  guards(): GuardBuckets {
    if (!this.guardBuckets) {
      const out: GuardBuckets = {
        cues: new Array(this.rules.guards.length),
        cued: [],
        unless: new Array(this.rules.guards.length),
      };
      const refs = this.rules.matcher.refTable('guards');
      for (const hit of this.hits) {
        const end = refs.start[hit.term + 1] as number;
        for (let r = refs.start[hit.term] as number; r < end; r++) {
          const index = refs.index[r] as number;
          if (refs.type[r] === RefType.GuardCue) {
            if (!out.cues[index]) out.cued.push(index);
            push(out.cues, index, hit);
          } else {
            push(out.unless, index, hit);
          }
        }
      }
      this.guardBuckets = out;
    }
    return this.guardBuckets;
  }
}

interface ValidCues {
  readonly cues: Hit[];
  readonly sents: Set<number>;
}

/**
 * A guard's valid cues, computed on first need: no `unless` term in the cue's sentence; a
 * historical cue holding a year counts only when the year is before the publication year.
 */
class GuardCues {
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
    const words = (this.streams[cue.stream] as TokenStream).words;
    for (let t = cue.start; t < cue.end; t++) {
      const w = words[t] as string;
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
  streams: readonly TokenStream[],
  a: Hit
): Hit[] | undefined {
  const chosen: Hit[] = [a];
  for (let g = 1; g < groups.length; g++) {
    let best: Hit | undefined;
    for (const h of groups[g] as Hit[]) {
      if (h.start === a.start && h.end === a.end) continue;
      if (!sameSentence(streams, a, h)) continue;
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
function evaluateRules(
  rules: RuleSet,
  buckets: Buckets,
  guards: GuardCues,
  streams: readonly TokenStream[],
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
      const chosen = chooseHits(rule, groups, streams, a);
      if (!chosen) continue;
      const u = unless?.find((h) => sameSentence(streams, a, h));
      if (u) {
        occurrences.push({ rule: ri, hits: chosen, dropped: 'unless', unlessHit: u });
        continue;
      }
      const dropped = guardFiring(rules, buckets, guards, streams, ri, a, vetoes);
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
  streams: readonly TokenStream[],
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
    const cue = valid.cues.find((c) => inScope(streams, guard.spec.scope, c, a));
    if (!cue) continue;
    if (guard.spec.effect === 'veto') {
      if (!vetoes.some((v) => v.guard === gi)) vetoes.push({ guard: gi, cue });
      continue;
    }
    return { guard: gi, cue };
  }
  return undefined;
}

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
  const { occurrences, vetoes, fired } = evaluateRules(rules, buckets, guards, streams, fieldIndex);

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
      ? extractCasualties(streams, (s, sentence) => effectiveSentences.has(s * 65536 + sentence))
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

function push(lists: (Hit[] | undefined)[], key: number, hit: Hit): void {
  const list = lists[key];
  if (list) list.push(hit);
  else lists[key] = [hit];
}

function inScope(
  streams: readonly TokenStream[],
  scope: RuleSet['spec']['guards'][number]['scope'],
  cue: Hit,
  anchor: Hit
): boolean {
  if (scope.kind === 'item') return true;
  if (!sameSentence(streams, cue, anchor)) return false;
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

/**
 * Hits sorted by field and position. The scan emits them in that order already, so the sort
 * (stable) is skipped when it would change nothing.
 */
function inTextOrder<T extends { hit: Hit }>(list: readonly T[]): readonly T[] {
  for (let k = 1; k < list.length; k++) {
    const a = (list[k - 1] as T).hit;
    const b = (list[k] as T).hit;
    if (a.stream > b.stream || (a.stream === b.stream && a.start > b.start)) {
      return [...list].sort((x, y) => x.hit.stream - y.hit.stream || x.hit.start - y.hit.start);
    }
  }
  return list;
}

/**
 * Places, most specific first: sub-national places (those named in the sentences that carry a
 * match, most mentioned there first, then by first mention), then their countries, then countries
 * named in those sentences. When no matched sentence names a place, every place named counts.
 */
function orderPlaces(
  rules: RuleSet,
  placeHits: readonly Located[],
  streams: readonly TokenStream[],
  effectiveSentences: ReadonlySet<number>
): string[] {
  const places = rules.spec.places;
  const sorted = inTextOrder(placeHits);
  const inMatch = sorted.filter(({ hit }) => effectiveSentences.has(hit.sent));
  const use = inMatch.length > 0 ? inMatch : sorted;
  const mentions = new Map<number, { count: number; first: number }>();
  use.forEach(({ index, hit }, order) => {
    // A dateline in capitals ("DAMASCUS/JERUSALEM (Agency) -") says where the reporter is: half weight.
    const ts = streams[hit.stream] as TokenStream;
    const text = ts.text.slice(ts.starts[hit.start], ts.ends[hit.end - 1]);
    const weight = text.length > 3 && text === text.toUpperCase() ? 0.5 : 1;
    const m = mentions.get(index);
    if (m) m.count += weight;
    else mentions.set(index, { count: weight, first: order });
  });
  const ranked = [...mentions];
  if (ranked.length > 1) {
    ranked.sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first);
  }
  const local: string[] = [];
  const countries: string[] = [];
  for (const [index] of ranked) {
    const p = places[index];
    if (p?.country && !local.includes(p.name)) local.push(p.name);
  }
  for (const [index] of ranked) {
    const c = places[index]?.country;
    if (c && !countries.includes(c)) countries.push(c);
  }
  for (const [index] of ranked) {
    const p = places[index];
    if (p && !p.country && !countries.includes(p.name)) countries.push(p.name);
  }
  return [...local, ...countries];
}

function orderActors(rules: RuleSet, actorHits: readonly Located[]): string[] {
  const out: string[] = [];
  for (const { index } of inTextOrder(actorHits)) {
    const name = rules.spec.actors[index]?.name;
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
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
