import { createHash } from 'node:crypto';

/** Where things live in the store (docs/ARCHITECTURE.md, "The bucket"). */
export const FEEDS_KEY = 'config/feeds.json';
export const RULES_KEY = 'config/rules.json';
/** The events state before it was split into shards: read once, split, then marked as moved. */
export const EVENTS_KEY = 'state/events.json';
/** The analysts' mutes: a document of its own, so muting never races the classifier's writes. */
export const MUTES_KEY = 'state/mutes.json';
/** The HTML report the classifier writes after the alerts it sends. */
export const LATEST_REPORT_KEY = 'reports/latest.html';
/** state/events/<shard>.json: one shard of the events state (pipeline/events-shards.ts). */
export const EVENTS_SHARD_PREFIX = 'state/events/';
export const eventsShardKey = (shard: string): string => `${EVENTS_SHARD_PREFIX}${shard}.json`;
/** The last config/feeds.json and config/rules.json that loaded: used while the current one is broken. */
export const LAST_GOOD_FEEDS_KEY = 'state/last-good/feeds.json';
export const LAST_GOOD_RULES_KEY = 'state/last-good/rules.json';

const datePath = (at: Date): string => at.toISOString().slice(0, 10).replaceAll('-', '/');

const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 12);

const timePath = (at: Date): string =>
  `items/${datePath(at)}/${at.toISOString().slice(11, 23).replace(/[:.]/g, '')}`;

/** items/YYYY/MM/DD/HHMMSSmmm-<feed hash>.jsonl: the former layout's object of one feed's poll. */
export const itemsKey = (at: Date, feedUrl: string): string =>
  `${timePath(at)}-${shortHash(feedUrl)}.jsonl`;

/**
 * items/YYYY/MM/DD/HHMMSSmmm-s<count>-<index>-<first 12 hex of sha256(body)>.jsonl: the new items
 * of every feed of one shard found by one poll. The body's hash keeps two polls of one shard in
 * the same millisecond (a retry, a race, a fixed clock) from overwriting each other.
 */
export const shardItemsKey = (
  at: Date,
  shard: { count: number; index: number },
  body: string
): string => `${timePath(at)}-s${shard.count}-${shard.index}-${shortHash(body)}.jsonl`;

/** alerts/YYYY/MM/DD/<alert id>.json: the alert as sent, keyed so that it is recorded once. */
export const alertKey = (alertId: string, at: Date): string =>
  `alerts/${datePath(at)}/${alertId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;

/** alerts/YYYY/MM/DD/: the alerts recorded for that day (see alertKey). */
export const alertsDayPrefix = (at: Date): string => `alerts/${datePath(at)}/`;

/** state/digests/YYYY-MM-DD/<group>.json: the mark that a group's digest for that day was sent. */
export const digestSentKey = (day: string, groupId: string): string =>
  `state/digests/${day}/${groupId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;

/**
 * state/digests/YYYY-MM-DD/read.json: the alert records the digest run of that day read, so the
 * next run finds the ones recorded there later (an alert is filed by its event's latest report,
 * which may be the day before it was sent).
 */
export const digestReadKey = (day: string): string => `state/digests/${day}/read.json`;

/** state/failed-alerts/<alert id>.json: an alert parked after repeated failed sends. */
export const failedAlertKey = (alertId: string): string =>
  `state/failed-alerts/${alertId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;

/** When the poller wrote an items/ object, read back from its key; undefined for other keys. */
export const itemsKeyTime = (key: string): Date | undefined => {
  const m = /^items\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})(\d{2})(\d{2})(\d{3})-/.exec(key);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, ms] = m;
  const time = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}.${ms}Z`);
  return Number.isNaN(time.getTime()) ? undefined : time;
};
