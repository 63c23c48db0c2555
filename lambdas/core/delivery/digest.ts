/**
 * The daily digest: the day's events (the latest alert of each, so its latest figures and
 * sources), the digest groups that choose among them, and the renderings (an email and one SMS
 * line). Pure.
 */
import { InvalidInputError } from '../common/errors.ts';
import { visibleLink } from '../common/links.ts';
import { isCountry, placeKey } from '../common/places.ts';
import { oneLine, truncate } from '../common/plain-text.ts';
import {
  type Alert,
  type DigestGroup,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../common/types.ts';

export type { DigestGroup };

import { categoryLabel } from '../events/index.ts';
import { formatTime } from './email.ts';
import { SUBJECT_MAX } from './render.ts';
import { SMS_MAX } from './sms.ts';
import { gsm7Septets, toAscii, toGsm7 } from './transliterate.ts';
import { casualtyText, cleanList, headlineFor } from './wording.ts';

/** One event of the day, as its latest alert tells it. */
export interface DigestEvent {
  readonly latest: Alert;
  /** Alerts sent about it that day. */
  readonly alerts: number;
  /** The country it happened in (else its first place, else 'Place not stated'). */
  readonly region: string;
}

export interface RenderedDigest {
  /** ASCII, one line, at most SUBJECT_MAX characters. */
  readonly subject: string;
  readonly email: string;
  /** One line of GSM-7 characters, at most SMS_MAX septets. */
  readonly sms: string;
}

/** Events listed in one email; the rest are counted. */
export const DIGEST_MAX_EVENTS = 60;
/** Links shown per event. */
export const DIGEST_MAX_LINKS = 3;
const NO_REGION = 'Place not stated';
export const DIGEST_GROUP_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const regionOf = (alert: Alert): string => {
  const places = cleanList(alert.places);
  return places.find(isCountry) ?? places[0] ?? NO_REGION;
};

/** The sequence number at the end of an alert id (`${eventId}:${sequence}`), else 0. */
const sequenceOf = (alert: Alert): number => Number(/:(\d+)$/.exec(alert.id)?.[1] ?? 0);

const later = (a: Alert, b: Alert): Alert => {
  const byTime = Date.parse(a.lastSeen) - Date.parse(b.lastSeen);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime > 0 ? a : b;
  return sequenceOf(a) >= sequenceOf(b) ? a : b;
};

/**
 * The day's events from the day's alerts: the latest alert of each event, ordered by severity
 * (highest first), then region, then when first seen.
 */
export const digestEvents = (alerts: readonly Alert[]): DigestEvent[] => {
  const byEvent = new Map<string, { latest: Alert; alerts: number }>();
  for (const alert of alerts) {
    const seen = byEvent.get(alert.eventId);
    byEvent.set(
      alert.eventId,
      seen
        ? { latest: later(seen.latest, alert), alerts: seen.alerts + 1 }
        : { latest: alert, alerts: 1 }
    );
  }
  return [...byEvent.values()]
    .map((e) => ({ ...e, region: regionOf(e.latest) }))
    .sort(
      (a, b) =>
        severityRank(b.latest.severity) - severityRank(a.latest.severity) ||
        Number(a.region === NO_REGION) - Number(b.region === NO_REGION) ||
        a.region.localeCompare(b.region, 'en') ||
        a.latest.firstSeen.localeCompare(b.latest.firstSeen) ||
        a.latest.eventId.localeCompare(b.latest.eventId)
    );
};

const overlaps = (wanted: readonly string[], have: readonly string[], key = placeKey) => {
  const keys = new Set(have.map(key));
  return wanted.some((w) => keys.has(key(w)));
};

/** True when the event passes every filter the group sets. */
export const inGroup = (event: DigestEvent, group: DigestGroup): boolean => {
  const alert = event.latest;
  if (group.minSeverity && severityRank(alert.severity) < severityRank(group.minSeverity)) {
    return false;
  }
  // The countries the gazetteer gives the alert's places, as the SNS `countries` attribute
  // (alerts recorded before alerts carried them: the places, which name their country).
  if (group.countries?.length && !overlaps(group.countries, alert.countries ?? alert.places)) {
    return false;
  }
  if (
    group.categories?.length &&
    !overlaps(group.categories, alert.categories, (c) => c.trim().toLowerCase())
  ) {
    return false;
  }
  return true;
};

const stringList = (value: unknown, where: string, problems: string[]): string[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    problems.push(`${where} must be a list of non-empty strings`);
    return undefined;
  }
  return value;
};

/** The groups as the construct passes them (JSON), every problem named. */
export const parseDigestGroups = (text: string): DigestGroup[] => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError('digest groups are not JSON', [], { cause: err });
  }
  if (!Array.isArray(doc)) throw new InvalidInputError('digest groups must be a JSON array');
  const problems: string[] = [];
  const ids = new Set<string>();
  const groups = doc.map((raw, i): DigestGroup => {
    const g = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const where = `group ${i + 1}`;
    const id = typeof g.id === 'string' ? g.id : '';
    if (!DIGEST_GROUP_ID.test(id))
      problems.push(`${where}: id must be 1 to 64 letters, digits, . _ or -`);
    else if (ids.has(id)) problems.push(`${where}: id '${id}' is used twice`);
    ids.add(id);
    const minSeverity = g.minSeverity;
    if (
      minSeverity !== undefined &&
      (!SEVERITIES.includes(minSeverity as Severity) || minSeverity === 'none')
    ) {
      problems.push(`${where}: minSeverity must be low, medium, high or critical`);
    }
    const countries = stringList(g.countries, `${where}: countries`, problems);
    const categories = stringList(g.categories, `${where}: categories`, problems);
    return {
      id,
      ...(typeof minSeverity === 'string'
        ? { minSeverity: minSeverity as Exclude<Severity, 'none'> }
        : {}),
      ...(countries ? { countries } : {}),
      ...(categories ? { categories } : {}),
    };
  });
  if (problems.length > 0) {
    throw new InvalidInputError(`bad digest groups: ${problems.join('; ')}`, problems);
  }
  return groups;
};

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const eventLines = (event: DigestEvent): string[] => {
  const alert = event.latest;
  const places = cleanList(alert.places);
  const categories = cleanList(alert.categories).map(categoryLabel);
  const toll = casualtyText(alert.casualties);
  const lines = [`  - ${oneLine(alert.headline) || headlineFor(alert, (s) => s)}`];
  lines.push(
    `    ${[
      categories.length > 0 ? capitalised(categories.join(', ')) : 'Escalation',
      places.length > 0 ? places.join(', ') : 'place not stated',
      toll ? `${toll} as last reported` : 'no casualty figures reported',
    ].join(' | ')}`
  );
  const sources = alert.sources.length;
  lines.push(
    `    ${sources} source${sources === 1 ? '' : 's'}, ${event.alerts} alert${event.alerts === 1 ? '' : 's'}; first seen ${formatTime(alert.firstSeen)}, last report ${formatTime(alert.lastSeen)}`
  );
  const links = [...new Set(alert.sources.map((s) => visibleLink(s.link)).filter(Boolean))];
  for (const link of links.slice(0, DIGEST_MAX_LINKS)) lines.push(`    ${link}`);
  return lines;
};

const countBySeverity = (events: readonly DigestEvent[]): string =>
  [...SEVERITIES]
    .reverse()
    .map((s) => [s, events.filter((e) => e.latest.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');

/**
 * The digest of a day (YYYY-MM-DD, UTC) for some events (already filtered and ordered): the
 * email by severity, then region; the SMS with the counts and the most severe headline.
 * Undefined for no events: nothing is sent when nothing happened.
 */
export const renderDigest = (
  events: readonly DigestEvent[],
  day: string
): RenderedDigest | undefined => {
  if (events.length === 0) return undefined;
  const count = `${events.length} event${events.length === 1 ? '' : 's'}`;
  const lines = [`NewsAlert daily digest for ${day} (UTC): ${count} (${countBySeverity(events)})`];
  let severity: string | undefined;
  let region: string | undefined;
  for (const event of events.slice(0, DIGEST_MAX_EVENTS)) {
    if (event.latest.severity !== severity) {
      severity = event.latest.severity;
      region = undefined;
      lines.push('', oneLine(severity).toUpperCase());
    }
    if (event.region !== region) {
      region = event.region;
      lines.push(`${oneLine(region)}:`);
    }
    lines.push(...eventLines(event));
  }
  if (events.length > DIGEST_MAX_EVENTS) {
    lines.push('', `... and ${events.length - DIGEST_MAX_EVENTS} more events of lower severity`);
  }
  lines.push(
    '',
    'Each event is shown as its latest alert of the day tells it; figures are as reported.'
  );
  const top = events[0] as DigestEvent;
  const septets = (s: string): number => gsm7Septets(s) ?? Number.POSITIVE_INFINITY;
  const head = toGsm7(`NewsAlert digest ${day}: ${count} (${countBySeverity(events)}). Top:`);
  const sms = truncate(`${head} ${headlineFor(top.latest, toGsm7)}`, SMS_MAX, septets);
  return {
    subject: truncate(toAscii(`NewsAlert digest ${day}: ${count}`), SUBJECT_MAX),
    email: `${lines.join('\n')}\n`,
    sms,
  };
};
