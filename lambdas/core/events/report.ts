/**
 * From a classified item to the report an event records: the outlet, cleaned title, summary and
 * link, the report time, the facts the classifier found, the content words used for matching,
 * and the key places (those the headline or lede names, a wire dateline aside). Pure: `now` is
 * passed in.
 */

import { visibleLink } from '../common/links.ts';
import { demonymCountries } from '../common/places.ts';
import { oneLine } from '../common/plain-text.ts';
import type { Casualties, Classification, Item } from '../common/types.ts';
import { SEVERITIES } from '../common/types.ts';
import type { EventReport } from './event-state.ts';
import { siteKinds } from './incident.ts';
import { contentWords } from './text-similarity.ts';

/** When the item says it was published, in milliseconds; NaN when it gives no usable date. */
export const publishedMs = (item: Item): number =>
  item.published ? Date.parse(item.published) : Number.NaN;

/** Report time: published when it parses and is not in the future, else now. */
const reportTime = (item: Item, now: Date): string => {
  const published = publishedMs(item);
  if (Number.isNaN(published) || published > now.getTime()) return now.toISOString();
  return new Date(published).toISOString();
};

const hostOf = (link: string | undefined): string | undefined => {
  const safe = visibleLink(link);
  return safe ? new URL(safe).hostname.replace(/^www\./, '') : undefined;
};

const outletOf = (item: Item): string => {
  const source = item.source ? oneLine(item.source) : '';
  return source || hostOf(item.link) || hostOf(item.feed) || 'unknown outlet';
};

const SUMMARY_KEEP = 600;
const TOKENS_KEEP = 120;
/** How much of the content stands in for a missing summary when finding a report's key places. */
const LEDE_FROM_CONTENT = 400;

/**
 * A wire dateline at the start of a lede ("DAMASCUS/JERUSALEM (Worthy News) – ", "KYIV, Ukraine
 * (AP) — ", "BEIRUT, Nov 29 (Reuters) - "): it names where the reporter filed from, not where the
 * event happened.
 */
const DATELINE =
  /^\s*\p{Lu}[\p{Lu}\p{M}.'’ ]*\p{Lu}(?:\s*\/\s*\p{Lu}[\p{Lu}\p{M}.'’ ]*\p{Lu})*(?:,[^()\n–—]{1,40}?)?(?:\s*\([^)\n]{1,40}\))?\s*[-–—]{1,2}\s+/u;

export const stripDateline = (text: string): string => {
  // A dateline is short and at the very start: look no further than that.
  const match = DATELINE.exec(text.slice(0, 160));
  return match ? text.slice(match[0].length) : text;
};

/** The places whose every word appears in the lede text. */
const placesNamedIn = (places: readonly string[], lede: string): string[] => {
  const words = new Set(contentWords(lede));
  return places.filter((place) => {
    const parts = contentWords(place);
    return parts.length > 0 && parts.every((w) => words.has(w));
  });
};

const uniqueSorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The report an escalation item makes, as recorded on its event. */
export const toReport = (item: Item, result: Classification, now: Date): EventReport => {
  const title = oneLine(item.title ?? '');
  const summary = oneLine(item.summary ?? '').slice(0, SUMMARY_KEEP);
  const link = visibleLink(item.link);
  const killed = result.casualties?.killed;
  const injured = result.casualties?.injured;
  const places = [...new Set(result.places.map(oneLine).filter(Boolean))];
  const lede = `${title} ${stripDateline(summary || oneLine(item.content ?? '').slice(0, LEDE_FROM_CONTENT))}`;
  const sites = siteKinds(lede);
  const actors = [...new Set((result.actors ?? []).map(oneLine).filter(Boolean))];
  const implied = places.length === 0 ? demonymCountries(lede) : [];
  const casualties: Casualties | undefined =
    killed !== undefined || injured !== undefined
      ? {
          ...(killed !== undefined && killed >= 0 ? { killed } : {}),
          ...(injured !== undefined && injured >= 0 ? { injured } : {}),
        }
      : undefined;
  return {
    itemId: item.id,
    outlet: outletOf(item),
    title,
    ...(summary ? { summary } : {}),
    ...(link ? { link } : {}),
    time: reportTime(item, now),
    severity: SEVERITIES.includes(result.severity) ? result.severity : 'none',
    categories: [...new Set(result.categories.map(oneLine).filter(Boolean))],
    places,
    keyPlaces: placesNamedIn(places, lede),
    ...(implied.length > 0 ? { impliedPlaces: implied } : {}),
    ...(actors.length > 0 ? { actors } : {}),
    ...(sites.length > 0 ? { sites } : {}),
    ...(casualties ? { casualties } : {}),
    rules: uniqueSorted(result.matches.map((m) => m.rule)),
    titleTokens: contentWords(title).slice(0, TOKENS_KEEP),
    summaryTokens: contentWords(summary).slice(0, TOKENS_KEEP),
  };
};
