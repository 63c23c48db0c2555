/**
 * Per-feed state: HTTP validators, the ids already seen and the feed's health.
 * Pure and JSON-serialisable: the poller loads it from the store, passes it through these
 * functions and writes the result back.
 */
import { createHash } from 'node:crypto';
import type { Item } from '../common/types.ts';

export type FeedStatus = 'ok' | 'unchanged' | 'error';

export interface FeedState {
  /** The feed URL exactly as configured. */
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** Ids of items seen, most recent first, bounded (see afterSuccess). */
  readonly seen: readonly string[];
  /** ISO time of the last poll that fetched the feed (ok or unchanged). */
  readonly lastSuccess?: string;
  /** ISO time of the last poll, whatever its outcome. */
  readonly lastAttempt?: string;
  readonly consecutiveFailures: number;
  /** The reason of the last failure (kept after a recovery, for the record). */
  readonly lastError?: string;
  readonly lastStatus?: FeedStatus;
}

/** Seen ids kept at least (a busy feed keeps 3x its length, see afterSuccess). */
export const DEFAULT_MAX_SEEN = 1000;

/** How often an unchanged feed's state is written anyway, so its health stays current. */
export const UNCHANGED_HEARTBEAT_MS = 6 * 60 * 60 * 1000;

/**
 * A poll that changes nothing but the times returns the state as it was (the same object), so
 * the caller can skip the write, until the last recorded success is this old.
 */
export const DEFAULT_REFRESH_MS = UNCHANGED_HEARTBEAT_MS;

/** Healthy, and its times recent enough that rewriting them alone is not worth a write. */
const recentlyHealthy = (state: FeedState, now: Date, refreshMs: number): boolean => {
  if (state.consecutiveFailures !== 0 || state.lastStatus === 'error' || !state.lastSuccess) {
    return false;
  }
  const age = now.getTime() - Date.parse(state.lastSuccess);
  return age >= 0 && age < refreshMs;
};

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, index) => value === b[index]);

export const initialFeedState = (url: string): FeedState => ({
  url,
  seen: [],
  consecutiveFailures: 0,
});

/** Where a feed's state lives in the store: `state/feeds/<first 16 hex of sha256(url)>.json`. */
export const stateKey = (url: string): string =>
  `state/feeds/${createHash('sha256').update(url).digest('hex').slice(0, 16)}.json`;

/**
 * Reads a stored state defensively: anything missing or of the wrong type falls back to the
 * initial state's value, so an old or hand-edited state object never stops a poll.
 */
export const reviveFeedState = (value: unknown, url: string): FeedState => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return initialFeedState(url);
  }
  const v = value as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
  const status = str(v.lastStatus);
  const seen = Array.isArray(v.seen)
    ? v.seen.filter((s): s is string => typeof s === 'string')
    : [];
  const failures = v.consecutiveFailures;
  return compact({
    url,
    etag: str(v.etag),
    lastModified: str(v.lastModified),
    seen,
    lastSuccess: str(v.lastSuccess),
    lastAttempt: str(v.lastAttempt),
    consecutiveFailures:
      typeof failures === 'number' && Number.isInteger(failures) && failures >= 0 ? failures : 0,
    lastError: str(v.lastError),
    lastStatus:
      status === 'ok' || status === 'unchanged' || status === 'error' ? status : undefined,
  });
};

/** Drops undefined fields so the state stays small and round-trips through JSON unchanged. */
const compact = (state: { [K in keyof FeedState]: FeedState[K] | undefined }): FeedState =>
  Object.fromEntries(
    Object.entries(state).filter(([, value]) => value !== undefined)
  ) as unknown as FeedState;

export interface NewItems {
  /** Items not seen before, in feed order, each id once. */
  readonly fresh: Item[];
  /**
   * True when every item of a poll after the first is new: the feed's window moved past
   * everything we had seen, so items published in between may have been missed.
   */
  readonly overflow: boolean;
}

/**
 * How an item id is written in the seen list: the id itself by default; the shard state keeps a
 * short hash of it (seenKey in shard-state.ts).
 */
export type SeenKey = (id: string) => string;

const asIs: SeenKey = (id) => id;

/** The items of a poll that were not seen before (`key`: how the seen list writes an id). */
export const selectNew = (
  state: FeedState,
  items: readonly Item[],
  key: SeenKey = asIs
): NewItems => {
  const seen = new Set(state.seen);
  const fresh: Item[] = [];
  const taken = new Set<string>();
  for (const item of items) {
    const k = key(item.id);
    if (seen.has(k) || taken.has(k)) continue;
    taken.add(k);
    fresh.push(item);
  }
  const overflow =
    state.seen.length > 0 && items.length > 0 && items.every((item) => !seen.has(key(item.id)));
  return { fresh, overflow };
};

export interface SuccessInput {
  readonly validators: { readonly etag?: string; readonly lastModified?: string };
  /** Every item of the feed as fetched (not only the new ones): their ids are what is read. */
  readonly items: readonly Pick<Item, 'id'>[];
  readonly now: Date;
  /** Lower bound of the seen list. @default 1000 */
  readonly maxSeen?: number;
  /** See DEFAULT_REFRESH_MS. @default 6 hours */
  readonly refreshMs?: number;
  /** How the seen list writes an id (see SeenKey). @default the id itself */
  readonly key?: SeenKey;
}

/**
 * The state after a successful fetch: the response's validators, the feed's ids in front of
 * the seen list (feed order, so newest first for ordinary feeds), then older ids, bounded to
 * max(maxSeen, 3 x the feed's length, the list's current length) so a busy feed never
 * re-announces items still in it (at most 3 x MAX_ITEMS_PER_FEED ids with parseFeed's cap).
 * Call it only after the new items were stored.
 *
 * Returns `state` itself (compare with `!==` to skip the write) when nothing but the times would
 * change and the last success is recent (see DEFAULT_REFRESH_MS): a feed without validators
 * that is fetched in full every poll then costs no write either.
 */
export const afterSuccess = (state: FeedState, input: SuccessInput): FeedState => {
  // Never shrinks either: a feed that comes back empty or short for a poll (a CMS glitch) must
  // not forget the items it will show again.
  const limit = Math.max(
    input.maxSeen ?? DEFAULT_MAX_SEEN,
    3 * input.items.length,
    state.seen.length
  );
  const seen: string[] = [];
  const added = new Set<string>();
  const push = (id: string) => {
    if (seen.length < limit && !added.has(id)) {
      added.add(id);
      seen.push(id);
    }
  };
  const key = input.key ?? asIs;
  for (const item of input.items) push(key(item.id));
  for (const id of state.seen) push(id);
  if (
    recentlyHealthy(state, input.now, input.refreshMs ?? DEFAULT_REFRESH_MS) &&
    state.etag === input.validators.etag &&
    state.lastModified === input.validators.lastModified &&
    sameList(seen, state.seen)
  ) {
    return state;
  }
  const at = input.now.toISOString();
  return compact({
    url: state.url,
    etag: input.validators.etag,
    lastModified: input.validators.lastModified,
    seen,
    lastSuccess: at,
    lastAttempt: at,
    consecutiveFailures: 0,
    lastError: state.lastError,
    lastStatus: 'ok',
  });
};

/**
 * The state after a 304 (or an unchanged file): only the times and health change. Returns
 * `state` itself (skip the write) while the feed is healthy and its last success is recent
 * (see DEFAULT_REFRESH_MS), so an unchanged feed costs no write on most polls.
 */
export const afterUnchanged = (
  state: FeedState,
  now: Date,
  refreshMs = DEFAULT_REFRESH_MS
): FeedState =>
  recentlyHealthy(state, now, refreshMs)
    ? state
    : {
        ...state,
        lastSuccess: now.toISOString(),
        lastAttempt: now.toISOString(),
        consecutiveFailures: 0,
        lastStatus: 'unchanged',
      };

/** The state after a failed poll: validators and seen ids are kept, the failure is counted. */
export const afterFailure = (state: FeedState, message: string, now: Date): FeedState => ({
  ...state,
  lastAttempt: now.toISOString(),
  consecutiveFailures: state.consecutiveFailures + 1,
  lastError: message,
  lastStatus: 'error',
});

/**
 * Whether a 304 needs its state written: only when it ends a run of failures or the last
 * recorded success is older than the heartbeat. An unchanged feed otherwise costs no write.
 * (The same as `afterUnchanged(state, now) !== state`.)
 */
export const needsRecordingUnchanged = (state: FeedState, now: Date): boolean =>
  afterUnchanged(state, now) !== state;
