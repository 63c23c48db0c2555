/**
 * One feed's poll, over ports: fetched (conditionally, with its validators), parsed and its unseen
 * items picked, writing nothing: the shard's poll (poll.ts) stores the items and the state of all
 * its feeds at once. Fetching and parsing are separate phases: a feed's fetch runs under its own
 * timeout while other feeds parse (parsing pauses between slices and takes at most
 * `parseConcurrency` feeds at once), and each parse has its own time limit.
 */
import { errorMessage, FeedError } from '../core/common/errors.ts';
import { oneLine } from '../core/common/plain-text.ts';
import type { FeedConfig, Item } from '../core/common/types.ts';
import { type FeedState, type SeenKey, selectNew } from '../core/feeds/feed-state.ts';
import { MAX_ITEMS_PER_FEED } from '../core/feeds/normalise-feed.ts';
import { type ParsedFeed, type ParseFeedOptions, readFeed } from '../core/feeds/parse-feed.ts';
import type { ScheduleBounds } from '../core/feeds/poll-schedule.ts';
import type { Clock, FeedFetcher, Logger, ObjectStore, PollHeaders, Validators } from '../ports.ts';

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
  /** Called after each feed polled, for progress on long polls. */
  readonly onFeed?: (report: FeedReport, done: number, total: number) => void;
  /** The shortest and longest interval between two polls of a feed. @default 5 to 60 minutes */
  readonly schedule?: ScheduleBounds;
  /**
   * Poll only the feeds due at the tick (adaptive polling); false polls every feed of the list
   * (`newsalert run` once), still keeping each feed's schedule. @default true
   */
  readonly dueOnly?: boolean;
  /** Feeds per shard when pollFeeds splits a list. @default DEFAULT_FEEDS_PER_SHARD */
  readonly perShard?: number;
  /** Conditional writes of a shard's state retried after a lost race. @default 5 */
  readonly stateRetries?: number;
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
  /** The feeds polled (the ones not due are counted in `notDue`), in list order. */
  readonly feeds: FeedReport[];
  /** The items/ objects written (one per shard that found new items). */
  readonly itemsKeys: string[];
  /** Feeds not due at this tick, left for a later one. */
  readonly notDue: number;
}

export const failedReport = (
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

/** What one feed's poll found; nothing is written yet. */
export type FeedOutcome =
  | { readonly kind: 'unchanged'; readonly headers?: PollHeaders }
  | {
      readonly kind: 'ok';
      /**
       * Every item of the feed as fetched, by id and date only: a shard's outcomes are kept until
       * its items object is written, and the full items of a thousand feeds would not fit.
       */
      readonly items: Pick<Item, 'id' | 'published'>[];
      /** The items not seen before. */
      readonly fresh: Item[];
      readonly warnings: string[];
      readonly validators: Validators;
      readonly bytes: number;
      readonly headers?: PollHeaders;
      readonly ttlMinutes?: number;
      readonly skipHours?: number[];
    }
  | { readonly kind: 'failed'; readonly message: string; readonly retryAfter?: string };

/**
 * Fetches one feed with its state's validators, parses it and picks the unseen items (`key`: how
 * the state's seen list writes an id). Never throws: a failure is an outcome with a readable
 * reason, logged. `configured` is the feed as configured (its URL may carry credentials, which go
 * to the fetcher only); `feed` the same with the URL redacted.
 */
export const readFeedOnce = async (
  deps: PollFeedsDeps,
  configured: FeedConfig,
  feed: FeedConfig,
  state: FeedState,
  key: SeenKey,
  parseSlot: <T>(work: () => Promise<T>) => Promise<T>
): Promise<FeedOutcome> => {
  const { fetcher, clock, logger } = deps;
  const parse = deps.parse ?? readFeed;
  const parseTimeoutMs = deps.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  try {
    const fetched = await fetcher.fetch(configured.url, {
      ...(state.etag ? { etag: state.etag } : {}),
      ...(state.lastModified ? { lastModified: state.lastModified } : {}),
    });
    if (fetched.status === 'unchanged') {
      return { kind: 'unchanged', ...(fetched.headers ? { headers: fetched.headers } : {}) };
    }
    const now = clock.now();
    const parsed = await parseSlot(() =>
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
    const { items, itemsSeen } = parsed;
    const { fresh, overflow } = selectNew(state, items, key);
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
    for (const warning of warnings) logger.warn(warning, { feed: feed.url });
    return {
      kind: 'ok',
      items: items.map(({ id, published }) => (published ? { id, published } : { id })),
      fresh,
      warnings,
      validators: fetched.validators,
      bytes: fetched.bytes,
      ...(fetched.headers ? { headers: fetched.headers } : {}),
      ...(parsed.ttlMinutes !== undefined ? { ttlMinutes: parsed.ttlMinutes } : {}),
      ...(parsed.skipHours ? { skipHours: parsed.skipHours } : {}),
    };
  } catch (err) {
    // One line without control characters: it may quote the server, and goes to logs and terminals.
    const message = oneLine(failureReason(err));
    logger.warn('feed failed', {
      feed: feed.url,
      error: message,
      ...(message !== errorMessage(err) ? { cause: oneLine(errorMessage(err)) } : {}),
    });
    const retryAfter = err instanceof FeedError ? err.retryAfter : undefined;
    return { kind: 'failed', message, ...(retryAfter ? { retryAfter } : {}) };
  }
};
