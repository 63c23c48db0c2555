import { describe, expect, it } from 'vitest';
import {
  encodeShardMessage,
  feedsOfShard,
  parseShardMessage,
  previousShardsOf,
  shardCountFor,
  shardFeeds,
  shardOf,
  shardStateKey,
} from '../../../../lambdas/core/feeds/shards.ts';

const feeds = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ url: `https://feeds.example.org/${i}.xml` }));

describe('shards', () => {
  it('uses the smallest power of two that keeps shards at most perShard on average', () => {
    expect(shardCountFor(0, 250)).toBe(1);
    expect(shardCountFor(250, 250)).toBe(1);
    expect(shardCountFor(251, 250)).toBe(2);
    expect(shardCountFor(5_000, 250)).toBe(32);
    expect(shardCountFor(50_000, 250)).toBe(256);
    expect(() => shardCountFor(10, 0)).toThrow(/feeds per shard/);
  });

  it('puts every feed in exactly one shard, and a worker finds the same feeds', () => {
    const list = feeds(5_000);
    const shards = shardFeeds(list, 250);
    expect(shards.reduce((n, s) => n + s.feeds.length, 0)).toBe(5_000);
    for (const shard of shards) {
      expect(shard.count).toBe(32);
      expect(feedsOfShard(list, shard)).toEqual(shard.feeds);
      // Spread evenly enough that no shard is more than twice the average
      expect(shard.feeds.length).toBeLessThan((2 * 5_000) / 32);
    }
  });

  it('finds a feed again in the shard that held it before the count doubled or halved', () => {
    for (const { url } of feeds(200)) {
      const now = { count: 8, index: shardOf(url, 8) };
      expect(previousShardsOf(url, now)).toEqual([
        { count: 4, index: shardOf(url, 4) },
        { count: 16, index: shardOf(url, 16) },
      ]);
      expect(shardOf(url, 4)).toBe(now.index % 4);
    }
    expect(previousShardsOf('https://x.example/', { count: 1, index: 0 })).toEqual([
      { count: 2, index: shardOf('https://x.example/', 2) },
    ]);
    expect(shardStateKey({ count: 8, index: 3 })).toBe('state/shards/8-3.json');
  });

  it('round-trips the worker message and names what is wrong with a bad one', () => {
    const tick = new Date('2026-11-29T12:05:00.000Z');
    expect(parseShardMessage(encodeShardMessage({ count: 8, index: 3 }, tick))).toEqual({
      v: 1,
      count: 8,
      index: 3,
      tick: tick.toISOString(),
    });
    expect(() => parseShardMessage('nope')).toThrow(/not JSON/);
    expect(() => parseShardMessage('[]')).toThrow(/not a JSON object/);
    expect(() => parseShardMessage('{"v":2}')).toThrow(/version 2/);
    expect(() =>
      parseShardMessage('{"v":1,"count":3,"index":0,"tick":"2026-01-01T00:00:00Z"}')
    ).toThrow(/count 3/);
    expect(() =>
      parseShardMessage('{"v":1,"count":4,"index":4,"tick":"2026-01-01T00:00:00Z"}')
    ).toThrow(/index 4/);
    expect(() => parseShardMessage('{"v":1,"count":4,"index":1,"tick":"soon"}')).toThrow(
      /tick soon/
    );
  });
});
