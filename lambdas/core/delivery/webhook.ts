/**
 * Webhook deliveries: the body an endpoint receives (the alert as JSON, or a Slack or Teams
 * message when the URL is one of their incoming webhooks), the HMAC signature headers and their
 * check, and the secret that names the endpoint. Pure: the time is passed in.
 *
 * Signature: `X-Newsalert-Signature: v1=<hex HMAC-SHA256(key, "<timestamp>.<body>")>` beside
 * `X-Newsalert-Timestamp: <unix seconds>`. A receiver recomputes the HMAC over the raw body as
 * received, compares in constant time, and refuses a timestamp older than a few minutes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../common/errors.ts';
import { visibleLink } from '../common/links.ts';
import { oneLine, truncate } from '../common/plain-text.ts';
import type { Alert } from '../common/types.ts';
import { categoryLabel } from '../events/index.ts';
import { formatTime } from './email.ts';
import { casualtyText, cleanList, firstLink, kindLabel } from './wording.ts';

export const SIGNATURE_HEADER = 'x-newsalert-signature';
export const TIMESTAMP_HEADER = 'x-newsalert-timestamp';
export const ALERT_ID_HEADER = 'x-newsalert-alert-id';
/** How old a signed request a receiver should still accept (verifySignature's default). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Sources listed in a chat message; the JSON body carries all of them. */
export const CHAT_MAX_SOURCES = 10;

export type WebhookFlavour = 'json' | 'slack' | 'teams';

/** Where a webhook delivers and how it signs, as kept in the secret store. */
export interface WebhookTarget {
  readonly url: string;
  readonly signingKey?: string;
}

export interface WebhookRequest {
  readonly flavour: WebhookFlavour;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The host a webhook URL names (lower case; '' when it is no URL): logs name it, never the URL. */
export const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
};

const endsWithDomain = (host: string, domain: string): boolean =>
  host === domain || host.endsWith(`.${domain}`);

/**
 * Slack for hooks.slack.com; Teams for Office 365 connector hosts (webhook.office.com) and
 * Power Automate / Logic Apps workflow triggers (logic.azure.com, powerplatform.com); the alert
 * as JSON for anything else.
 */
export const webhookFlavour = (url: string): WebhookFlavour => {
  const host = hostOf(url);
  if (host === 'hooks.slack.com') return 'slack';
  if (
    ['webhook.office.com', 'logic.azure.com', 'powerplatform.com'].some((d) =>
      endsWithDomain(host, d)
    )
  ) {
    return 'teams';
  }
  return 'json';
};

/**
 * The webhook secret: the URL alone, or a JSON object `{"url": "...", "signingKey"?: "..."}`
 * (the key/value form the Secrets Manager console writes). The message never repeats the value.
 */
export const parseWebhookSecret = (text: string, allowHttp = false): WebhookTarget => {
  const trimmed = text.trim();
  let url = trimmed;
  let signingKey: string | undefined;
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new InvalidInputError('the webhook secret is neither a URL nor a JSON object');
    }
    const { url: u, signingKey: k } = (doc ?? {}) as Record<string, unknown>;
    if (typeof u !== 'string') {
      throw new InvalidInputError('the webhook secret is a JSON object without a "url" string');
    }
    if (k !== undefined && (typeof k !== 'string' || k === '')) {
      throw new InvalidInputError('the webhook secret\'s "signingKey" must be a non-empty string');
    }
    url = u.trim();
    signingKey = k;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError('the webhook secret does not hold a valid URL');
  }
  const schemes = allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(parsed.protocol)) {
    throw new InvalidInputError(
      `the webhook URL must use https, got ${parsed.protocol.slice(0, -1)}`
    );
  }
  return signingKey ? { url, signingKey } : { url };
};

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under the key, as sent after `v1=`. */
export const signatureOf = (body: string, key: string, timestamp: number): string =>
  createHmac('sha256', key).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/**
 * What a receiver does: true when the signature header carries the HMAC of the body at that
 * timestamp and the timestamp is within `toleranceSeconds` of `nowSeconds`.
 */
export const verifySignature = (
  body: string,
  headers: { readonly signature?: string; readonly timestamp?: string },
  key: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS
): boolean => {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return false;
  }
  const expected = Buffer.from(`v1=${signatureOf(body, key, timestamp)}`);
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** Slack's mrkdwn escapes: &, < and > (everything else is literal). */
const slackEscape = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const slackLink = (url: string, label: string): string =>
  `<${url.replaceAll('|', '%7C')}|${slackEscape(label).replaceAll('|', '/')}>`;

/** The facts every chat message shows, as label and plain value. */
const chatFacts = (alert: Alert): Array<[string, string]> => {
  const places = cleanList(alert.places);
  const categories = cleanList(alert.categories).map(categoryLabel);
  return [
    ['Severity', oneLine(alert.severity)],
    ['Where', places.length > 0 ? places.join(', ') : 'not stated'],
    ['How bad', casualtyText(alert.casualties) || 'no casualty figures reported'],
    ['What', categories.length > 0 ? categories.join(', ') : 'escalation'],
  ];
};

const titleLine = (alert: Alert): string =>
  `${kindLabel(alert)} ${oneLine(alert.severity).toUpperCase()}: ${oneLine(alert.headline)}`;

const chatSources = (alert: Alert) =>
  alert.sources.slice(0, CHAT_MAX_SOURCES).map((s) => ({
    outlet: oneLine(s.outlet) || 'unknown outlet',
    title: oneLine(s.title) || '(untitled)',
    link: visibleLink(s.link),
    time: formatTime(s.time),
  }));

const moreSources = (alert: Alert): string =>
  alert.sources.length > CHAT_MAX_SOURCES
    ? `and ${alert.sources.length - CHAT_MAX_SOURCES} more`
    : '';

/** A Slack incoming-webhook message: a fallback `text` and Block Kit blocks. */
export const slackMessage = (alert: Alert): Record<string, unknown> => {
  const summary = oneLine(alert.summary);
  const sources = chatSources(alert).map(
    (s) =>
      `• ${s.link ? slackLink(s.link, s.title) : slackEscape(s.title)} (${slackEscape(s.outlet)}, ${s.time})`
  );
  const more = moreSources(alert);
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(titleLine(alert), 150), emoji: false },
    },
    {
      type: 'section',
      fields: chatFacts(alert).map(([label, value]) => ({
        type: 'mrkdwn',
        text: truncate(`*${label}*\n${slackEscape(value)}`, 2000),
      })),
    },
  ];
  if (summary && summary !== oneLine(alert.headline)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(slackEscape(summary), 3000) },
    });
  }
  if (alert.kind === 'update' && alert.reasons.length > 0) {
    const changed = alert.reasons.map((r) => `• ${slackEscape(oneLine(r))}`).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*What changed*\n${changed}`, 3000) },
    });
  }
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(
        `*Sources (${alert.sources.length})*\n${[...sources, ...(more ? [more] : [])].join('\n')}`,
        3000
      ),
    },
  });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: slackEscape(
          `First seen ${formatTime(alert.firstSeen)} · last report ${formatTime(alert.lastSeen)} · event ${oneLine(alert.eventId)}`
        ),
      },
    ],
  });
  return { text: truncate(slackEscape(titleLine(alert)), 3000), blocks };
};

/** Adaptive Card markdown takes [label](url); brackets in the label would end it early. */
const cardLink = (url: string, label: string): string =>
  `[${label.replace(/[[\]]/g, (b) => (b === '[' ? '(' : ')'))}](${url.replaceAll(')', '%29')})`;

/**
 * A Teams message: one Adaptive Card, the shape both Teams incoming webhooks and the Power
 * Automate "when a Teams webhook request is received" workflow post to a channel.
 */
export const teamsMessage = (alert: Alert): Record<string, unknown> => {
  const summary = oneLine(alert.summary);
  const sources = chatSources(alert).map(
    (s) => `- ${s.link ? cardLink(s.link, s.title) : s.title} (${s.outlet}, ${s.time})`
  );
  const more = moreSources(alert);
  const link = firstLink(alert);
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: titleLine(alert), weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'FactSet',
      facts: chatFacts(alert).map(([title, value]) => ({ title, value })),
    },
  ];
  if (summary && summary !== oneLine(alert.headline)) {
    body.push({ type: 'TextBlock', text: summary, wrap: true });
  }
  if (alert.kind === 'update' && alert.reasons.length > 0) {
    body.push({
      type: 'TextBlock',
      text: `What changed: ${alert.reasons.map(oneLine).join('; ')}`,
      wrap: true,
    });
  }
  body.push({
    type: 'TextBlock',
    text: [`Sources (${alert.sources.length}):`, ...sources, ...(more ? [more] : [])].join('\n'),
    wrap: true,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(link
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the report', url: link }] }
            : {}),
        },
      },
    ],
  };
};

/**
 * The request for one alert: the body for the URL's flavour, JSON content type, the alert id
 * (receivers dedupe on it: a retried delivery may arrive twice), and the signature headers when
 * there is a signing key. `timestamp` is in Unix seconds.
 */
export const webhookRequest = (
  alert: Alert,
  target: WebhookTarget,
  timestamp: number
): WebhookRequest => {
  const flavour = webhookFlavour(target.url);
  const body = JSON.stringify(
    flavour === 'slack' ? slackMessage(alert) : flavour === 'teams' ? teamsMessage(alert) : alert
  );
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'newsalert-webhook/1',
    [ALERT_ID_HEADER]: oneLine(alert.id),
  };
  if (target.signingKey) {
    headers[TIMESTAMP_HEADER] = String(timestamp);
    headers[SIGNATURE_HEADER] = `v1=${signatureOf(body, target.signingKey, timestamp)}`;
  }
  return { flavour, body, headers };
};
