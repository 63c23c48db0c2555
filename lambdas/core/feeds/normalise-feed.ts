/**
 * Normalisation: rss-parser's output for one feed to Items (core/common/types.ts): text made
 * plain and bounded, links resolved, dates checked, ids made stable and distinct, the count
 * capped. Pure: the feed's configuration and the time are passed in.
 */
import { createHash } from 'node:crypto';
import { httpLink } from '../common/links.ts';
import type { FeedConfig, Item } from '../common/types.ts';
import { CONTROL_CHARS, cleanText, truncate } from './feed-text.ts';
import { skipHoursOf, ttlMinutesOf } from './poll-schedule.ts';

/** Items kept per feed: a feed of tens of thousands of items stays bounded. */
export const MAX_ITEMS_PER_FEED = 2000;
/** Longest title kept, in characters. */
export const MAX_TITLE_CHARS = 300;
/** Longest summary kept, in characters. */
export const MAX_SUMMARY_CHARS = 2000;
/** Longest content kept, in characters. */
export const MAX_CONTENT_CHARS = 20_000;
/** Longest guid used as an id as is; longer ones are hashed. */
const MAX_ID_CHARS = 500;
/** Dates before this are absurd for news. */
const EARLIEST_DATE = Date.UTC(1990, 0, 1);
/** Dates this far after `now` are absurd (a day covers time-zone mistakes). */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export interface NormaliseFeedOptions {
  /** @default MAX_ITEMS_PER_FEED */
  readonly maxItems?: number;
}

type RawItem = Record<string, unknown>;
interface RawFeed {
  readonly title?: unknown;
  readonly link?: unknown;
  readonly items?: unknown;
  readonly ttl?: unknown;
  readonly skipHours?: unknown;
}

/** Any field value rss-parser/xml2js may produce, as a string ('' when it carries no text). */
const asString = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return asString(value[0]);
  if (value !== null && typeof value === 'object') {
    const text = (value as { _?: unknown })._;
    if (typeof text === 'string') return text;
    const href = (value as { $?: { href?: unknown } }).$?.href;
    if (typeof href === 'string') return href;
  }
  return '';
};

// ---------------------------------------------------------------------------------------------
// Links, dates, ids

/** Longest link text looked at, in characters. */
const MAX_LINK_CHARS = 4096;

/**
 * A link written in a feed, resolved against `base` when relative. Control characters are
 * dropped first. Credentials are kept: a feed fetched with a password in its URL is the base of
 * its relative links, which inherit them (alerts refuse such links when they show them).
 */
const feedLink = (value: string, base?: string): string | undefined => {
  const text = value.replace(CONTROL_CHARS, '').trim();
  if (text.length > MAX_LINK_CHARS) return undefined;
  return httpLink(text, { credentials: 'keep', base, loose: true });
};

/** An ISO date, or undefined when it cannot be parsed or is absurd for news. */
export const sensibleDate = (raw: string, now: Date): string | undefined => {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.length > 100) return undefined;
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms) || ms < EARLIEST_DATE || ms > now.getTime() + MAX_FUTURE_MS) {
    return undefined;
  }
  return new Date(ms).toISOString();
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

// ---------------------------------------------------------------------------------------------
// Normalisation

interface FeedContext {
  readonly feed: FeedConfig;
  readonly now: Date;
  readonly base?: string;
  readonly source?: string;
}

const firstText = (item: RawItem, keys: readonly string[]): string => {
  for (const key of keys) {
    const text = asString(item[key]);
    if (text.trim() !== '') return text;
  }
  return '';
};

/** One raw rss-parser item to an Item, or undefined when it has neither title nor summary. */
const normaliseItem = (raw: RawItem, ctx: FeedContext): Item | undefined => {
  const summaryRaw = firstText(raw, ['summary', 'content', 'content:encoded']);
  const contentRaw = firstText(raw, ['content:encoded', 'content']);
  const summaryText = cleanText(summaryRaw);
  const contentText = contentRaw === summaryRaw ? summaryText : cleanText(contentRaw);
  let title = cleanText(firstText(raw, ['title']));
  const summary = truncate(summaryText, MAX_SUMMARY_CHARS);
  if (title === '') {
    if (summary === '') return undefined;
    title = truncate(summary, 120);
  }
  title = truncate(title, MAX_TITLE_CHARS);

  const guid = asString(raw.guid ?? raw.id ?? raw['rdf:about'] ?? raw['dc:identifier'])
    .replace(CONTROL_CHARS, '')
    .trim();
  let link = feedLink(asString(raw.link), ctx.base);
  if (!link && guid && raw.guid !== undefined) {
    // An RSS guid that is a permalink (the default) doubles as the link.
    const permaLink = (raw.guid as { $?: { isPermaLink?: string } })?.$?.isPermaLink;
    if (permaLink !== 'false') link = feedLink(guid);
  }

  let published: string | undefined;
  for (const key of [
    'isoDate',
    'pubDate',
    'published',
    'updated',
    'issued',
    'modified',
    'created',
    'date',
  ]) {
    const text = asString(raw[key]);
    if (text === '') continue;
    published = sensibleDate(text, ctx.now);
    if (published) break;
  }

  let id: string;
  if (guid !== '') id = guid.length > MAX_ID_CHARS ? `hash:${sha256(`guid\n${guid}`)}` : guid;
  else if (link) id = link.length > MAX_ID_CHARS ? `hash:${sha256(`link\n${link}`)}` : link;
  else id = `hash:${sha256(`${title}\n${published ?? ''}`)}`;

  const content =
    contentText.length > summary.length * 1.5 + 200
      ? truncate(contentText, MAX_CONTENT_CHARS)
      : undefined;

  return {
    id,
    title,
    ...(summary && summary !== title ? { summary } : {}),
    ...(content ? { content } : {}),
    ...(link ? { link } : {}),
    ...(published ? { published } : {}),
    ...(ctx.source ? { source: ctx.source } : {}),
    feed: ctx.feed.url,
  };
};

const hostnameOf = (url: string): string | undefined => {
  try {
    const { hostname } = new URL(url);
    return hostname || undefined;
  } catch {
    return undefined;
  }
};

/**
 * Some feeds give every item the same guid (the feed URL, say). Different items sharing an id
 * would be taken for one, so those get their link, else a hash of id, title and date, instead.
 * Identical items keep their shared id (the seen-item logic keeps one).
 */
const distinctIds = (items: Item[]): Item[] => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
  if (counts.size === items.length) return items;
  return items.map((item) => {
    if ((counts.get(item.id) ?? 0) < 2) return item;
    const id =
      item.link &&
      item.link !== item.id &&
      item.link.length <= MAX_ID_CHARS &&
      !counts.has(item.link)
        ? item.link
        : `hash:${sha256(`${item.id}\n${item.title}\n${item.published ?? ''}`)}`;
    return { ...item, id };
  });
};

/**
 * rss-parser's output (or anything else) to Items. Never throws: fields of the wrong type
 * count as missing. Keeps at most `maxItems`, the newest first when the feed has more.
 */
export const normaliseFeed = (
  output: unknown,
  feed: FeedConfig,
  now: Date,
  options: NormaliseFeedOptions = {}
): Item[] => {
  const raw = (output !== null && typeof output === 'object' ? output : {}) as RawFeed;
  const feedUrl = feedLink(feed.url);
  const base = feedLink(asString(raw.link), feedUrl) ?? feedUrl;
  const source =
    feed.name?.trim() || truncate(cleanText(asString(raw.title)), 200) || hostnameOf(feed.url);
  const ctx: FeedContext = {
    feed,
    now,
    ...(base ? { base } : {}),
    ...(source ? { source } : {}),
  };
  const rawItems = Array.isArray(raw.items) ? raw.items : [];
  const items: Item[] = [];
  for (const rawItem of rawItems) {
    if (rawItem === null || typeof rawItem !== 'object') continue;
    const item = normaliseItem(rawItem as RawItem, ctx);
    if (item) items.push(item);
  }
  const unique = distinctIds(items);
  const maxItems = options.maxItems ?? MAX_ITEMS_PER_FEED;
  if (unique.length <= maxItems) return unique;
  // Keep the newest: feeds are usually newest first, but not all of them.
  const order = unique.map((item, index) => ({ item, index }));
  order.sort(
    (a, b) => (b.item.published ?? '').localeCompare(a.item.published ?? '') || a.index - b.index
  );
  return order.slice(0, maxItems).map((o) => o.item);
};

/**
 * The feed's own polling hints in rss-parser's output: RSS `<ttl>` (minutes) and `<skipHours>`
 * (`<hour>` elements, UTC). Never throws; absent when the feed has none usable.
 */
export const pollHintsOf = (output: unknown): { ttlMinutes?: number; skipHours?: number[] } => {
  const raw = (output !== null && typeof output === 'object' ? output : {}) as RawFeed;
  const ttlMinutes = ttlMinutesOf(asString(raw.ttl));
  const hourValues = (raw.skipHours as { hour?: unknown } | undefined)?.hour;
  const hours = skipHoursOf(
    (Array.isArray(hourValues) ? hourValues : [hourValues]).map(asString).filter(Boolean)
  );
  return {
    ...(ttlMinutes !== undefined ? { ttlMinutes } : {}),
    ...(hours.length > 0 ? { skipHours: hours } : {}),
  };
};
