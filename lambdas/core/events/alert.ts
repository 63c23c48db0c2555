/**
 * The alert for an event as it stands: the Alert object that is published and recorded, its
 * headline (the most informative report's title, else one built from the facts) and summary.
 * Pure. The facts come from aggregates.ts.
 */
import { isCountry } from '../common/places.ts';
import { truncate } from '../common/plain-text.ts';
import type { Alert, AlertKind, AlertSource, CasualtyFigures } from '../common/types.ts';
import { casualtyFigures, eventSnapshot, mostInformative } from './aggregates.ts';
import { type EventCluster, type EventReport, inCanonicalOrder } from './event-state.ts';

/** "city-breached" → "city breached". */
export const categoryLabel = (category: string): string => category.replace(/[-_]+/g, ' ').trim();

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A headline from the facts alone, for reports without a usable title. */
export const builtHeadline = (
  categories: readonly string[],
  places: readonly string[],
  figures: CasualtyFigures
): string => {
  const what = capitalise(categoryLabel(categories[0] ?? 'escalation'));
  const city = places.find((p) => !isCountry(p));
  const country = places.find(isCountry);
  const where = [city, country].filter(Boolean).join(', ');
  const toll = figures.killed ? `: ${figures.killed.max} killed` : '';
  return `${what}${where ? ` in ${where}` : ''}${toll}`;
};

const HEADLINE_MAX = 200;
const SUMMARY_MAX = 400;

/** The first sentences of a text, up to `max` characters. */
const lede = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)/g) ?? [];
  let out = '';
  for (const s of sentences) {
    if ((out + s).trim().length > max) break;
    out += s;
  }
  return out.trim() || truncate(text, max);
};

const toSource = (r: EventReport): AlertSource => ({
  outlet: r.outlet,
  title: r.title,
  ...(r.link ? { link: r.link } : {}),
  time: r.time,
  itemId: r.itemId,
  ...(r.copyOf !== undefined ? { copyOf: r.copyOf } : {}),
});

/**
 * The alert for an event as it stands: id `${event.id}:${event.alerts}` (the event's
 * `alerts` counter already counts this one). Headline and summary come from the most
 * informative report, chosen among `focus` (the item ids that brought an update) when given.
 */
export const buildAlert = (
  event: EventCluster,
  kind: AlertKind,
  reasons: string[],
  focus: readonly string[] = []
): Alert => {
  const reports = inCanonicalOrder(event.reports);
  const snapshot = eventSnapshot(reports);
  const casualties = casualtyFigures(reports);
  const focused = reports.filter((r) => focus.includes(r.itemId));
  const best = mostInformative(focused.length > 0 ? focused : reports);
  const title = best?.title ?? '';
  const headline =
    title.split(' ').length >= 3
      ? truncate(title, HEADLINE_MAX)
      : builtHeadline(snapshot.categories, snapshot.places, casualties);
  const summary = best?.summary ? lede(best.summary, SUMMARY_MAX) : headline;
  return {
    id: `${event.id}:${event.alerts}`,
    kind,
    eventId: event.id,
    severity: snapshot.severity,
    headline,
    summary,
    categories: snapshot.categories,
    places: snapshot.places,
    casualties,
    sources: reports.map(toSource),
    rules: [...new Set(reports.flatMap((r) => r.rules))].sort(),
    reasons: kind === 'new' ? [] : reasons,
    firstSeen: event.firstSeen,
    lastSeen: event.lastSeen,
  };
};
