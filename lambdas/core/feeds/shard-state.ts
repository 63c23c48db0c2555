/**
 * Shard state: one document per shard (shardStateKey in shards.ts) holding every feed's state
 * (feed-state.ts: validators, seen ids, health) and its schedule (poll-schedule.ts), keyed by the
 * feed URL as stored (redacted). Kept small: the seen ids are short hashes written as one string,
 * and a feed keeps at least SHARD_MIN_SEEN of them (3x its length when busier). Pure and
 * JSON-serialisable; reading is defensive like reviveFeedState, so an old or hand-edited document
 * never stops a poll.
 */
import { createHash } from 'node:crypto';
import { type FeedState, initialFeedState, reviveFeedState } from './feed-state.ts';
import type { FeedSchedule } from './poll-schedule.ts';
import type { ShardRef } from './shards.ts';

/** One feed in its shard: its state (seen ids as seenKey hashes) and its schedule. */
export interface ShardFeed {
  readonly state: FeedState;
  readonly schedule: FeedSchedule;
}

/** A shard's feeds by stored URL. */
export type ShardState = ReadonlyMap<string, ShardFeed>;

/**
 * Seen ids a feed keeps at least in its shard (afterSuccess's `maxSeen`): with the 3x-its-length
 * rule, a 30-item feed keeps 100, a 2,000-item one 6,000; never fewer than it has.
 */
export const SHARD_MIN_SEEN = 100;

/** Characters of a seen key: 48 bits of SHA-256 in base64url. */
export const SEEN_KEY_CHARS = 8;

const SEEN_KEY = /^[A-Za-z0-9_-]{8}$/;

/**
 * An item id as the shard's seen list keeps it: 8 base64url characters of its SHA-256. Two ids
 * of one feed's ~100-6,000 kept share a key with odds under 1 in 10^10 per new item.
 */
export const seenKey = (id: string): string =>
  createHash('sha256').update(id).digest('base64url').slice(0, SEEN_KEY_CHARS);

export const initialShardFeed = (url: string): ShardFeed => ({
  state: initialFeedState(url),
  schedule: {},
});

/**
 * A per-feed state of the former layout (`state/feeds/<hash>.json`, ids in full) in the shard's
 * form: ids hashed, all kept; due now.
 */
export const shardFeedFromLegacy = (legacy: FeedState): ShardFeed => ({
  state: { ...legacy, seen: legacy.seen.map(seenKey) },
  schedule: {},
});

const reviveSchedule = (v: Record<string, unknown>): FeedSchedule => {
  const at = typeof v.nextPollAt === 'string' && !Number.isNaN(Date.parse(v.nextPollAt));
  const positive = (x: unknown): x is number =>
    typeof x === 'number' && Number.isFinite(x) && x > 0;
  const hours = Array.isArray(v.skipHours)
    ? [
        ...new Set(
          v.skipHours.filter((h): h is number => Number.isInteger(h) && h >= 0 && h <= 23)
        ),
      ].sort((a, b) => a - b)
    : [];
  return {
    ...(at ? { nextPollAt: v.nextPollAt as string } : {}),
    ...(positive(v.intervalMinutes) ? { intervalMinutes: v.intervalMinutes } : {}),
    ...(positive(v.ttlMinutes) ? { ttlMinutes: v.ttlMinutes } : {}),
    ...(hours.length > 0 ? { skipHours: hours } : {}),
    ...(positive(v.gapMinutes) ? { gapMinutes: v.gapMinutes } : {}),
    ...(typeof v.lastItemAt === 'string' && !Number.isNaN(Date.parse(v.lastItemAt))
      ? { lastItemAt: v.lastItemAt }
      : {}),
  };
};

/** The seen field as stored (one string of keys) back to a list; junk keys are left out. */
const reviveSeen = (seen: unknown): string[] => {
  const keys: string[] = [];
  if (typeof seen === 'string') {
    for (let at = 0; at + SEEN_KEY_CHARS <= seen.length; at += SEEN_KEY_CHARS) {
      keys.push(seen.slice(at, at + SEEN_KEY_CHARS));
    }
  } else if (Array.isArray(seen)) {
    for (const key of seen) if (typeof key === 'string') keys.push(key);
  }
  return keys.filter((key) => SEEN_KEY.test(key));
};

/** One feed's entry read defensively (see reviveFeedState). */
export const reviveShardFeed = (value: unknown, url: string): ShardFeed => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return initialShardFeed(url);
  }
  const v = value as Record<string, unknown>;
  return {
    state: reviveFeedState({ ...v, seen: reviveSeen(v.seen) }, url),
    schedule: reviveSchedule(v),
  };
};

/** A stored shard document read defensively: anything that is not a feed entry is left out. */
export const reviveShardState = (value: unknown): Map<string, ShardFeed> => {
  const feeds = new Map<string, ShardFeed>();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return feeds;
  const entries = (value as { feeds?: unknown }).feeds;
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) return feeds;
  for (const [url, entry] of Object.entries(entries as Record<string, unknown>)) {
    feeds.set(url, reviveShardFeed(entry, url));
  }
  return feeds;
};

/**
 * The shard document: `{v: 1, shard: "<count>-<index>", feeds: {<url>: {...state, seen:
 * "<keys>", ...schedule}}}`, feeds in the order given.
 */
export const encodeShardState = (shard: ShardRef, feeds: ShardState): string => {
  const out: Record<string, unknown> = {};
  for (const [url, { state, schedule }] of feeds) {
    const { url: _url, seen, ...rest } = state;
    out[url] = { ...rest, seen: seen.join(''), ...schedule };
  }
  return JSON.stringify({ v: 1, shard: `${shard.count}-${shard.index}`, feeds: out });
};

/**
 * Another worker's document with this worker's feeds laid over it: the feeds in `mine` take
 * their values, the others keep theirs; only the feeds in `keep` (the shard's list) remain.
 */
export const mergeShardStates = (
  theirs: ShardState,
  mine: ShardState,
  keep: ReadonlySet<string>
): Map<string, ShardFeed> => {
  const merged = new Map<string, ShardFeed>();
  for (const url of keep) {
    const entry = mine.get(url) ?? theirs.get(url);
    if (entry) merged.set(url, entry);
  }
  return merged;
};
