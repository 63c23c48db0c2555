/**
 * The SMS: one line of GSM-7 basic characters that fits one segment, the headline shortened
 * before the facts are left out. Pure.
 */
import { oneLine, truncate } from '../common/plain-text.ts';
import type { Alert } from '../common/types.ts';
import { categoryLabel } from '../events/index.ts';
import { gsm7Septets, toGsm7 } from './transliterate.ts';
import { casualtyText, firstLink, headlineFor, kindLabel, shortPlaces } from './wording.ts';

export const SMS_MAX = 160;
/** The shortest headline (septets) the SMS keeps beside the casualty figures and places. */
const SMS_MIN_HEADLINE = 40;

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

const septets = (s: string): number => gsm7Septets(s) ?? Number.POSITIVE_INFINITY;

/**
 * One SMS line of GSM-7 basic characters within SMS_MAX septets:
 * "ALERT HIGH: <headline> - <how bad> - <where> - <link>", and for an update what changed
 * before how bad. The headline is shortened to fit;
 * facts that do not fit beside at least a short headline are left out, the link first.
 */
export const renderSms = (alert: Alert): string => {
  const muted = alert.muted ? ' (muted)' : '';
  const prefix = toGsm7(`${kindLabel(alert)}${muted} ${oneLine(alert.severity).toUpperCase()}:`);
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
