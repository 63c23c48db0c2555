import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../../lambdas/adapters/http-feed-fetcher.ts';
import { MemoryObjectStore } from '../../../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { MAX_ITEMS_PER_FEED } from '../../../lambdas/core/feeds/normalise-feed.ts';
import { pollFeeds } from '../../../lambdas/pipeline/poll.ts';
import { type FeedServer, startFeedServer } from '../../helpers/feed-server.ts';

/** A 5 MiB RSS of tiny items (~150,000 of them). */
const floodFeed = (name: string): string => {
  const head = `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title>`;
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < 5 * 1024 * 1024 - 64; i += 1) {
    const part = `<item><title>t${i}</title></item>`;
    parts.push(part);
    size += part.length;
  }
  parts.push('</channel></rss>');
  return parts.join('');
};

const healthyFeed = (name: string): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title>` +
  `<item><title>${name} headline</title><guid>${name}-1</guid>` +
  '<pubDate>Fri, 29 Nov 2024 10:00:00 GMT</pubDate></item></channel></rss>';

const HOSTILE = ['/flood-1.xml', '/flood-2.xml', '/flood-3.xml'];
const HEALTHY = ['/a.xml', '/b.xml', '/c.xml', '/d.xml', '/e.xml'];

describe('Function: pollFeeds, with hostile feeds among healthy ones (loopback)', () => {
  let server: FeedServer;

  beforeAll(async () => {
    server = await startFeedServer();
    for (const path of HOSTILE) server.route(path, { body: floodFeed(path) });
    // The healthy feeds answer late, so their fetches are in flight while the floods parse.
    for (const path of HEALTHY) server.route(path, { body: healthyFeed(path), latencyMs: 400 });
  });
  afterAll(() => server.stop());

  it('caps three 5 MiB floods of tiny items while five healthy feeds all succeed in time', async () => {
    // Prepare: a fetch timeout far below the seconds a blocking parse of the floods would take
    const fetcher = new HttpFeedFetcher({ timeoutMs: 3000, allowPrivate: true });
    const deps = {
      store: new MemoryObjectStore(),
      fetcher,
      clock: { now: () => new Date('2024-11-30T00:00:00Z') },
      logger: silentLogger,
    };
    const feeds = [...HOSTILE, ...HEALTHY].map((path) => ({ url: server.url(path) }));
    const lag = monitorEventLoopDelay({ resolution: 10 });

    // Act
    lag.enable();
    const report = await pollFeeds(deps, feeds);
    lag.disable();

    // Assess
    const byPath = (path: string) => report.feeds.find((f) => f.url === server.url(path));
    for (const path of HEALTHY) {
      expect(byPath(path)).toMatchObject({ status: 'ok', items: 1, new: 1 });
    }
    for (const path of HOSTILE) {
      const flood = byPath(path);
      expect(flood).toMatchObject({ status: 'ok', items: MAX_ITEMS_PER_FEED });
      expect(flood?.warnings.join(' ')).toMatch(
        new RegExp(`^the feed has \\d{6} items, over the cap of ${MAX_ITEMS_PER_FEED}`)
      );
    }
    // The event loop never stalled for long: parsing pauses between slices.
    expect(lag.max / 1e6).toBeLessThan(1000);
  }, 60_000);
});
