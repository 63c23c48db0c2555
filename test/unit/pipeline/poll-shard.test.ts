import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { FeedError } from '../../../lambdas/core/common/errors.ts';
import { parseItemLines } from '../../../lambdas/core/common/item-lines.ts';
import { stateKey } from '../../../lambdas/core/feeds/feed-state.ts';
import { seenKey } from '../../../lambdas/core/feeds/shard-state.ts';
import { type FeedShard, shardOf, shardStateKey } from '../../../lambdas/core/feeds/shards.ts';
import { type PollFeedsDeps, pollShard } from '../../../lambdas/pipeline/poll.ts';
import type {
  FeedFetcher,
  FetchResult,
  ObjectStore,
  PutOptions,
  Validators,
} from '../../../lambdas/ports.ts';

const rss = (guids: string[], extra = '') =>
  `<rss version="2.0"><channel><title>T</title>${extra}${guids
    .map((g) => `<item><title>${g}</title><guid>${g}</guid></item>`)
    .join('')}</channel></rss>`;

/** Serves bodies by URL with an ETag per body; an Error is thrown; counts requests. */
class FakeFetcher implements FeedFetcher {
  readonly requests: Array<{ url: string; validators: Validators }> = [];
  constructor(readonly feeds: Record<string, string | Error>) {}
  async fetch(url: string, validators: Validators): Promise<FetchResult> {
    this.requests.push({ url, validators });
    const body = this.feeds[url];
    if (body === undefined || body instanceof Error) {
      throw body ?? new FeedError(url, `http 404 not found from ${url}`);
    }
    const etag = `"${body.length}"`;
    if (validators.etag === etag) return { status: 'unchanged', validators: { etag } };
    return { status: 'ok', text: body, bytes: body.length, validators: { etag } };
  }
}

/** Counts requests and runs `beforeStatePut` once, just before the first write of a shard state. */
class HookedStore implements ObjectStore {
  readonly gets: string[] = [];
  readonly puts: string[] = [];
  beforeStatePut?: () => Promise<void>;
  constructor(readonly inner: ObjectStore = new MemoryObjectStore()) {}
  get(key: string) {
    this.gets.push(key);
    return this.inner.get(key);
  }
  async put(key: string, body: string, options?: PutOptions) {
    const hook = key.startsWith('state/shards/') ? this.beforeStatePut : undefined;
    if (hook) {
      this.beforeStatePut = undefined;
      await hook();
    }
    this.puts.push(key);
    return this.inner.put(key, body, options);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

const TICK = new Date('2024-11-29T18:00:00Z');
const clockAt = (at: Date) => ({ now: () => at });
const A = 'https://a.example/rss';
const B = 'https://b.example/rss';
const shardOfAll = (urls: string[], count = 1, index = 0): FeedShard => ({
  count,
  index,
  feeds: urls.map((url) => ({ url })),
});
const doc = async (store: ObjectStore, key = 'state/shards/1-0.json') =>
  JSON.parse((await store.get(key))?.body ?? '{}').feeds as Record<string, Record<string, unknown>>;

describe('Function: pollShard', () => {
  it('reads the state once, writes one items object for all feeds, then the state once', async () => {
    // Prepare
    const store = new HookedStore();
    const fetcher = new FakeFetcher({ [A]: rss(['a1', 'a2']), [B]: rss(['b1']) });
    const deps: PollFeedsDeps = { store, fetcher, clock: clockAt(TICK), logger: silentLogger };

    // Act
    const report = await pollShard(deps, shardOfAll([A, B]));

    // Assess
    expect(report).toMatchObject({ stored: true, notDue: 0, requests: { puts: 2 } });
    expect(store.puts).toEqual([report.itemsKeys[0], 'state/shards/1-0.json']);
    const key = report.itemsKeys[0] ?? '';
    const lines = parseItemLines((await store.get(key))?.body ?? '', key);
    expect(lines.map((i) => [i.feed, i.id])).toEqual([
      [A, 'a1'],
      [A, 'a2'],
      [B, 'b1'],
    ]);
    expect((await doc(store))[A]).toMatchObject({
      etag: `"${rss(['a1', 'a2']).length}"`,
      seen: `${seenKey('a1')}${seenKey('a2')}`,
    });
  });

  it("records one feed's failure for that feed only", async () => {
    // Prepare
    const store = new HookedStore();
    const fetcher = new FakeFetcher({
      [A]: rss(['a1']),
      [B]: new FeedError(B, 'http 503 service unavailable', { retryAfter: '1800' }),
    });

    // Act
    const report = await pollShard(
      { store, fetcher, clock: clockAt(TICK), logger: silentLogger },
      shardOfAll([A, B])
    );

    // Assess
    expect(report.feeds.map((f) => f.status)).toEqual(['ok', 'error']);
    const state = await doc(store);
    expect(state[A]).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0 });
    expect(state[B]).toMatchObject({
      lastStatus: 'error',
      consecutiveFailures: 1,
      nextPollAt: '2024-11-29T18:30:00.000Z',
    });
  });

  it('merges and retries when another worker wrote the shard in between: each keeps the feeds it polled', async () => {
    // Prepare: A is due, B is not (polled at 17:59 with its next poll at 18:30)
    const store = new HookedStore();
    const fetcher = new FakeFetcher({ [A]: rss(['a1']), [B]: rss(['b1']) });
    const early = new Date('2024-11-29T17:59:00Z');
    await pollShard(
      { store, fetcher, clock: clockAt(early), logger: silentLogger },
      shardOfAll([B])
    );
    const base = await doc(store);
    expect(base[B]?.nextPollAt).toBeDefined();
    fetcher.feeds[B] = rss(['b2', 'b1']);
    const other: PollFeedsDeps = {
      store,
      fetcher,
      clock: clockAt(TICK),
      logger: silentLogger,
      dueOnly: false,
    };
    // the other worker polls B (and A) and saves first, while this one is about to save
    store.beforeStatePut = async () => {
      await pollShard({ ...other }, shardOfAll([A, B]));
    };
    fetcher.feeds[A] = rss(['a2', 'a1']);

    // Act
    const report = await pollShard(
      { store, fetcher, clock: clockAt(TICK), logger: silentLogger },
      shardOfAll([A, B])
    );

    // Assess: this worker polled A only; its values for A, the other's for B
    expect(report).toMatchObject({ stored: true, notDue: 1 });
    expect(report.feeds.map((f) => f.url)).toEqual([A]);
    // the first poll, the other worker's, this one's lost write and its merged retry
    expect(store.puts.filter((k) => k === 'state/shards/1-0.json')).toHaveLength(4);
    const merged = await doc(store);
    expect(merged[A]?.etag).toBe(`"${rss(['a2', 'a1']).length}"`);
    expect(merged[B]?.seen).toBe(`${seenKey('b2')}${seenKey('b1')}`);
  });

  it('gives up after the bounded retries and reports the shard not stored', async () => {
    // Prepare: every write loses its race
    const inner = new MemoryObjectStore();
    const store: ObjectStore = {
      get: (k) => inner.get(k),
      list: (p) => inner.list(p),
      put: async (k, body, options) => {
        if (k.startsWith('state/')) await inner.put(k, `{"v":1,"feeds":{}}`);
        return inner.put(k, body, options);
      },
    };
    const fetcher = new FakeFetcher({ [A]: rss(['a1']) });

    // Act
    const report = await pollShard(
      { store, fetcher, clock: clockAt(TICK), logger: silentLogger, stateRetries: 2 },
      shardOfAll([A])
    );

    // Assess
    expect(report.stored).toBe(false);
    expect(report.failure).toMatch(/could not save the shard's state state\/shards\/1-0\.json/);
    expect(report.feeds[0]?.status).toBe('error');
  });

  it('takes a feed state from the former per-feed layout, reading each key once', async () => {
    // Prepare: a deployment of the former layout had seen a1 and kept its validators
    const store = new HookedStore();
    await store.inner.put(
      stateKey(A),
      JSON.stringify({
        url: A,
        etag: '"old"',
        seen: ['a1'],
        consecutiveFailures: 0,
        lastStatus: 'ok',
      })
    );
    const fetcher = new FakeFetcher({ [A]: rss(['a2', 'a1']), [B]: rss(['b1']) });

    // Act
    const report = await pollShard(
      { store, fetcher, clock: clockAt(TICK), logger: silentLogger },
      shardOfAll([A, B])
    );

    // Assess: the old validators were sent, only a2 is new, and the shard holds the state now
    expect(fetcher.requests.find((r) => r.url === A)?.validators).toEqual({ etag: '"old"' });
    expect(report.feeds.map((f) => f.new)).toEqual([1, 1]);
    expect(store.gets.filter((k) => k === stateKey(A))).toHaveLength(1);
    expect((await doc(store))[A]?.seen).toBe(`${seenKey('a2')}${seenKey('a1')}`);
  });

  it('takes a feed state from the shard it was in before the count changed, reading that shard once', async () => {
    // Prepare: both feeds polled at count 1; the list grew to count 2
    const store = new HookedStore();
    const fetcher = new FakeFetcher({ [A]: rss(['a1']), [B]: rss(['b1']) });
    const deps: PollFeedsDeps = { store, fetcher, clock: clockAt(TICK), logger: silentLogger };
    await pollShard(deps, shardOfAll([A, B]));
    const urls = ['https://c.example/rss', A, B].filter((u) => shardOf(u, 2) === shardOf(A, 2));
    fetcher.requests.length = 0;
    store.gets.length = 0;

    // Act: an hour on, the new shard holding A
    const report = await pollShard(
      { ...deps, clock: clockAt(new Date('2024-11-29T19:00:00Z')) },
      shardOfAll(urls, 2, shardOf(A, 2))
    );

    // Assess: A's validators came from state/shards/1-0.json, read once for all its feeds
    expect(report.feeds.find((f) => f.url === A)).toMatchObject({ status: 'unchanged' });
    expect(store.gets.filter((k) => k === shardStateKey({ count: 1, index: 0 }))).toHaveLength(1);
    expect(
      Object.keys(await doc(store, shardStateKey({ count: 2, index: shardOf(A, 2) })))
    ).toContain(A);
  });

  it('polls nothing and writes nothing when no feed is due', async () => {
    // Prepare
    const store = new HookedStore();
    const fetcher = new FakeFetcher({ [A]: rss(['a1']) });
    await pollShard(
      { store, fetcher, clock: clockAt(TICK), logger: silentLogger },
      shardOfAll([A])
    );
    store.puts.length = 0;

    // Act
    const report = await pollShard(
      { store, fetcher, clock: clockAt(new Date('2024-11-29T18:02:00Z')), logger: silentLogger },
      shardOfAll([A])
    );

    // Assess
    expect(report).toMatchObject({
      feeds: [],
      notDue: 1,
      stored: true,
      requests: { gets: 1, puts: 0 },
    });
    expect(store.puts).toEqual([]);
    expect(fetcher.requests).toHaveLength(1);
  });
});
