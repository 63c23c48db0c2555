/**
 * The facts of an event, aggregated from its reports: how bad (the highest severity, the
 * casualty figures as reported), what (categories, most reported first), where (the key places),
 * who reported it in their own words, and which report tells the most. Pure.
 *
 * Every aggregate is computed from the reports in canonical order (see event-state.ts), so the
 * same reports give the same facts whatever order they arrived in.
 */
import { isCountry, placeKey } from '../common/places.ts';
import type { CasualtyFigures, Severity } from '../common/types.ts';
import { severityRank } from '../common/types.ts';
import { type EventReport, type EventSnapshot, inCanonicalOrder } from './event-state.ts';

const maxSeverity = (reports: readonly EventReport[]): Severity =>
  reports.reduce<Severity>(
    (max, r) => (severityRank(r.severity) > severityRank(max) ? r.severity : max),
    'none'
  );

/** Names by how many reports give them, then by their mean position in the reports' lists. */
const rankByReports = (
  lists: ReadonlyArray<readonly string[]>,
  key: (name: string) => string
): { name: string; count: number; position: number }[] => {
  const seen = new Map<string, { name: string; count: number; position: number }>();
  for (const list of lists) {
    list.forEach((name, i) => {
      const k = key(name);
      const position = list.length > 1 ? i / (list.length - 1) : 0;
      const entry = seen.get(k);
      if (entry) {
        entry.count += 1;
        entry.position += position;
        if (name < entry.name) entry.name = name;
      } else {
        seen.set(k, { name, count: 1, position });
      }
    });
  }
  return [...seen.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.position / a.count - b.position / b.count ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
};

/** Categories, most reported first, then as the classifier ordered them. */
const rankCategories = (reports: readonly EventReport[]): string[] =>
  rankByReports(
    reports.map((r) => r.categories),
    (c) => c
  ).map((e) => e.name);

/**
 * Places, most specific first as the reports list them: cities and regions before countries,
 * then the most reported, then the earliest position in the reports' own lists.
 */
const rankPlaces = (reports: readonly EventReport[]): string[] => {
  const ranked = rankByReports(
    reports.map((r) => r.places),
    placeKey
  );
  // Stable sort: cities and regions first, each group keeping its rank.
  return [...ranked]
    .sort((a, b) => Number(isCountry(a.name)) - Number(isCountry(b.name)))
    .map((e) => e.name);
};

/**
 * Where the event happens: the places some report names in its headline or lede, or that two
 * independent outlets both give; with the most reported country when none of those is one.
 * Places mentioned only for context deep in one article (a capital, a neighbour) stay out, so
 * they neither show as "where" nor match subscription filters. All places when none qualify.
 */
export const keyPlaces = (reports: readonly EventReport[]): string[] => {
  const ranked = rankPlaces(reports);
  const key = new Set<string>();
  const outletsByPlace = new Map<string, Set<string>>();
  for (const r of reports) {
    for (const place of r.keyPlaces ?? r.places) key.add(placeKey(place));
    if (r.copyOf !== undefined) continue;
    for (const place of r.places) {
      const outlets = outletsByPlace.get(placeKey(place)) ?? new Set<string>();
      outlets.add(r.outlet.toLowerCase());
      outletsByPlace.set(placeKey(place), outlets);
    }
  }
  for (const [place, outlets] of outletsByPlace) if (outlets.size >= 2) key.add(place);
  if (key.size === 0) return ranked;
  const picked = ranked.filter((p) => key.has(placeKey(p)));
  const country = ranked.find(isCountry);
  if (country && !picked.some(isCountry)) picked.push(country);
  return picked;
};

const spread = (values: readonly number[]) =>
  values.length > 0 ? { min: Math.min(...values), max: Math.max(...values) } : undefined;

/** Killed and injured as reported, lowest and highest across the reports. */
export const casualtyFigures = (reports: readonly EventReport[]): CasualtyFigures => {
  const killed = spread(
    reports.flatMap((r) => (r.casualties?.killed !== undefined ? [r.casualties.killed] : []))
  );
  const injured = spread(
    reports.flatMap((r) => (r.casualties?.injured !== undefined ? [r.casualties.injured] : []))
  );
  return { ...(killed ? { killed } : {}), ...(injured ? { injured } : {}) };
};

/** Outlets that reported the event in their own words, in order of first report. */
export const independentOutlets = (reports: readonly EventReport[]): string[] => {
  const outlets: string[] = [];
  const keys = new Set<string>();
  for (const r of inCanonicalOrder(reports)) {
    if (r.copyOf !== undefined) continue;
    const key = r.outlet.toLowerCase();
    if (keys.has(key)) continue;
    keys.add(key);
    outlets.push(r.outlet);
  }
  return outlets;
};

/** What an alert built from these reports tells subscribers: the baseline for later updates. */
export const eventSnapshot = (reports: readonly EventReport[]): EventSnapshot => {
  const figures = casualtyFigures(reports);
  const outlets = independentOutlets(reports);
  return {
    severity: maxSeverity(reports),
    categories: rankCategories(reports),
    places: keyPlaces(reports),
    ...(figures.killed ? { killed: figures.killed.max } : {}),
    ...(figures.injured ? { injured: figures.injured.max } : {}),
    corroborated: outlets.length >= 2,
    outlets,
  };
};

/**
 * How much a report tells: a casualty figure, places, categories, severity, a real title and a
 * summary. The alert's headline and summary come from the most informative report.
 */
const informativeness = (r: EventReport): number =>
  (r.casualties?.killed !== undefined ? 3 : 0) +
  (r.casualties?.injured !== undefined ? 1 : 0) +
  Math.min(r.places.length, 4) * 0.5 +
  Math.min(r.categories.length, 4) * 0.5 +
  severityRank(r.severity) +
  (r.copyOf === undefined ? 0.5 : 0) +
  (r.summary ? 0.5 : 0) +
  (r.title.split(' ').length >= 4 ? 1 : 0);

export const mostInformative = (reports: readonly EventReport[]): EventReport | undefined =>
  inCanonicalOrder(reports).reduce<EventReport | undefined>(
    (best, r) => (!best || informativeness(r) > informativeness(best) ? r : best),
    undefined
  );
