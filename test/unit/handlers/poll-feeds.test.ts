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
import { ConfigCache } from '../../../lambdas/pipeline/config.ts';
import { FEEDS_KEY } from '../../../lambdas/pipeline/keys.ts';
import { makeHandler, type PollerHandlerDeps } from '../../../lambdas/poll-feeds/handler.ts';
import type { FeedFetcher, FetchResult, Validators } from '../../../lambdas/ports.ts';
import { errorRecorder } from '../../helpers/error-recorder.ts';
import { fixturePath } from '../../helpers/fixtures.ts';

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
  const feeds: FeedConfig[] = [
    { url: WORTHY, name: 'Worthy News' },
    { url: DOWN, name: 'Down Outlet' },
  ];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-poll-handler-'));
    store = new FsObjectStore(dir);
    fetcher = new FakeFetcher();
    metrics = [];
    flushes = 0;
    deps = {
      store,
      fetcher,
      clock: { now: () => new Date('2024-11-29T18:00:00Z') },
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
    const summary = await makeHandler(deps)({ 'detail-type': 'Scheduled Event' });
    // Assess
    expect(summary).toMatchObject({ feeds: 2, ok: 1, unchanged: 0, errors: 1 });
    expect(summary.newItems).toBeGreaterThan(0);
    expect(summary.itemsKeys).toHaveLength(1);
    expect(await store.list('items/')).toEqual(summary.itemsKeys);
    const stored = await store.get(summary.itemsKeys[0] ?? '');
    expect(stored?.body.trim().split('\n')).toHaveLength(summary.newItems);
  });

  it('emits feeds polled, feed errors and new items, flushed once per invocation', async () => {
    const summary = await makeHandler(deps)();
    expect(metrics).toEqual([
      ['FeedsPolled', 2],
      ['FeedErrors', 1],
      ['ItemsNew', summary.newItems],
      ['StaleFeeds', 0],
      ['FeedsConfigRejected', 0],
    ]);
    expect(flushes).toBe(1);
  });

  it('counts a feed as stale once it failed the configured number of polls in a row', async () => {
    // Prepare
    const handler = makeHandler({ ...deps, staleAfterFailures: 3 });
    await handler();
    await handler();
    // Act
    const third = await handler();
    // Assess
    expect(third.stale).toEqual([DOWN]);
    expect(metrics.filter(([name]) => name === 'StaleFeeds').map(([, v]) => v)).toEqual([0, 0, 1]);
  });

  it('sends the saved validators on the next poll and stores nothing for an unchanged feed', async () => {
    // Prepare
    const handler = makeHandler(deps);
    await handler();
    // Act
    const second = await handler();
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
    await expect(makeHandler(broken)()).rejects.toThrow(/config\/feeds\.json is missing/);
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
      await makeHandler(logging())();
      await store.put(FEEDS_KEY, '[{"url": "ftp://nowhere"}]');
      metrics.length = 0;

      // Act: the next poll, in a new container (a cold start)
      const summary = await makeHandler(logging())();

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
      const polling = makeHandler(logging())();

      // Assess
      await expect(polling).rejects.toThrow(/^config\/feeds\.json: not valid JSON/);
      expect(metrics).toEqual([['FeedsConfigRejected', 1]]);
      expect(flushes).toBe(1);
      expect(errors[0]?.message).toMatch(/no last good feed list is kept yet/);
      expect(fetcher.calls).toEqual([]);
    });
  });
});
