/**
 * Alert renderings for SNS (`MessageStructure: 'json'`): a complete plain-text email, one SMS
 * line that fits one GSM-7 segment, a short default, an ASCII subject, and the message
 * attributes that subscription filter policies match on. Pure.
 */

import { isCountry } from '../common/places.ts';
import type { Alert, CasualtyFigures } from '../common/types.ts';
import { builtHeadline, categoryLabel } from '../events/alert.ts';
import { safeLink } from '../events/cluster.ts';
import { gsm7Septets, oneLine, toAscii, toGsm7, truncate } from './transliterate.ts';

export interface RenderedAlert {
  /** ASCII, one line, at most SUBJECT_MAX characters (SNS needs ASCII, no line breaks, < 100). */
  subject: string;
  /** Short plain text for protocols without their own message. */
  default: string;
  /** Complete plain text. */
  email: string;
  /** One line of GSM-7 basic characters, at most SMS_MAX septets: one SMS segment. */
  sms: string;
}

export const SUBJECT_MAX = 99;
export const SMS_MAX = 160;
const DEFAULT_MAX = 300;
/** Sources listed in the email; the alert record under alerts/ keeps all of them. */
export const EMAIL_MAX_SOURCES = 25;
/** The shortest headline (septets) the SMS keeps beside the casualty figures and places. */
const SMS_MIN_HEADLINE = 40;

const kindLabel = (alert: Alert): string => (alert.kind === 'update' ? 'UPDATE' : 'ALERT');

/** "2024-11-29 14:05 UTC", or the input cleaned when it is not a date. */
export const formatTime = (iso: string): string => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return oneLine(iso);
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

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

const cleanList = (values: readonly string[]): string[] => [
  ...new Set(values.map(oneLine).filter(Boolean)),
];

/** Up to `max` places, cities and regions first, always with the country when there is one. */
const shortPlaces = (places: readonly string[], max: number): string => {
  const clean = cleanList(places);
  const inner = clean.filter((p) => !isCountry(p)).slice(0, Math.max(1, max - 1));
  const country = clean.find(isCountry);
  const picked = country ? [...inner.slice(0, max - 1), country] : clean.slice(0, max);
  return picked.join(', ');
};

/** A headline that survives the channel's character set, else one built from the facts. */
const headlineFor = (alert: Alert, convert: (s: string) => string): string => {
  const converted = convert(oneLine(alert.headline));
  if ((converted.match(/[A-Za-z]/g) ?? []).length >= 3) return converted;
  const built = convert(
    builtHeadline(cleanList(alert.categories), cleanList(alert.places), alert.casualties)
  );
  return (built.match(/[A-Za-z]/g) ?? []).length >= 3 ? built : 'Escalation reported';
};

/** The link of the report the headline came from, else of the first source that has one. */
const firstLink = (alert: Alert): string | undefined => {
  const headline = oneLine(alert.headline);
  const origin = alert.sources.find((s) => oneLine(s.title) === headline);
  const fromOrigin = safeLink(origin?.link);
  if (fromOrigin) return fromOrigin;
  for (const source of alert.sources) {
    const link = safeLink(source.link);
    if (link) return link;
  }
  return undefined;
};

/**
 * A few words for what changed, from the reasons `updateReasons` writes (figures and severity
 * are shown elsewhere in the SMS, so they are left out here).
 */
export const shortReasons = (reasons: readonly string[]): string => {
  const parts: string[] = [];
  for (const reason of reasons.map(oneLine)) {
    const confirmed = /^first independent corroboration: (.+?)(?: confirms .*)?$/.exec(reason);
    const place = /^new places?: (.+)$/.exec(reason);
    const category = /^new categor(?:y|ies): (.+)$/.exec(reason);
    if (confirmed?.[1]) parts.push(`confirmed by ${confirmed[1]}`);
    else if (place?.[1]) parts.push(`now also ${place[1]}`);
    else if (category?.[1])
      parts.push(`now ${category[1].split(', ').map(categoryLabel).join(', ')}`);
  }
  return parts.slice(0, 2).join('; ');
};

/** The SNS subject: ASCII, no line breaks, at most SUBJECT_MAX characters. */
export const renderSubject = (alert: Alert): string => {
  const severity = toAscii(oneLine(alert.severity)).toUpperCase();
  const prefix = `[${severity}] ${alert.kind === 'update' ? 'Update: ' : ''}`;
  const headline = headlineFor(alert, toAscii);
  return truncate(`${prefix}${headline}`, SUBJECT_MAX);
};

const septets = (s: string): number => gsm7Septets(s) ?? Number.POSITIVE_INFINITY;

/**
 * One SMS line of GSM-7 basic characters within SMS_MAX septets:
 * "ALERT HIGH: <headline> - <how bad> - <where> - <link>", and for an update what changed
 * before how bad. The headline is shortened to fit;
 * facts that do not fit beside at least a short headline are left out, the link first.
 */
export const renderSms = (alert: Alert): string => {
  const prefix = toGsm7(`${kindLabel(alert)} ${oneLine(alert.severity).toUpperCase()}:`);
  const headline = headlineFor(alert, toGsm7);
  const link = firstLink(alert);
  // Facts in priority order, each with the headline length it must leave room for: the
  // casualty figures and places beside a shortened headline, the link only beside a whole one.
  const candidates: ReadonlyArray<readonly [string, number]> = [
    [alert.kind === 'update' ? toGsm7(shortReasons(alert.reasons)) : '', SMS_MIN_HEADLINE],
    [toGsm7(casualtyText(alert.casualties, true)), SMS_MIN_HEADLINE],
    [toGsm7(shortPlaces(alert.places, 3)), SMS_MIN_HEADLINE],
    [link ? toGsm7(link) : '', septets(headline)],
  ];
  const facts: string[] = [];
  for (const [fact, headlineRoom] of candidates) {
    if (!fact) continue;
    const tail = [...facts, fact].map((f) => ` - ${f}`).join('');
    const room = Math.min(septets(headline), headlineRoom);
    if (septets(prefix) + 1 + room + septets(tail) <= SMS_MAX) facts.push(fact);
  }
  const tail = facts.map((f) => ` - ${f}`).join('');
  const budget = SMS_MAX - septets(prefix) - 1 - septets(tail);
  const line = `${prefix} ${truncate(headline, budget, septets)}${tail}`;
  return truncate(line, SMS_MAX, septets);
};

/** A short plain-text line for protocols without their own message. */
export const renderDefault = (alert: Alert): string => {
  const parts = [
    `${kindLabel(alert)} (${oneLine(alert.severity)}): ${oneLine(alert.headline)}`,
    shortPlaces(alert.places, 4),
    casualtyText(alert.casualties),
    firstLink(alert) ?? '',
  ].filter(Boolean);
  return truncate(parts.join(' - '), DEFAULT_MAX);
};

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => (line ? `${prefix}${line}` : line))
    .join('\n');

/** The full plain-text email: everything a reader needs to judge the alert. */
export const renderEmail = (alert: Alert): string => {
  const lines: string[] = [];
  const severity = oneLine(alert.severity);
  lines.push(
    alert.kind === 'update'
      ? `UPDATE on an escalation event, severity ${severity}`
      : `NEW escalation event, severity ${severity}`
  );
  lines.push('');
  lines.push(oneLine(alert.headline));
  const summary = oneLine(alert.summary);
  if (summary && summary !== oneLine(alert.headline)) {
    lines.push('');
    lines.push(summary);
  }
  lines.push('');
  const categories = cleanList(alert.categories).map(categoryLabel);
  const places = cleanList(alert.places);
  const toll = casualtyText(alert.casualties);
  const spread =
    (alert.casualties.killed && alert.casualties.killed.min !== alert.casualties.killed.max) ||
    (alert.casualties.injured && alert.casualties.injured.min !== alert.casualties.injured.max);
  lines.push(`What:      ${categories.length > 0 ? categories.join(', ') : 'escalation'}`);
  lines.push(`Where:     ${places.length > 0 ? places.join(', ') : 'not stated'}`);
  lines.push(
    `How bad:   ${toll ? `${toll} as reported${spread ? ' (figures differ between sources)' : ''}` : 'no casualty figures reported'}`
  );
  lines.push(`Severity:  ${severity}`);
  if (alert.kind === 'update' && alert.reasons.length > 0) {
    lines.push('');
    lines.push('What changed since the last alert:');
    for (const reason of alert.reasons) lines.push(`  - ${oneLine(reason)}`);
  }
  lines.push('');
  lines.push(`Sources (${alert.sources.length}):`);
  alert.sources.slice(0, EMAIL_MAX_SOURCES).forEach((source, i) => {
    const title = oneLine(source.title) || '(untitled)';
    const copy = source.copyOf !== undefined ? ' (copy of a wire story already listed)' : '';
    lines.push(`  ${i + 1}. ${oneLine(source.outlet)}, ${formatTime(source.time)}${copy}`);
    lines.push(indent(title, '     '));
    const link = safeLink(source.link);
    if (link) lines.push(`     ${link}`);
  });
  if (alert.sources.length > EMAIL_MAX_SOURCES) {
    lines.push(`  ... and ${alert.sources.length - EMAIL_MAX_SOURCES} more in the alert record`);
  }
  lines.push('');
  lines.push('Why it fired:');
  const rules = cleanList(alert.rules);
  lines.push(`  Rules matched: ${rules.length > 0 ? rules.join(', ') : 'none recorded'}`);
  if (alert.kind === 'update') {
    lines.push(`  Update because: ${alert.reasons.map(oneLine).join('; ') || 'not stated'}`);
  } else {
    lines.push('  First escalation report of this event.');
  }
  lines.push('');
  lines.push(`First seen: ${formatTime(alert.firstSeen)}`);
  lines.push(`Last seen:  ${formatTime(alert.lastSeen)}`);
  lines.push(`Event: ${oneLine(alert.eventId)}   Alert: ${oneLine(alert.id)}`);
  return `${lines.join('\n')}\n`;
};

export const renderAlert = (alert: Alert): RenderedAlert => ({
  subject: renderSubject(alert),
  default: renderDefault(alert),
  email: renderEmail(alert),
  sms: renderSms(alert),
});

/** SNS message attributes for subscription filter policies. */
export const alertAttributes = (
  alert: Alert
): { severity: string; kind: string; places: string[] } => ({
  severity: oneLine(alert.severity),
  kind: oneLine(alert.kind),
  places: cleanList(alert.places),
});
