/** The places and actors an item names, in the order a result lists them. */
import type { Located } from './hit-buckets.ts';
import type { Hit } from './matcher.ts';
import type { RuleSet } from './ruleset.ts';
import type { TokenStream } from './text.ts';

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
export function orderPlaces(
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

export function orderActors(rules: RuleSet, actorHits: readonly Located[]): string[] {
  const out: string[] = [];
  for (const { index } of inTextOrder(actorHits)) {
    const name = rules.spec.actors[index]?.name;
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}
