/**
 * The poll flow, over ports: every feed fetched (conditionally), parsed, its unseen items stored
 * under items/ and its state saved, one feed's failure never stopping the others. Fetching and
 * parsing are separate phases: a feed's fetch runs under its own timeout while other feeds parse
 * (parsing pauses between slices and takes at most `parseConcurrency` feeds at once), and each
 * parse has its own time limit.
 */
import pLimit from 'p-limit';
import { errorMessage, FeedError } from '../core/common/errors.ts';
import { toItemLines } from '../core/common/item-lines.ts';
import { redactUrl } from '../core/common/links.ts';
import { oneLine } from '../core/common/plain-text.ts';
import type { FeedConfig } from '../core/common/types.ts';
import {
  afterFailure,
  afterSuccess,
  afterUnchanged,
  type FeedState,
  initialFeedState,
  needsRecordingUnchanged,
  reviveFeedState,
  selectNew,
  stateKey,
} from '../core/feeds/feed-state.ts';
import { MAX_ITEMS_PER_FEED } from '../core/feeds/normalise-feed.ts';
import { type ParsedFeed, type ParseFeedOptions, readFeed } from '../core/feeds/parse-feed.ts';
import type { Clock, FeedFetcher, Logger, ObjectStore } from '../ports.ts';
import { itemsKey } from './keys.ts';

export interface PollFeedsDeps {
  readonly store: ObjectStore;
  readonly fetcher: FeedFetcher;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Feeds fetched at once. @default 16 */
  readonly concurrency?: number;
  /** Feeds parsed at once (parsing is CPU work). @default 2 */
  readonly parseConcurrency?: number;
  /** Longest one feed's parse may take, from its start, in ms. @default DEFAULT_PARSE_TIMEOUT_MS */
  readonly parseTimeoutMs?: number;
  /** The parser (tests and benchmarks substitute their own). @default readFeed */
  readonly parse?: (
    text: string,
    feed: FeedConfig,
    now: Date,
    options: ParseFeedOptions
  ) => Promise<ParsedFeed>;
  /** Called after each feed, for progress on long polls. */
  readonly onFeed?: (report: FeedReport, done: number, total: number) => void;
}

/** Longest one feed's parse may take by default: a 5 MiB feed parses in about a second. */
export const DEFAULT_PARSE_TIMEOUT_MS = 20_000;

/** JavaScript's own errors: their text ("cannot read properties of undefined") is no reason. */
const INTERNAL_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError, EvalError, URIError];

/** The reason a feed failed, as people read it: never a JavaScript error text. */
const failureReason = (err: unknown): string =>
  !(err instanceof FeedError) && INTERNAL_ERRORS.some((kind) => err instanceof kind)
    ? 'unexpected internal error while polling this feed (the log has the details)'
    : errorMessage(err);

const formatSeconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs `run` with an abort signal, and rejects with `timedOut()` once `ms` have passed even if
 * `run` never settles (the signal is aborted then, so a run that listens stops too).
 */
const withTimeLimit = async <T>(
  run: (signal: AbortSignal) => Promise<T>,
  ms: number,
  timedOut: () => Error
): Promise<T> => {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timedOut());
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), limit]);
  } finally {
    clearTimeout(timer);
  }
};

export interface FeedReport {
  /** The feed URL as configured, a password or token in it shown as '***' (redactUrl). */
  readonly url: string;
  readonly name?: string;
  readonly status: 'ok' | 'unchanged' | 'error';
  /** Items in the feed (0 when unchanged or failed). */
  readonly items: number;
  /** Items not seen before, now stored. */
  readonly new: number;
  readonly error?: string;
  readonly warnings: string[];
  /** The items/ object the new items were written to. */
  readonly itemsKey?: string;
  /** Response bytes parsed (0 when unchanged). */
  readonly bytes: number;
  /** Polls in a row that failed, this one included (0 when it succeeded): how stale the feed is. */
  readonly consecutiveFailures: number;
}

export interface PollReport {
  readonly feeds: FeedReport[];
}

/** The feed's stored state; a corrupt one is replaced (the feed is then read in full again). */
const loadState = async (store: ObjectStore, url: string, logger: Logger) => {
  const stored = await store.get(stateKey(url));
  if (!stored) return { state: initialFeedState(url), etag: undefined };
  try {
    return { state: reviveFeedState(JSON.parse(stored.body), url), etag: stored.etag };
  } catch (err) {
    logger.warn('feed state is not valid JSON; starting the feed afresh', {
      feed: url,
      key: stateKey(url),
      error: errorMessage(err),
    });
    return { state: initialFeedState(url), etag: stored.etag };
  }
};

const failedReport = (
  feed: FeedConfig,
  error: string,
  consecutiveFailures: number
): FeedReport => ({
  url: feed.url,
  ...(feed.name ? { name: feed.name } : {}),
  status: 'error',
  items: 0,
  new: 0,
  error,
  warnings: [],
  bytes: 0,
  consecutiveFailures,
});

/**
 * Polls one feed: conditional GET, parse, keep only unseen items, store them, then save the
 * feed's state. Items are marked seen only after they are stored, so a failed write loses
 * nothing: the next poll fetches the feed in full and finds them again. Credentials in the feed's
 * URL go to the fetcher only: its state key and body, its items and every report and log line
 * have the URL redacted.
 */
const pollFeed = async (
  deps: PollFeedsDeps,
  configured: FeedConfig,
  parseSlot: <T>(work: () => Promise<T>) => Promise<T>
): Promise<FeedReport> => {
  const { store, fetcher, clock, logger } = deps;
  const parse = deps.parse ?? readFeed;
  const parseTimeoutMs = deps.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const feed = { ...configured, url: redactUrl(configured.url) };
  const base = { url: feed.url, ...(feed.name ? { name: feed.name } : {}) };
  let loaded: Awaited<ReturnType<typeof loadState>>;
  try {
    loaded = await loadState(store, feed.url, logger);
  } catch (err) {
    const message = `cannot read the feed's state ${stateKey(feed.url)}: ${errorMessage(err)}`;
    logger.error('feed state unreadable', { feed: feed.url, error: message });
    return failedReport(feed, message, 1);
  }
  const { state, etag } = loaded;
  const saveState = (next: FeedState) =>
    store.put(stateKey(feed.url), JSON.stringify(next), {
      contentType: 'application/json',
      ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' as const }),
    });
  try {
    const fetched = await fetcher.fetch(configured.url, {
      ...(state.etag ? { etag: state.etag } : {}),
      ...(state.lastModified ? { lastModified: state.lastModified } : {}),
    });
    if (fetched.status === 'unchanged') {
      const now = clock.now();
      if (needsRecordingUnchanged(state, now)) await saveState(afterUnchanged(state, now));
      return {
        ...base,
        status: 'unchanged',
        items: 0,
        new: 0,
        warnings: [],
        bytes: 0,
        consecutiveFailures: 0,
      };
    }
    const now = clock.now();
    const { items, itemsSeen } = await parseSlot(() =>
      withTimeLimit(
        (signal) => parse(fetched.text, feed, now, { signal }),
        parseTimeoutMs,
        () =>
          new FeedError(
            feed.url,
            `not a usable feed: parsing ${feed.url} took longer than ${formatSeconds(parseTimeoutMs)} (the per-feed parse time limit)`
          )
      )
    );
    const { fresh, overflow } = selectNew(state, items);
    const warnings: string[] = [];
    if (itemsSeen > MAX_ITEMS_PER_FEED) {
      warnings.push(
        `the feed has ${itemsSeen} items, over the cap of ${MAX_ITEMS_PER_FEED}: only the newest ${MAX_ITEMS_PER_FEED} were read`
      );
    }
    if (overflow) {
      warnings.push(
        `all ${items.length} items are new since the last poll: the feed's window overflowed, so items may have been missed; poll it more often`
      );
    }
    let key: string | undefined;
    if (fresh.length > 0) {
      key = itemsKey(now, feed.url);
      await store.put(key, toItemLines(fresh), { contentType: 'application/x-ndjson' });
    }
    const next = afterSuccess(state, { validators: fetched.validators, items, now });
    if (next !== state) await saveState(next);
    for (const warning of warnings) logger.warn(warning, { feed: feed.url });
    return {
      ...base,
      status: 'ok',
      items: items.length,
      new: fresh.length,
      warnings,
      bytes: fetched.bytes,
      consecutiveFailures: 0,
      ...(key ? { itemsKey: key } : {}),
    };
  } catch (err) {
    // One line without control characters: it may quote the server, and goes to logs and terminals.
    const message = oneLine(failureReason(err));
    logger.warn('feed failed', {
      feed: feed.url,
      error: message,
      ...(message !== errorMessage(err) ? { cause: oneLine(errorMessage(err)) } : {}),
    });
    const failed = afterFailure(state, message, clock.now());
    try {
      await saveState(failed);
    } catch (saveErr) {
      logger.error('could not record the feed failure', {
        feed: feed.url,
        error: errorMessage(saveErr),
      });
    }
    return failedReport(feed, message, failed.consecutiveFailures);
  }
};

/** Polls every feed with bounded concurrency; one feed's failure never stops the others. */
export const pollFeeds = async (
  deps: PollFeedsDeps,
  feeds: readonly FeedConfig[]
): Promise<PollReport> => {
  const limit = pLimit(deps.concurrency ?? 16);
  const parseSlot = pLimit(deps.parseConcurrency ?? 2);
  let done = 0;
  const reports = await Promise.all(
    feeds.map((feed) =>
      limit(async () => {
        const report = await pollFeed(deps, feed, (work) => parseSlot(work));
        done += 1;
        deps.onFeed?.(report, done, feeds.length);
        return report;
      })
    )
  );
  return { feeds: reports };
};
