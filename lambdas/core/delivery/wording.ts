/**
 * The parts of an alert that every channel words the same way: the kind, the casualty figures,
 * a short list of places, a headline the channel's character set can carry, and the link to
 * show. Pure.
 */

import { visibleLink } from '../common/links.ts';
import { isCountry } from '../common/places.ts';
import { oneLine } from '../common/plain-text.ts';
import type { Alert, CasualtyFigures } from '../common/types.ts';
import { builtHeadline } from '../events/index.ts';

/** How the SMS and the default message open: ALERT for a new event, UPDATE for an update. */
export const kindLabel = (alert: Alert): string => (alert.kind === 'update' ? 'UPDATE' : 'ALERT');

const figure = (range: { min: number; max: number }, sep: string): string =>
  range.min === range.max ? `${range.max}` : `${range.min}${sep}${range.max}`;

/** "12 to 200 killed, 40 injured" (long) or "12-200 killed, 40 injured" (short). */
export const casualtyText = (c: CasualtyFigures, short = false): string => {
  const sep = short ? '-' : ' to ';
  const parts: string[] = [];
  if (c.killed) parts.push(`${figure(c.killed, sep)} killed`);
  if (c.injured) parts.push(`${figure(c.injured, sep)} injured`);
  return parts.join(', ');
};

/** The values each on one line, empty ones and repeats left out. */
export const cleanList = (values: readonly string[]): string[] => [
  ...new Set(values.map(oneLine).filter(Boolean)),
];

/** Up to `max` places, cities and regions first, always with the country when there is one. */
export const shortPlaces = (places: readonly string[], max: number): string => {
  const clean = cleanList(places);
  const inner = clean.filter((p) => !isCountry(p)).slice(0, Math.max(1, max - 1));
  const country = clean.find(isCountry);
  const picked = country ? [...inner.slice(0, max - 1), country] : clean.slice(0, max);
  return picked.join(', ');
};

/** A headline that survives the channel's character set, else one built from the facts. */
export const headlineFor = (alert: Alert, convert: (s: string) => string): string => {
  const converted = convert(oneLine(alert.headline));
  if ((converted.match(/[A-Za-z]/g) ?? []).length >= 3) return converted;
  const built = convert(
    builtHeadline(cleanList(alert.categories), cleanList(alert.places), alert.casualties)
  );
  return (built.match(/[A-Za-z]/g) ?? []).length >= 3 ? built : 'Escalation reported';
};

/** The link of the report the headline came from, else of the first source that has one. */
export const firstLink = (alert: Alert): string | undefined => {
  const headline = oneLine(alert.headline);
  const origin = alert.sources.find((s) => oneLine(s.title) === headline);
  const fromOrigin = visibleLink(origin?.link);
  if (fromOrigin) return fromOrigin;
  for (const source of alert.sources) {
    const link = visibleLink(source.link);
    if (link) return link;
  }
  return undefined;
};
