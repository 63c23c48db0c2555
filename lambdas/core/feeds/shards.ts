/**
 * Feed shards: the feed list split into groups of a few hundred feeds, each polled by one worker
 * and keeping its feeds' state in one object (docs/ARCHITECTURE.md, "Shards").
 *
 * A feed's shard is its URL's hash modulo the shard count, and the count is a power of two, so a
 * list that grows or shrinks past a power of two moves each feed between exactly two known
 * shards (index mod the smaller count), where a worker can find its state again.
 * Pure: the scheduler and the CLI call shardFeeds; a worker calls feedsOfShard on the list it read.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../common/errors.ts';
import type { FeedConfig } from '../common/types.ts';

/**
 * Feeds per shard aimed at: one state object (about 0.5 KB a feed) and one worker run for this
 * many feeds. Each run costs a state read and write and an items object whatever its size, and
 * lasts at least as long as its slowest fetch, so larger shards cost less (bench/cost.ts).
 */
export const DEFAULT_FEEDS_PER_SHARD = 1000;
/** The largest shard count (50,000 feeds at the default make 64). */
export const MAX_SHARD_COUNT = 4096;

/** One shard of a feed list: `count` shards in all, this one at `index`. */
export interface ShardRef {
  readonly count: number;
  readonly index: number;
}

export interface FeedShard extends ShardRef {
  readonly feeds: readonly FeedConfig[];
}

/** The shard count for a list: the smallest power of two giving at most `perShard` feeds each on average. */
export const shardCountFor = (feedCount: number, perShard = DEFAULT_FEEDS_PER_SHARD): number => {
  if (!Number.isInteger(perShard) || perShard < 1) {
    throw new RangeError(`feeds per shard must be a whole number of at least 1, got ${perShard}`);
  }
  let count = 1;
  while (count * perShard < feedCount && count < MAX_SHARD_COUNT) count *= 2;
  return count;
};

/** The shard of a feed URL among `count` shards. */
export const shardOf = (url: string, count: number): number =>
  count <= 1 ? 0 : createHash('sha256').update(url).digest().readUInt32BE(0) % count;

/** The feeds of one shard, in list order. */
export const feedsOfShard = (feeds: readonly FeedConfig[], shard: ShardRef): FeedConfig[] =>
  feeds.filter((feed) => shardOf(feed.url, shard.count) === shard.index);

/** The list split into shards; shards with no feed are left out. */
export const shardFeeds = (
  feeds: readonly FeedConfig[],
  perShard = DEFAULT_FEEDS_PER_SHARD
): FeedShard[] => {
  const count = shardCountFor(feeds.length, perShard);
  const groups: FeedConfig[][] = Array.from({ length: count }, () => []);
  for (const feed of feeds) groups[shardOf(feed.url, count)]?.push(feed);
  return groups.flatMap((group, index) =>
    group.length > 0 ? [{ count, index, feeds: group }] : []
  );
};

/** Where a shard's feed state lives in the store. */
export const shardStateKey = (shard: ShardRef): string =>
  `state/shards/${shard.count}-${shard.index}.json`;

/**
 * The shards that may hold a feed's state from before the count changed to `shard.count`: the
 * shard at half the count and the one at double, nearest first.
 */
export const previousShardsOf = (url: string, shard: ShardRef): ShardRef[] => {
  const nearby = [shard.count / 2, shard.count * 2].filter(
    (count) => Number.isInteger(count) && count >= 1 && count <= MAX_SHARD_COUNT
  );
  return nearby.map((count) => ({ count, index: shardOf(url, count) }));
};

/** The message the scheduler sends to a poller worker: which shard, for which scheduled tick. */
export interface ShardMessage extends ShardRef {
  readonly v: 1;
  /** The scheduled time of the tick (ISO), so a late or retried delivery knows its age. */
  readonly tick: string;
}

export const encodeShardMessage = (shard: ShardRef, tick: Date): string =>
  JSON.stringify({ v: 1, count: shard.count, index: shard.index, tick: tick.toISOString() });

/** A message body read back; anything else is an InvalidInputError naming what is wrong. */
export const parseShardMessage = (body: string): ShardMessage => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidInputError('shard message is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError('shard message is not a JSON object');
  }
  const { v, count, index, tick } = value as Record<string, unknown>;
  if (v !== 1) throw new InvalidInputError(`shard message version ${String(v)} is not 1`);
  const isPowerOfTwo = (n: number): boolean => n >= 1 && (n & (n - 1)) === 0;
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    !isPowerOfTwo(count) ||
    count > MAX_SHARD_COUNT
  ) {
    throw new InvalidInputError(
      `shard message count ${String(count)} is not a power of two up to ${MAX_SHARD_COUNT}`
    );
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new InvalidInputError(`shard message index ${String(index)} is not 0 to ${count - 1}`);
  }
  if (typeof tick !== 'string' || Number.isNaN(Date.parse(tick))) {
    throw new InvalidInputError(`shard message tick ${String(tick)} is not an ISO time`);
  }
  return { v: 1, count, index, tick };
};
