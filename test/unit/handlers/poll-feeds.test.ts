import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The handler module builds its default dependencies at import: give it its environment first.
vi.hoisted(() => {
  process.env.BUCKET_NAME = 'newsalert-test-bucket';
  process.env.AWS_REGION = 'us-east-1';
});

import { readFileSync } from 'node:fs';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { FeedError } from '../../../lambdas/core/common/errors.ts';
import type { FeedConfig } from '../../../lambdas/core/common/types.ts';
import { shardOf } from '../../../lambdas/core/feeds/shards.ts';
import { ConfigCache } from '../../../lambdas/pipeline/config.ts';
import { FEEDS_KEY } from '../../../lambdas/pipeline/keys.ts';
import {
  makeHandler,
  type PollerHandlerDeps,
  pollShardRecords,
} from '../../../lambdas/poll-feeds/handler.ts';
import type { FeedFetcher, FetchResult, Validators } from '../../../lambdas/ports.ts';
import { errorRecorder } from '../../helpers/error-recorder.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { shardEvent, shardRecord } from '../../helpers/shard-events.ts';

const WORTHY = 'https://www.worthynews.example/feed.rss';
const DOWN = 'https://down.example.org/rss.xml';
const worthyXml = readFileSync(fixturePath('feeds/worthy-news.rss.xml'), 'utf8');

/** Serves the Worthy News fixture with an ETag (304 when it matches); the other feed is down. */
class FakeFetcher implements FeedFetcher {
  readonly calls: Array<{ url: string; validators: Validators }> = [];

  async fetch(url: string, validators: Validators): Promise<FetchResult> {
    this.calls.push({ url, validators });
    if (url !== WORTHY) throw new FeedError(url, 'connection refused (ECONNREFUSED)');
    if (validators.etag === '"w1"') return { status: 'unchanged', validators };
    return {
      status: 'ok',
      text: worthyXml,
      bytes: worthyXml.length,
      validators: { etag: '"w1"' },
    };
  }
}

describe('Handler: poll-feeds', () => {
  let dir: string;
  let store: FsObjectStore;
  let fetcher: FakeFetcher;
  let metrics: Array<[string, number]>;
  let flushes: number;
  let deps: PollerHandlerDeps;
  let now: Date;
  /** The clock moved `minutes` past 18:00, and the batch of the one shard's tick then. */
  const tickAt = (minutes: number) => {
    now = new Date(Date.parse('2024-11-29T18:00:00Z') + minutes * 60_000);
    return shardEvent(now);
  };
  /** One invocation at that tick: its summary. */
  const pollAt = async (minutes: number, over: Partial<PollerHandlerDeps> = {}) =>
    (await pollShardRecords({ ...deps, ...over }, tickAt(minutes))).summary;
  const feeds: FeedConfig[] = [
    { url: WORTHY, name: 'Worthy News' },
    { url: DOWN, name: 'Down Outlet' },
  ];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-poll-handler-'));
    now = new Date('2024-11-29T18:00:00Z');
    store = new FsObjectStore(dir);
    fetcher = new FakeFetcher();
    metrics = [];
    flushes = 0;
    deps = {
      store,
      fetcher,
      clock: { now: () => now },
      logger: silentLogger,
      metrics: {
        count: (name, value) => {
          metrics.push([name, value]);
        },
        flush: () => {
          flushes += 1;
        },
      },
      config: { feeds: async () => ({ value: feeds }) },
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('polls every configured feed, stores the new items and reports the failed feed', async () => {
    // Act
    const summary = await pollAt(0);
    // Assess
    expect(summary).toMatchObject({ feeds: 2, ok: 1, unchanged: 0, errors: 1 });
    expect(summary.newItems).toBeGreaterThan(0);
    expect(summary.itemsKeys).toHaveLength(1);
    expect(await store.list('items/')).toEqual(summary.itemsKeys);
    const stored = await store.get(summary.itemsKeys[0] ?? '');
    expect(stored?.body.trim().split('\n')).toHaveLength(summary.newItems);
  });

  it('emits feeds polled, feed errors and new items, flushed once per invocation', async () => {
    const summary = await pollAt(0);
    expect(metrics).toEqual([
      ['FeedsPolled', 2],
      ['FeedErrors', 1],
      ['ItemsNew', summary.newItems],
      ['StaleFeeds', 0],
      ['FeedsConfigRejected', 0],
      ['ShardsFailed', 0],
    ]);
    expect(flushes).toBe(1);
  });

  it('counts a feed as stale once it failed the configured number of polls in a row', async () => {
    // Prepare
    // (the failing feed backs off: 5, then 10 minutes)
    await pollAt(0, { staleAfterFailures: 3 });
    await pollAt(5, { staleAfterFailures: 3 });
    // Act
    const third = await pollAt(15, { staleAfterFailures: 3 });
    // Assess
    expect(third.stale).toEqual([DOWN]);
    expect(metrics.filter(([name]) => name === 'StaleFeeds').map(([, v]) => v)).toEqual([0, 0, 1]);
  });

  it('sends the saved validators on the next poll and stores nothing for an unchanged feed', async () => {
    // Prepare
    await pollAt(0);
    // Act: an hour on, when both feeds are due
    const second = await pollAt(60);
    // Assess
    expect(second).toMatchObject({ ok: 0, unchanged: 1, errors: 1, newItems: 0, itemsKeys: [] });
    expect(fetcher.calls.filter((c) => c.url === WORTHY).at(-1)?.validators.etag).toBe('"w1"');
    expect(await store.list('items/')).toHaveLength(1);
  });

  it('fails the invocation when the feed list cannot be read', async () => {
    const broken: PollerHandlerDeps = {
      ...deps,
      config: {
        feeds: async () => {
          throw new Error(
            'config/feeds.json is missing from the bucket: deploy again or upload it'
          );
        },
      },
    };
    await expect(makeHandler(broken)(tickAt(0))).rejects.toThrow(/config\/feeds\.json is missing/);
    expect(fetcher.calls).toEqual([]);
  });

  describe('a broken config/feeds.json', () => {
    const { logger, errors } = errorRecorder();
    const logging = (): PollerHandlerDeps => ({ ...deps, logger, config: new ConfigCache(store) });
    beforeEach(async () => {
      errors.length = 0;
      await store.put(FEEDS_KEY, JSON.stringify(feeds));
    });

    it('polls the last good feed list, and logs and counts the rejection', async () => {
      // Prepare: one poll with the good list, then a broken upload
      await pollShardRecords(logging(), tickAt(0));
      await store.put(FEEDS_KEY, '[{"url": "ftp://nowhere"}]');
      metrics.length = 0;

      // Act: the next poll, in a new container (a cold start), an hour on
      const { summary } = await pollShardRecords(logging(), tickAt(60));

      // Assess
      expect(summary).toMatchObject({ feeds: 2, unchanged: 1, errors: 1 });
      expect(metrics).toContainEqual(['FeedsConfigRejected', 1]);
      expect(flushes).toBe(2);
      expect(errors.map((e) => e.message)).toEqual([
        'config/feeds.json rejected; polling the last good feed list (state/last-good/feeds.json): fix the file and upload it again',
      ]);
      expect(errors[0]?.extra?.problems).toEqual([
        expect.stringMatching(/^config\/feeds\.json: entry 1: url 'ftp:\/\/nowhere'/),
      ]);
    });

    it('fails the invocation as before when no list ever loaded, but logs and counts it first', async () => {
      // Prepare
      await store.put(FEEDS_KEY, 'feeds: yaml');

      // Act
      const polling = makeHandler(logging())(tickAt(0));

      // Assess
      await expect(polling).rejects.toThrow(/^config\/feeds\.json: not valid JSON/);
      expect(metrics).toEqual([['FeedsConfigRejected', 1]]);
      expect(flushes).toBe(1);
      expect(errors[0]?.message).toMatch(/no last good feed list is kept yet/);
      expect(fetcher.calls).toEqual([]);
    });
  });

  describe('SQS records', () => {
    it('drops a body that is no shard message, naming the reason, and polls nothing for it', async () => {
      // Prepare
      const { logger, errors } = errorRecorder();
      const event = { Records: [shardRecord('bad-1', '{"v":2}'), shardRecord('bad-2', 'nope')] };

      // Act
      const result = await pollShardRecords({ ...deps, logger }, event);

      // Assess
      expect(result.response).toEqual({ batchItemFailures: [] });
      expect(result.dropped).toBe(2);
      expect(errors.map((e) => e.extra?.reason)).toEqual([
        'shard message version 2 is not 1',
        'shard message is not JSON',
      ]);
      expect(fetcher.calls).toEqual([]);
    });

    it('acknowledges a tick older than two ticks with a warning, without polling', async () => {
      // Prepare
      const event = shardEvent(new Date('2024-11-29T17:49:00Z'));

      // Act
      const result = await pollShardRecords(deps, event);

      // Assess
      expect(result).toMatchObject({ response: { batchItemFailures: [] }, dropped: 1 });
      expect(fetcher.calls).toEqual([]);
    });

    it('polls an old tick that is a redelivery: a failed shard is retried, then reaches the dead-letter queue', async () => {
      // Prepare: the same old tick, delivered a second time
      const event = shardEvent(new Date('2024-11-29T17:49:00Z'));
      const [record] = event.Records;
      if (!record) throw new Error('no record');
      const redelivered = {
        Records: [
          { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } },
        ],
      };

      // Act
      const result = await pollShardRecords(deps, redelivered);

      // Assess
      expect(result.dropped).toBe(0);
      expect(fetcher.calls.length).toBeGreaterThan(0);
    });

    it('returns only the shard whose state could not be saved as a batch item failure', async () => {
      // Prepare: two shards (at count 2, both fixture feeds are in shard 0, OTHER in shard 1);
      // shard 0's state write fails
      const OTHER = 'https://other.example/rss';
      const faulty = {
        get: (key: string) => store.get(key),
        list: (prefix: string) => store.list(prefix),
        put: async (key: string, body: string, options?: Parameters<FsObjectStore['put']>[2]) => {
          if (key === 'state/shards/2-0.json') throw new Error(`injected fault: put ${key} failed`);
          return store.put(key, body, options);
        },
      };
      const list = [...feeds, { url: OTHER }];
      const shards = [
        { count: 2, index: 0 },
        { count: 2, index: 1 },
      ];

      // Act
      const result = await pollShardRecords(
        { ...deps, store: faulty, config: { feeds: async () => ({ value: list }) } },
        shardEvent(now, shards)
      );

      // Assess
      expect([WORTHY, DOWN, OTHER].map((url) => shardOf(url, 2))).toEqual([0, 0, 1]);
      expect(result.response.batchItemFailures).toEqual([{ itemIdentifier: 'shard-2-0' }]);
      expect(await store.list('state/shards/')).toEqual(['state/shards/2-1.json']);
      expect(result.summary.feeds).toBe(3);
      expect(metrics).toContainEqual(['ShardsFailed', 1]);
    });
  });
});
