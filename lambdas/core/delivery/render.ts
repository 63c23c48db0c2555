/**
 * Alert renderings for SNS (`MessageStructure: 'json'`): an ASCII subject, a short default, the
 * email (email.ts) and the SMS (sms.ts), and the message attributes that subscription filter
 * policies match on. Pure.
 */

import { isCountry } from '../common/places.ts';
import { oneLine, truncate } from '../common/plain-text.ts';
import type { Alert } from '../common/types.ts';
import { renderChat } from './chat.ts';
import { NO_VALUE } from './delivery-plan.ts';
import { renderEmail } from './email.ts';
import { renderSms } from './sms.ts';
import { toAscii } from './transliterate.ts';
import {
  casualtyText,
  cleanList,
  firstLink,
  headlineFor,
  kindLabel,
  shortPlaces,
} from './wording.ts';

export interface RenderedAlert {
  /** ASCII, one line, at most SUBJECT_MAX characters (SNS needs ASCII, no line breaks, < 100). */
  subject: string;
  /** Short plain text for protocols without their own message. */
  default: string;
  /** Complete plain text. */
  email: string;
  /** One line of GSM-7 basic characters, at most SMS_MAX septets (sms.ts): one SMS segment. */
  sms: string;
  /** An AWS Chatbot custom notification (JSON text) for Slack and Teams channels (chat.ts). */
  chat: string;
}

export const SUBJECT_MAX = 99;
const DEFAULT_MAX = 300;

/** The SNS subject: ASCII, no line breaks, at most SUBJECT_MAX characters. */
export const renderSubject = (alert: Alert): string => {
  const severity = toAscii(oneLine(alert.severity)).toUpperCase();
  const prefix = `[${severity}] ${alert.kind === 'update' ? 'Update: ' : ''}`;
  const headline = headlineFor(alert, toAscii);
  return truncate(`${prefix}${headline}`, SUBJECT_MAX);
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

export const renderAlert = (alert: Alert): RenderedAlert => ({
  subject: renderSubject(alert),
  default: renderDefault(alert),
  email: renderEmail(alert),
  sms: renderSms(alert),
  chat: renderChat(alert),
});

/** The `places` value of an alert that names no place, so a filter policy can still match it. */
export const NO_PLACE = NO_VALUE;

/** The message attributes of an alert, which subscription filter policies match on. */
export type AlertAttributes = {
  readonly severity: string;
  /** 'new' | 'update' ('test' for `newsalert send-test`). */
  readonly kind: string;
  readonly places: string[];
  readonly countries: string[];
  readonly categories: string[];
  readonly sms: 'send' | 'held';
};

const orNone = (values: string[]): string[] => (values.length > 0 ? values : [NO_VALUE]);

/**
 * SNS message attributes for subscription filter policies, every one always present: `places`,
 * `countries` and `categories` are ['none'] when the alert has none, `sms` is 'held' for an
 * update held from SMS (the SMS subscriptions accept only 'send'). `countries` are the alert's
 * (the gazetteer's countries of its places), else the places that are countries.
 */
export const alertAttributes = (alert: Alert): AlertAttributes => ({
  severity: oneLine(alert.severity),
  kind: oneLine(alert.kind),
  places: orNone(cleanList(alert.places)),
  countries: orNone(cleanList(alert.countries ?? alert.places.filter(isCountry))),
  categories: orNone(cleanList(alert.categories)),
  sms: alert.smsHeld ? 'held' : 'send',
});

/** The attributes as SNS takes them (`String` and `String.Array` message attributes). */
export const snsMessageAttributes = (
  attributes: Readonly<Record<string, string | readonly string[]>>
): Record<string, { DataType: 'String' | 'String.Array'; StringValue: string }> =>
  Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? { DataType: 'String', StringValue: value }
        : { DataType: 'String.Array', StringValue: JSON.stringify(value) },
    ])
  );

/** The most bytes the alert JSON takes in a published message (SNS takes 256 KiB in all). */
export const ALERT_JSON_MAX_BYTES = 150_000;

/**
 * The alert as JSON for the functions subscribed to the topic (webhooks): all of it, unless an
 * event with very many sources would not fit in one SNS message beside the email; then the
 * first sources that fit (the record under alerts/ keeps every one).
 */
export const renderAlertJson = (alert: Alert): string => {
  const bytes = (text: string): number => new TextEncoder().encode(text).length;
  let text = JSON.stringify(alert);
  for (let keep = alert.sources.length; bytes(text) > ALERT_JSON_MAX_BYTES && keep > 1; ) {
    keep = Math.floor(keep / 2);
    text = JSON.stringify({ ...alert, sources: alert.sources.slice(0, keep) });
  }
  return text;
};
