import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import type { FeedConfig } from '../../../lambdas/core/common/types.ts';
import { feedsOfShard, parseShardMessage, shardOf } from '../../../lambdas/core/feeds/shards.ts';
import { schedulePolls } from '../../../lambdas/pipeline/schedule.ts';
import { FakeQueue } from '../../helpers/fake-queue.ts';

const TICK = new Date('2026-11-29T15:30:00Z');

const feedList = (n: number): FeedConfig[] =>
  Array.from({ length: n }, (_, i) => ({ url: `https://feeds.example/${i}.rss`, name: `F${i}` }));

const deps = (queue: FakeQueue) => ({
  sender: queue,
  logger: silentLogger,
  retryDelayMs: 0,
});

describe('Function: schedulePolls', () => {
  it('sends one message per non-empty shard, in batches of at most 10', async () => {
    // Prepare: 2,000 feeds at 50 a shard make 64 shards
    const queue = new FakeQueue();
    const feeds = feedList(2000);

    // Act
    const report = await schedulePolls({ ...deps(queue), feedsPerShard: 50 }, feeds, TICK);

    // Assess
    expect(report).toEqual({ feeds: 2000, shardCount: 64, sent: 64, failed: [] });
    expect(queue.batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10, 10, 4]);
    const shards = queue.taken.map((m) => parseShardMessage(m.body));
    expect(shards.map((s) => s.index)).toEqual([...Array(64).keys()]);
    expect(shards.every((s) => s.count === 64 && s.tick === TICK.toISOString())).toBe(true);
    // every feed is in exactly one shard sent
    const polled = shards.flatMap((s) => feedsOfShard(feeds, s).map((f) => f.url));
    expect(polled.sort()).toEqual(feeds.map((f) => f.url).sort());
  });

  it('leaves out shards with no feed', async () => {
    // Prepare: 3 feeds at 1 a shard make 4 shards, one of them at least empty
    const queue = new FakeQueue();
    const feeds = feedList(3);
    const used = [...new Set(feeds.map((f) => shardOf(f.url, 4)))].sort();

    // Act
    const report = await schedulePolls({ ...deps(queue), feedsPerShard: 1 }, feeds, TICK);

    // Assess
    expect(report).toMatchObject({ shardCount: 4, sent: used.length });
    expect(queue.taken.map((m) => parseShardMessage(m.body).index)).toEqual(used);
  });

  it('uses 1,000 feeds a shard by default', async () => {
    const queue = new FakeQueue();
    const report = await schedulePolls(deps(queue), feedList(2_000), TICK);
    expect(report.shardCount).toBe(2);
    expect(queue.taken).toHaveLength(2);
  });

  it('sends nothing for an empty feed list', async () => {
    const queue = new FakeQueue();
    const report = await schedulePolls(deps(queue), [], TICK);
    expect(report).toEqual({ feeds: 0, shardCount: 1, sent: 0, failed: [] });
    expect(queue.batches).toEqual([]);
  });

  it('resends only the entries a batch did not take', async () => {
    // Prepare: shard 3 of 16 refused twice, then taken
    const queue = new FakeQueue().refuse('shard-16-3', 2);

    // Act
    const report = await schedulePolls({ ...deps(queue), feedsPerShard: 10 }, feedList(160), TICK);

    // Assess
    expect(report).toMatchObject({ shardCount: 16, sent: 16, failed: [] });
    expect(queue.batches.map((b) => b.map((m) => m.id))).toEqual([
      Array.from({ length: 10 }, (_, i) => `shard-16-${i}`),
      ['shard-16-3'],
      ['shard-16-3'],
      Array.from({ length: 6 }, (_, i) => `shard-16-${10 + i}`),
    ]);
    expect(queue.taken).toHaveLength(16);
  });

  it('resends a batch whose request failed whole', async () => {
    const queue = new FakeQueue().failRequests(1);
    const report = await schedulePolls({ ...deps(queue), feedsPerShard: 10 }, feedList(40), TICK);
    expect(report).toMatchObject({ sent: 4, failed: [] });
    expect(queue.batches).toHaveLength(2);
  });

  it('reports a shard that never goes through, and still sends every other one', async () => {
    // Prepare: shard 2 of 16 always refused
    const queue = new FakeQueue().refuse('shard-16-2');

    // Act
    const report = await schedulePolls({ ...deps(queue), feedsPerShard: 10 }, feedList(160), TICK);

    // Assess: three tries, then given up; the 15 others (in both batches) were taken
    expect(report.sent).toBe(15);
    expect(report.failed).toEqual([
      { shard: { count: 16, index: 2 }, reason: 'InternalError: try again' },
    ]);
    expect(queue.batches.filter((b) => b.some((m) => m.id === 'shard-16-2'))).toHaveLength(3);
    expect(queue.taken.map((m) => m.id)).not.toContain('shard-16-2');
    expect(queue.taken).toHaveLength(15);
  });

  it('gives up on a batch whose requests keep failing, and sends the next batch', async () => {
    const queue = new FakeQueue().failRequests(3);
    const report = await schedulePolls({ ...deps(queue), feedsPerShard: 10 }, feedList(160), TICK);
    expect(report.failed).toHaveLength(10);
    expect(report.failed[0]?.reason).toBe('connect ETIMEDOUT');
    expect(report.sent).toBe(6);
  });
});
