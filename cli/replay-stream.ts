/**
 * A recorded stream of feed entries, read and scheduled for `newsalert replay`: the entries
 * each simulated poll finds, and each feed as the RSS document an outlet would serve at that
 * time. Pure: time comes from the entries, never from the clock.
 */
import { InvalidInputError } from '../lambdas/core/common/errors.ts';
import type { FeedConfig } from '../lambdas/core/common/types.ts';
import type { FeedFetcher, FetchResult, Validators } from '../lambdas/ports.ts';

/** One recorded entry (a line of the replay input). */
export interface StreamEntry {
  readonly id: string;
  /** A URL or name: tells the entries of one feed apart. */
  readonly feed: string;
  readonly outlet?: string;
  readonly title: string;
  readonly summary?: string;
  readonly link?: string;
  /** ISO-8601, as recorded. */
  readonly published: string;
  /** `published` in milliseconds. */
  readonly at: number;
}

const optionalString = (
  line: Record<string, unknown>,
  key: string,
  where: string
): string | undefined => {
  const value = line[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new InvalidInputError(`${where}: "${key}" must be a string, got ${typeof value}`);
  }
  return value;
};

const requiredString = (line: Record<string, unknown>, key: string, where: string): string => {
  const value = optionalString(line, key, where);
  if (value === undefined || value.trim() === '') {
    throw new InvalidInputError(`${where}: "${key}" is missing or empty`);
  }
  return value;
};

/**
 * Reads the replay input: one JSON object a line (blank lines ignored). Any bad line stops the
 * replay with an error naming the file and the line; ids must be unique.
 */
export const parseStream = (text: string, source: string): StreamEntry[] => {
  const entries: StreamEntry[] = [];
  const ids = new Map<string, number>();
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const where = `${source} line ${lineNo}`;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new InvalidInputError(`${where}: not a JSON object (each line holds one entry)`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InvalidInputError(`${where}: not a JSON object (each line holds one entry)`);
    }
    const line = parsed as Record<string, unknown>;
    const id = requiredString(line, 'id', where);
    const published = requiredString(line, 'published', where);
    const at = Date.parse(published);
    if (Number.isNaN(at)) {
      throw new InvalidInputError(`${where}: "published" is not an ISO-8601 time: ${published}`);
    }
    const earlier = ids.get(id);
    if (earlier !== undefined) {
      throw new InvalidInputError(`${where}: id ${JSON.stringify(id)} repeats line ${earlier}`);
    }
    ids.set(id, lineNo);
    const outlet = optionalString(line, 'outlet', where);
    const summary = optionalString(line, 'summary', where);
    const link = optionalString(line, 'link', where);
    entries.push({
      id,
      feed: requiredString(line, 'feed', where),
      ...(outlet ? { outlet } : {}),
      title: requiredString(line, 'title', where),
      ...(summary ? { summary } : {}),
      ...(link ? { link } : {}),
      published,
      at,
    });
  });
  return entries;
};

/** Entries in the order a feed shows them over time: published, then id. */
const byTime = (a: StreamEntry, b: StreamEntry): number =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One simulated poll: its time and, per feed, how many of the feed's entries are out by then. */
export interface ScheduledPoll {
  readonly at: Date;
  /** Feeds with new entries at this poll (sorted), and the count of entries out by then. */
  readonly changed: ReadonlyArray<{ readonly feed: string; readonly out: number }>;
}

export interface Schedule {
  readonly polls: ScheduledPoll[];
  /** Every poll time from the first to the last, changed or not. */
  readonly pollCount: number;
  /** Each feed's entries in time order. */
  readonly feeds: ReadonlyMap<string, readonly StreamEntry[]>;
}

/**
 * Poll times every `intervalMs` from the earliest `published` (floored to the interval) to the
 * latest; at each, every feed yields its entries published at or before it and not yet yielded.
 * Only polls where some feed has something new are listed: at the others every feed would
 * answer "unchanged".
 */
export const schedule = (entries: readonly StreamEntry[], intervalMs: number): Schedule => {
  const feeds = new Map<string, StreamEntry[]>();
  for (const entry of entries) {
    const list = feeds.get(entry.feed) ?? [];
    list.push(entry);
    feeds.set(entry.feed, list);
  }
  for (const list of feeds.values()) list.sort(byTime);
  if (entries.length === 0) return { polls: [], pollCount: 0, feeds };
  const first = Math.min(...entries.map((e) => e.at));
  const last = Math.max(...entries.map((e) => e.at));
  const start = Math.floor(first / intervalMs) * intervalMs;
  const pollCount = Math.ceil((last - start) / intervalMs) + 1;
  // The poll at which each entry comes out: the first poll time at or after it.
  const changes = new Map<number, Map<string, number>>();
  for (const [feed, list] of feeds) {
    list.forEach((entry, i) => {
      const poll = Math.ceil((entry.at - start) / intervalMs);
      const perFeed = changes.get(poll) ?? new Map<string, number>();
      perFeed.set(feed, i + 1);
      changes.set(poll, perFeed);
    });
  }
  const polls = [...changes.keys()]
    .sort((a, b) => a - b)
    .map((poll) => ({
      at: new Date(start + poll * intervalMs),
      changed: [...(changes.get(poll) ?? new Map<string, number>())]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([feed, out]) => ({ feed, out })),
    }));
  return { polls, pollCount, feeds };
};

/** Characters XML 1.0 cannot carry at all. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text as an RSS element's content; the feed parser reads it back as a feed's text (HTML). */
const xmlEscape = (text: string): string =>
  text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** The RSS 2.0 document a feed serves: its newest `window` entries, newest first. */
export const feedDocument = (
  feed: string,
  entries: readonly StreamEntry[],
  window: number
): string => {
  const shown = entries.slice(-window).reverse();
  const outlet = shown.find((e) => e.outlet)?.outlet ?? feed;
  const items = shown.map(
    (e) =>
      `<item><guid isPermaLink="false">${xmlEscape(e.id)}</guid><title>${xmlEscape(e.title)}</title>` +
      (e.summary ? `<description>${xmlEscape(e.summary)}</description>` : '') +
      (e.link ? `<link>${xmlEscape(e.link)}</link>` : '') +
      `<pubDate>${new Date(e.at).toUTCString()}</pubDate></item>`
  );
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xmlEscape(outlet)}</title>${items.join('')}</channel></rss>`;
};

/** The replayed feeds as the poller configures them: the `feed` value is the URL. */
export const streamFeeds = (schedule: Schedule): FeedConfig[] =>
  [...schedule.feeds.keys()].sort().map((url) => ({ url }));

/**
 * Serves each feed as it stood at the current poll: an RSS document of its newest entries out by
 * then (its `window`, or every entry new since the last poll when there are more),
 * with an ETag that changes only when the feed does, so an unchanged feed answers "unchanged"
 * exactly as a conditional GET would.
 */
export class ReplayFetcher implements FeedFetcher {
  private readonly out = new Map<string, number>();
  /** Entries each feed had out when the poller last fetched it in full: what it has seen. */
  private readonly served = new Map<string, number>();

  constructor(
    private readonly schedule: Schedule,
    private readonly window = 25
  ) {}

  /** Moves the stream to a poll: the feeds it lists now show that many entries. */
  advance(poll: ScheduledPoll): void {
    for (const { feed, out } of poll.changed) this.out.set(feed, out);
  }

  async fetch(url: string, validators: Validators): Promise<FetchResult> {
    const out = this.out.get(url) ?? 0;
    const etag = `"${out}"`;
    if (validators.etag === etag) return { status: 'unchanged', validators };
    const entries = (this.schedule.feeds.get(url) ?? []).slice(0, out);
    // A feed's usual window, but never fewer than its new entries: a long poll interval must not
    // drop entries the recording holds.
    const fresh = out - (this.served.get(url) ?? 0);
    this.served.set(url, out);
    const text = feedDocument(url, entries, Math.max(this.window, fresh));
    return { status: 'ok', text, bytes: Buffer.byteLength(text), validators: { etag } };
  }
}
