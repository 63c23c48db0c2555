import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The handler module builds its default dependencies at import: give it its environment first.
vi.hoisted(() => {
  process.env.BUCKET_NAME = 'newsalert-test-bucket';
  process.env.POLL_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/poll';
  process.env.AWS_REGION = 'us-east-1';
});

import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import type { FeedConfig } from '../../../lambdas/core/common/types.ts';
import { parseShardMessage } from '../../../lambdas/core/feeds/shards.ts';
import { ConfigCache } from '../../../lambdas/pipeline/config.ts';
import { FEEDS_KEY } from '../../../lambdas/pipeline/keys.ts';
import { ShardSendError } from '../../../lambdas/pipeline/schedule.ts';
import { makeHandler, type SchedulerHandlerDeps } from '../../../lambdas/schedule-polls/handler.ts';
import { errorRecorder } from '../../helpers/error-recorder.ts';
import { FakeQueue } from '../../helpers/fake-queue.ts';

const NOW = new Date('2026-11-29T15:31:07Z');
const feedList = (n: number): FeedConfig[] =>
  Array.from({ length: n }, (_, i) => ({ url: `https://feeds.example/${i}.rss`, name: `F${i}` }));

describe('Handler: schedule-polls', () => {
  let dir: string;
  let store: FsObjectStore;
  let queue: FakeQueue;
  let counts: Record<string, number>;
  let flushes: number;
  const { logger, errors } = errorRecorder();
  const deps = (over: Partial<SchedulerHandlerDeps> = {}): SchedulerHandlerDeps => ({
    sender: queue,
    clock: { now: () => NOW },
    logger,
    metrics: {
      count: (name, value) => {
        counts[name] = (counts[name] ?? 0) + value;
      },
      flush: () => {
        flushes += 1;
      },
    },
    config: new ConfigCache(store, silentLogger),
    feedsPerShard: 10,
    retryDelayMs: 0,
    ...over,
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-schedule-handler-'));
    store = new FsObjectStore(dir);
    queue = new FakeQueue();
    counts = {};
    flushes = 0;
    errors.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('sends a message per shard for the tick of the scheduled event, and counts them', async () => {
    // Prepare
    await store.put(FEEDS_KEY, JSON.stringify(feedList(100)));

    // Act: EventBridge's scheduled event carries the tick as `time`
    const report = await makeHandler(deps())({ time: '2026-11-29T15:30:00Z' });

    // Assess
    expect(report).toMatchObject({ feeds: 100, shardCount: 16, failed: [] });
    expect(queue.taken).toHaveLength(report.sent);
    expect(parseShardMessage(queue.taken[0]?.body ?? '')).toMatchObject({
      count: 16,
      tick: '2026-11-29T15:30:00.000Z',
    });
    expect(counts).toEqual({ ShardsSent: report.sent, ShardSendFailures: 0 });
    expect(flushes).toBe(1);
  });

  it('takes the clock for the tick when the event has no time (a manual invoke)', async () => {
    await store.put(FEEDS_KEY, JSON.stringify(feedList(1)));
    await makeHandler(deps())({});
    expect(parseShardMessage(queue.taken[0]?.body ?? '').tick).toBe(NOW.toISOString());
  });

  it('sends nothing for an empty feed list, and succeeds', async () => {
    // (config/feeds.json refuses an empty list; a config source may still give one)
    const report = await makeHandler(deps({ config: { feeds: async () => ({ value: [] }) } }))({});
    expect(report.sent).toBe(0);
    expect(queue.batches).toEqual([]);
    expect(counts).toEqual({ ShardsSent: 0, ShardSendFailures: 0 });
  });

  it('sends the other shards when one fails, counts it, and then fails the invocation', async () => {
    // Prepare
    await store.put(FEEDS_KEY, JSON.stringify(feedList(160)));
    queue.refuse('shard-16-5');

    // Act
    const failure = makeHandler(deps())({});

    // Assess
    await expect(failure).rejects.toThrow(ShardSendError);
    await expect(failure).rejects.toThrow(/1 shard message not sent \(16-5: InternalError/);
    expect(queue.taken).toHaveLength(15);
    expect(counts).toEqual({ ShardsSent: 15, ShardSendFailures: 1 });
    expect(flushes).toBe(1);
  });

  it('schedules the last good feed list while config/feeds.json is broken, and logs why', async () => {
    // Prepare: a list loaded once (and kept as the last good copy), then a broken upload
    await store.put(FEEDS_KEY, JSON.stringify(feedList(20)));
    await new ConfigCache(store).feeds();
    await store.put(FEEDS_KEY, '{"feeds": "none"}');

    // Act: a new container (a cold start)
    const report = await makeHandler(deps())({});

    // Assess
    expect(report).toMatchObject({ feeds: 20, shardCount: 2, sent: 2 });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(
      /^config\/feeds\.json rejected; scheduling the last good feed list \(state\/last-good\/feeds\.json\)/
    );
  });

  it('fails, sending nothing, when no feed list ever loaded', async () => {
    await store.put(FEEDS_KEY, 'feeds: [yaml, not json]');
    await expect(makeHandler(deps())({})).rejects.toThrow(/config\/feeds\.json/);
    expect(queue.batches).toEqual([]);
    expect(errors[0]?.message).toMatch(/no last good feed list is kept yet/);
  });
});
