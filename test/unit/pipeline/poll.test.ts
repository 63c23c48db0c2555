import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { FeedError } from '../../../lambdas/core/common/errors.ts';
import { parseItemLines } from '../../../lambdas/core/common/item-lines.ts';
import { stateKey } from '../../../lambdas/core/feeds/feed-state.ts';
import { readFeed } from '../../../lambdas/core/feeds/parse-feed.ts';
import { type PollFeedsDeps, pollFeeds } from '../../../lambdas/pipeline/poll.ts';
import type { FeedFetcher, FetchResult, Validators } from '../../../lambdas/ports.ts';
import { FaultyStore } from '../../helpers/faulty-store.ts';

const rss = (titles: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Wire</title><link>https://wire.example/</link>
${titles
  .map(
    (t, i) =>
      `<item><title>${t}</title><link>https://wire.example/${i}-${t.length}</link><guid>wire-${t}</guid><pubDate>Fri, 29 Nov 2024 1${i}:00:00 GMT</pubDate><description>${t} report.</description></item>`
  )
  .join('\n')}
</channel></rss>`;

/** A fetcher fake that serves registered bodies and answers "unchanged" to a matching ETag. */
class FakeFetcher implements FeedFetcher {
  readonly requests: Array<{ url: string; validators: Validators }> = [];
  constructor(private readonly feeds: Record<string, string | Error>) {}
  async fetch(url: string, validators: Validators): Promise<FetchResult> {
    this.requests.push({ url, validators });
    const body = this.feeds[url];
    if (body === undefined) throw new FeedError(url, `http 404 not found from ${url}`);
    if (body instanceof Error) throw body;
    const etag = `"${body.length}"`;
    if (validators.etag === etag) return { status: 'unchanged', validators: { etag } };
    return { status: 'ok', text: body, bytes: body.length, validators: { etag } };
  }
}

const clock = { now: () => new Date('2024-11-29T18:00:00Z') };
/** The clock `minutes` after `clock`: the poll of a later tick. */
const later = (minutes: number) => ({
  now: () => new Date(Date.parse('2024-11-29T18:00:00Z') + minutes * 60_000),
});

describe('Function: pollFeeds', () => {
  let dir: string;
  let store: FaultyStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-poll-'));
    store = new FaultyStore(new FsObjectStore(dir));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores new items, then sends validators and stores nothing when the feed is unchanged', async () => {
    // Prepare
    const fetcher = new FakeFetcher({ 'https://wire.example/rss': rss(['Alpha', 'Beta']) });
    const deps = { store, fetcher, clock, logger: silentLogger };
    const feeds = [{ url: 'https://wire.example/rss', name: 'Wire' }];

    // Act
    const first = await pollFeeds(deps, feeds);
    const second = await pollFeeds({ ...deps, clock: later(60) }, feeds);

    // Assess
    expect(first.feeds[0]).toMatchObject({ status: 'ok', items: 2, new: 2, name: 'Wire' });
    const key = first.feeds[0]?.itemsKey ?? '';
    expect(key).toMatch(/^items\/2024\/11\/29\/.+\.jsonl$/);
    const stored = parseItemLines((await store.get(key))?.body ?? '', key);
    expect(stored.map((i) => i.title)).toEqual(['Alpha', 'Beta']);
    expect(stored[0]).toMatchObject({ source: 'Wire', feed: 'https://wire.example/rss' });
    expect(fetcher.requests[1]?.validators.etag).toBeDefined();
    expect(second.feeds[0]).toMatchObject({ status: 'unchanged', new: 0 });
    expect(await store.list('items/')).toHaveLength(1);
  });

  it('stores only the items not seen before', async () => {
    // Prepare
    const feeds = { 'https://wire.example/rss': rss(['Alpha', 'Beta']) };
    const fetcher = new FakeFetcher(feeds);
    const deps = { store, fetcher, clock, logger: silentLogger };
    await pollFeeds(deps, [{ url: 'https://wire.example/rss' }]);
    feeds['https://wire.example/rss'] = rss(['Gamma', 'Alpha', 'Beta']);

    // Act
    const report = await pollFeeds({ ...deps, clock: later(60) }, [
      { url: 'https://wire.example/rss' },
    ]);

    // Assess
    expect(report.feeds[0]).toMatchObject({ status: 'ok', items: 3, new: 1 });
    const key = report.feeds[0]?.itemsKey ?? '';
    expect(parseItemLines((await store.get(key))?.body ?? '', key).map((i) => i.title)).toEqual([
      'Gamma',
    ]);
  });

  it('keeps polling the other feeds when one fails, and reports the failure', async () => {
    // Prepare
    const fetcher = new FakeFetcher({
      'https://ok.example/rss': rss(['Alpha']),
      'https://down.example/rss': new FeedError(
        'https://down.example/rss',
        'cannot connect to down.example: ECONNREFUSED'
      ),
    });

    // Act
    const report = await pollFeeds({ store, fetcher, clock, logger: silentLogger }, [
      { url: 'https://down.example/rss' },
      { url: 'https://ok.example/rss' },
      { url: 'https://missing.example/rss' },
    ]);

    // Assess
    expect(report.feeds.map((f) => f.status)).toEqual(['error', 'ok', 'error']);
    expect(report.feeds[0]?.error).toContain('ECONNREFUSED');
    expect(report.feeds[2]?.error).toContain('404');
  });

  it('does not mark items seen when storing them fails, so the next poll delivers them', async () => {
    // Prepare
    const fetcher = new FakeFetcher({ 'https://wire.example/rss': rss(['Alpha', 'Beta']) });
    const deps = { store, fetcher, clock, logger: silentLogger };
    store.failPuts('items/', 1);

    // Act
    const failed = await pollFeeds(deps, [{ url: 'https://wire.example/rss' }]);
    const retried = await pollFeeds(deps, [{ url: 'https://wire.example/rss' }]);

    // Assess
    expect(failed.feeds[0]).toMatchObject({ status: 'error', new: 0 });
    expect(failed.feeds[0]?.error).toContain('injected fault');
    expect(fetcher.requests[1]?.validators.etag).toBeUndefined();
    expect(retried.feeds[0]).toMatchObject({ status: 'ok', new: 2 });
    expect(await store.list('items/')).toHaveLength(1);
  });

  it('bounds a parse that never settles by the per-feed parse time limit; the other feeds go on', async () => {
    // Prepare
    const fetcher = new FakeFetcher({
      'https://stuck.example/rss': rss(['Stuck']),
      'https://wire.example/rss': rss(['Alpha']),
    });
    const parse: PollFeedsDeps['parse'] = (text, feed, now, options) =>
      feed.url.startsWith('https://stuck.')
        ? new Promise(() => undefined)
        : readFeed(text, feed, now, options);
    const deps = { store, fetcher, clock, logger: silentLogger, parse, parseTimeoutMs: 300 };

    // Act
    const started = performance.now();
    const report = await pollFeeds(deps, [
      { url: 'https://stuck.example/rss' },
      { url: 'https://wire.example/rss' },
    ]);

    // Assess
    expect(performance.now() - started).toBeLessThan(5000);
    expect(report.feeds[0]).toMatchObject({
      status: 'error',
      error:
        'not a usable feed: parsing https://stuck.example/rss took longer than 0.3 s (the per-feed parse time limit)',
    });
    expect(report.feeds[1]).toMatchObject({ status: 'ok', new: 1 });
  });

  it('never reports a JavaScript error text as a feed failure reason', async () => {
    // Prepare
    const fetcher = new FakeFetcher({
      'https://odd.example/rss': new TypeError("Cannot read properties of undefined (reading '0')"),
    });
    const deps = { store, fetcher, clock, logger: silentLogger };

    // Act
    const report = await pollFeeds(deps, [{ url: 'https://odd.example/rss' }]);

    // Assess
    expect(report.feeds[0]?.status).toBe('error');
    expect(report.feeds[0]?.error).toBe(
      'unexpected internal error while polling this feed (the log has the details)'
    );
  });

  it('reports progress once per feed', async () => {
    // Prepare
    const fetcher = new FakeFetcher({
      'https://a.example/': rss(['A']),
      'https://b.example/': rss(['B']),
    });
    const seen: string[] = [];

    // Act
    await pollFeeds(
      {
        store,
        fetcher,
        clock,
        logger: silentLogger,
        onFeed: (r, done, total) => seen.push(`${done}/${total} ${r.status}`),
      },
      [{ url: 'https://a.example/' }, { url: 'https://b.example/' }]
    );

    // Assess
    expect(seen).toEqual(['1/2 ok', '2/2 ok']);
  });

  it('stores, reports and logs a feed URL with credentials only redacted, and errors as one clean line', async () => {
    // Prepare: one feed behind a password, one whose failure quotes a hostile server
    const secret = 'https://reader:s3cret@wire.example/rss';
    const redacted = 'https://reader:***@wire.example/rss';
    const hostile = 'https://token123@bad.example/rss';
    const fetcher = new FakeFetcher({
      [secret]: rss(['Alpha']),
      [hostile]: new FeedError(hostile, 'http 599 \u001b[2Jbusy\u202e\nnow from the server'),
    });
    const logged: string[] = [];
    const record = (message: string, extra?: Record<string, unknown>) => {
      logged.push(JSON.stringify({ message, ...extra }));
    };
    const logger = { debug: record, info: record, warn: record, error: record };

    // Act
    const report = await pollFeeds({ store, fetcher, clock, logger }, [
      { url: secret },
      { url: hostile },
    ]);

    // Assess: the fetcher got the URL as configured; nothing stored or shown holds the secrets
    expect(fetcher.requests.map((r) => r.url)).toEqual([secret, hostile]);
    expect(report.feeds.map((f) => f.url)).toEqual([redacted, 'https://***@bad.example/rss']);
    expect(report.feeds[1]?.error).toBe('http 599 [2Jbusy now from the server');
    const keys = [...(await store.list('state/')), ...(await store.list('items/'))];
    expect(keys).toContain('state/shards/1-0.json');
    expect(JSON.parse((await store.get('state/shards/1-0.json'))?.body ?? '').feeds).toHaveProperty(
      [redacted]
    );
    const stored = await Promise.all(keys.map(async (k) => (await store.get(k))?.body ?? ''));
    const itemsKey = report.feeds[0]?.itemsKey ?? '';
    const items = parseItemLines((await store.get(itemsKey))?.body ?? '', itemsKey);
    expect(items[0]?.feed).toBe(redacted);
    for (const text of [...keys, ...stored, ...logged, JSON.stringify(report)]) {
      expect(text).not.toMatch(/s3cret|token123|\u202e/);
    }
  });

  describe('unchanged feeds and state', () => {
    it('reads the state once and writes nothing at a tick where no feed is due; refreshes health after six hours', async () => {
      // Prepare
      const fetcher = new FakeFetcher({ 'https://wire.example/rss': rss(['Alpha']) });
      let now = new Date('2024-11-29T18:00:00Z');
      const deps = { store, fetcher, clock: { now: () => now }, logger: silentLogger };
      const feeds = [{ url: 'https://wire.example/rss' }];
      await pollFeeds(deps, feeds);
      const writesAfterFirst = store.calls.put;
      const readsAfterFirst = store.calls.get;
      const stored = async () =>
        JSON.parse((await store.get('state/shards/1-0.json'))?.body ?? '').feeds[
          feeds[0]?.url ?? ''
        ];

      // Act
      now = new Date('2024-11-29T18:02:00Z');
      const early = await pollFeeds(deps, feeds);
      const writesWhenNotDue = store.calls.put;
      const readsWhenNotDue = store.calls.get;
      now = new Date('2024-11-29T18:05:00Z');
      const unchanged = await pollFeeds(deps, feeds);
      const afterUnchanged = await stored();
      now = new Date('2024-11-30T00:05:00Z');
      await pollFeeds(deps, feeds);

      // Assess
      expect(early).toMatchObject({ feeds: [], notDue: 1, itemsKeys: [] });
      expect(writesWhenNotDue).toBe(writesAfterFirst);
      expect(readsWhenNotDue).toBe(readsAfterFirst + 1);
      expect(fetcher.requests).toHaveLength(3);
      expect(unchanged.feeds[0]?.status).toBe('unchanged');
      expect(afterUnchanged).toMatchObject({
        lastSuccess: '2024-11-29T18:00:00.000Z',
        nextPollAt: '2024-11-29T18:12:30.000Z',
        intervalMinutes: 7.5,
      });
      expect((await stored()).lastSuccess).toBe('2024-11-30T00:05:00.000Z');
    });

    it('starts a feed afresh when its stored state is corrupt, instead of failing the poll', async () => {
      // Prepare
      const fetcher = new FakeFetcher({ 'https://wire.example/rss': rss(['Alpha']) });
      await store.put(stateKey('https://wire.example/rss'), '{not json');

      // Act
      const report = await pollFeeds({ store, fetcher, clock, logger: silentLogger }, [
        { url: 'https://wire.example/rss' },
      ]);

      // Assess
      expect(report.feeds[0]).toMatchObject({ status: 'ok', new: 1 });
    });
  });
});
