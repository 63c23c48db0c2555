/**
 * How well a report fits an open event (see `matchScore`), each part in [0, 1]:
 *
 *   score = 0.35 * place + 0.15 * category + 0.15 * time + 0.35 * text
 *
 * - place (the event's key places against the report's: places named in a headline or lede,
 *   wire datelines aside, or given by two independent outlets; see `keyPlaces` in
 *   aggregates.ts): 1 when they share a city or region; 0.6 when they share a country and one
 *   side names no place inside it; 0.3 when they share only the country while both name
 *   different cities, or when one side names no place at all; 0 when both name places and share
 *   none, which vetoes the match (a copy names the same places as its original, so copies are
 *   not lost).
 * - category: 1 when they share a category, 0.5 when both are of one family (violence; coups and
 *   declarations of war; chemical weapons), 0.2 otherwise.
 * - time: 1 when the report falls inside the event's span, falling linearly to 0 at `windowHours`
 *   away; beyond that it cannot join.
 * - text: token-set similarity of title and summary against the closest report of the event
 *   (mean of Jaccard and overlap, see text-similarity.ts).
 *
 * A report whose wording nearly copies one already in the event (a wire story republished)
 * scores at least 1, so it always joins (within the window and sharing a place).
 *
 * A city or region the event shares with the report but that few of its reports name (not its
 * first report's, and fewer than a quarter) counts 0.5: a large event is not about every place
 * it mentions. When one side names no place, a named armed actor both name stands in for it
 * (place 0.7), and a people it names ("Israelis", "Ukrainian villagers") may stand in as that
 * country (common/places.ts), never to keep a report out.
 *
 * A report naming another kind of site than the one the event's first report names (a school,
 * where the event is about a market: incident.ts) reports another incident and cannot join,
 * whatever it scores: figures are never compared across incidents. An event whose first report
 * names no site is a story: reports of any site of its place may join it.
 */
import { isCountry, placeKey } from '../common/places.ts';
import { eventSnapshot } from './aggregates.ts';
import { type ClusterOptions, resolveOptions } from './cluster-options.ts';
import { type EventCluster, type EventReport, inCanonicalOrder } from './event-state.ts';
import { differentSites } from './incident.ts';
import { isNearCopy, MIN_COPY_SHINGLES, overlap, topicSimilarity } from './text-similarity.ts';

const CATEGORY_FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['political', /coup|invasion|declar|war-declared|martial/],
  ['chemical', /chemical|biological|nuclear|radiolog/],
];

const familyOf = (category: string): string =>
  CATEGORY_FAMILIES.find(([, re]) => re.test(category))?.[0] ?? 'violence';

/** Category part of the score (see the module comment). */
export const categoryScore = (a: readonly string[], b: readonly string[]): number => {
  if (a.length === 0 || b.length === 0) return 0.5;
  const set = new Set(a);
  if (b.some((c) => set.has(c))) return 1;
  const families = new Set(a.map(familyOf));
  return b.some((c) => families.has(familyOf(c))) ? 0.5 : 0.2;
};

/**
 * Place part of the score (see the module comment). `central`, when given, holds the keys of the
 * places the event is mostly about: a city or region shared with the event but named by few of
 * its reports (a border town in one report of a war's event) counts 0.5, not 1.
 */
export const placeScore = (
  a: readonly string[],
  b: readonly string[],
  central?: ReadonlySet<string>
): number => {
  if (a.length === 0 || b.length === 0) return 0.3;
  const keysA = new Set(a.map(placeKey));
  const shared = b.filter((p) => keysA.has(placeKey(p)));
  const sharedCities = shared.filter((p) => !isCountry(p));
  if (sharedCities.length > 0) {
    return !central || sharedCities.some((p) => central.has(placeKey(p))) ? 1 : 0.5;
  }
  if (shared.length > 0) {
    const onlyCountries = (list: readonly string[]) => list.every(isCountry);
    return onlyCountries(a) || onlyCountries(b) ? 0.6 : 0.3;
  }
  return 0;
};

/** Time part of the score: 1 inside the event's span, 0 at `windowMs` away, negative beyond. */
const timeScore = (event: EventCluster, time: number, windowMs: number): number => {
  const gap = Math.max(0, Date.parse(event.firstSeen) - time, time - Date.parse(event.lastSeen));
  return 1 - gap / windowMs;
};

const allTokens = (r: EventReport): string[] => [...r.titleTokens, ...r.summaryTokens];

/** True when report b republishes report a's text (whole, or the summary with another headline). */
const copies = (a: EventReport, b: EventReport): boolean =>
  isNearCopy(allTokens(a), allTokens(b)) ||
  (a.summaryTokens.length > MIN_COPY_SHINGLES &&
    b.summaryTokens.length > MIN_COPY_SHINGLES &&
    isNearCopy(a.summaryTokens, b.summaryTokens));

export interface MatchScore {
  readonly score: number;
  readonly place: number;
  readonly category: number;
  readonly time: number;
  readonly text: number;
  /** The item id of the event's report that the new report copies, if any. */
  readonly copyOf?: string;
}

/** Share of an event's reports that must name a place for the event to be about it. */
const CENTRAL_SHARE = 0.25;

/**
 * The places an event is about: those its first report names, or a quarter of its reports
 * name. A large event collects many places in passing; matching on every one of them would
 * draw in every report of the region.
 */
const centralPlaces = (event: EventCluster): Set<string> => {
  const counts = new Map<string, number>();
  for (const r of event.reports) {
    for (const key of new Set(reportPlaces(r).map(placeKey))) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const first = inCanonicalOrder(event.reports)[0];
  const central = new Set(first ? reportPlaces(first).map(placeKey) : []);
  for (const [key, n] of counts) if (n >= CENTRAL_SHARE * event.reports.length) central.add(key);
  return central;
};

/** A report's own key places; all its places when its lede names none. */
const reportPlaces = (r: EventReport): string[] =>
  r.keyPlaces && r.keyPlaces.length > 0 ? r.keyPlaces : r.places;
/**
 * The site an event is about: what the report that opened it says was hit. An event opened by a
 * report naming no site is a story (an offensive, a war's first day): reports of any site of its
 * place may join it.
 */
const eventSites = (event: EventCluster): readonly string[] =>
  event.sites ?? inCanonicalOrder(event.reports)[0]?.sites ?? [];

/** True when the report names an armed actor some report of the event names. */
const sharesActor = (event: EventCluster, report: EventReport): boolean => {
  const actors = new Set(event.reports.flatMap((r) => r.actors ?? []));
  return (report.actors ?? []).some((a) => actors.has(a));
};

/** Place part when one side names no place but both name the same armed actor. */
const ACTOR_PLACE = 0.7;
const eventCategories = (event: EventCluster): string[] => [
  ...new Set(event.reports.flatMap((r) => r.categories)),
];

/**
 * How well a report fits an event (see the module comment), or undefined when it cannot join:
 * outside the time window, or naming only places the event does not (unless it is a copy).
 */
export const matchScore = (
  event: EventCluster,
  report: EventReport,
  options: ClusterOptions = {}
): MatchScore | undefined => {
  const { windowMs } = resolveOptions(options);
  const time = timeScore(event, Date.parse(report.time), windowMs);
  if (time < 0) return undefined;
  // No shared place vetoes the match. A copy is no exception: it is classified from the same
  // text as its original, so it names the same places.
  const eventPlaces = eventSnapshot(event.reports).places;
  const ownPlaces = reportPlaces(report);
  let place = placeScore(eventPlaces, ownPlaces, centralPlaces(event));
  if (place === 0) return undefined;
  // "Israelis beg for help": no place named, but the people named say which country.
  if (ownPlaces.length === 0 && report.impliedPlaces) {
    place = Math.max(place, placeScore(eventPlaces, report.impliedPlaces));
  }
  // "Hamas militants stormed his home": no place named, but the actor says which war it is.
  if ((eventPlaces.length === 0 || ownPlaces.length === 0) && sharesActor(event, report)) {
    place = Math.max(place, ACTOR_PLACE);
  }
  // Another kind of site hit (a school, where the event is a market): another incident.
  if (differentSites(eventSites(event), report.sites ?? [])) return undefined;
  const category = categoryScore(eventCategories(event), report.categories);
  const tokens = new Set(allTokens(report));
  let text = 0;
  let copyOf: string | undefined;
  // Deterministic: the earliest copied report wins, whatever order they were attached in.
  for (const other of inCanonicalOrder(event.reports)) {
    const otherTokens = new Set(allTokens(other));
    text = Math.max(text, topicSimilarity(tokens, otherTokens));
    // Word-pair comparison only where the words largely agree (a copy always does).
    if (copyOf === undefined && overlap(tokens, otherTokens) >= 0.5 && copies(other, report)) {
      copyOf = other.copyOf ?? other.itemId;
    }
  }
  const score = 0.35 * place + 0.15 * category + 0.15 * time + 0.35 * text;
  if (copyOf !== undefined) {
    return { score: Math.max(score, 1), place, category, time, text, copyOf };
  }
  return { score, place, category, time, text };
};
