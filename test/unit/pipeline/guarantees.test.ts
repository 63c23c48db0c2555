/**
 * The pipeline's promises, end to end on local parts (a loopback feed server, the HTTP fetcher,
 * the folder store with injected faults): no alert is lost and none is sent twice.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { HttpFeedFetcher } from '../../../lambdas/adapters/http-feed-fetcher.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { classifyAndAlertItemsObject } from '../../../lambdas/pipeline/classify-and-alert.ts';
import { pollFeeds } from '../../../lambdas/pipeline/poll.ts';
import { FaultyStore } from '../../helpers/faulty-store.ts';
import { type FeedServer, startFeedServer } from '../../helpers/feed-server.ts';
import { defaultRuleSet, fixturePath } from '../../helpers/fixtures.ts';
import { RecordingPublisher } from '../../helpers/recording-publisher.ts';

const feedXml = (name: string) => readFileSync(fixturePath(`feeds/${name}`), 'utf8');

describe('Guarantees: at-least-once in, effectively-once out', () => {
  let dir: string;
  let server: FeedServer;
  let store: FaultyStore;
  let publisher: RecordingPublisher;
  let now = new Date('2024-11-29T20:00:00Z');
  const clock = { now: () => now };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-guarantees-'));
    server = await startFeedServer({
      routes: {
        '/worthy.rss': { body: feedXml('worthy-news.rss.xml'), contentType: 'application/rss+xml' },
        '/second.atom': {
          body: feedXml('second-outlet.atom.xml'),
          contentType: 'application/atom+xml',
        },
      },
    });
    store = new FaultyStore(new FsObjectStore(dir));
    publisher = new RecordingPublisher();
  });
  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * One poll at the next 5-minute tick, then every items object it wrote processed, as the queue
   * would deliver them.
   */
  const pollAndProcess = async () => {
    now = new Date(now.getTime() + 5 * 60_000);
    const poll = await pollFeeds(
      { store, fetcher: new HttpFeedFetcher({ allowPrivate: true }), clock, logger: silentLogger },
      [{ url: server.url('/worthy.rss') }, { url: server.url('/second.atom') }]
    );
    const deps = { store, publisher, clock, logger: silentLogger, rules: defaultRuleSet() };
    for (const key of poll.itemsKeys) await classifyAndAlertItemsObject(deps, key);
    return poll;
  };

  it('loses nothing and repeats nothing when the poller stops between storing items and saving state', async () => {
    // Prepare: the shard's state write fails after its items were stored, as if the poller died
    // there.
    store.failPuts('state/shards/', 1);

    // Act
    const first = await pollAndProcess();
    const second = await pollAndProcess();
    const third = await pollAndProcess();

    // Assess: the items came again (at least once in), the alerts did not (effectively once out).
    expect(first.feeds.map((f) => f.status)).toEqual(['error', 'error']);
    expect(second.feeds.every((f) => f.status === 'ok' && f.new > 0)).toBe(true);
    expect(third.feeds.every((f) => f.status === 'unchanged')).toBe(true);
    expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(publisher.sent.length).toBeLessThanOrEqual(2);
    expect(new Set(publisher.sent.map((a) => a.id)).size).toBe(publisher.sent.length);
  });

  it('delivers the alert of an items write that failed mid-poll on the next poll', async () => {
    // Prepare: the shard's items write fails (both feeds' new items are in it).
    store.failPuts('items/', 1);

    // Act
    const first = await pollAndProcess();
    const sentAfterFirst = publisher.sent.length;
    const second = await pollAndProcess();

    // Assess: both feeds failed and stayed due; the next tick delivers their items.
    expect(first.feeds.map((f) => f.status)).toEqual(['error', 'error']);
    expect(first.feeds[0]?.error).toMatch(/could not store the new items .*injected fault/);
    expect(second.feeds.map((f) => f.status)).toEqual(['ok', 'ok']);
    expect(sentAfterFirst).toBe(0);
    expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(new Set(publisher.sent.map((a) => a.eventId)).size).toBe(1);
    expect(publisher.sent.flatMap((a) => a.sources.map((s) => s.outlet)).length).toBeGreaterThan(1);
  });

  it('sends an alert whose publish failed exactly once, on the redelivery', async () => {
    // Prepare
    publisher.failNext(1);
    const poll = await pollFeeds(
      { store, fetcher: new HttpFeedFetcher({ allowPrivate: true }), clock, logger: silentLogger },
      [{ url: server.url('/worthy.rss') }]
    );
    const key = poll.itemsKeys[0] ?? '';
    const deps = { store, publisher, clock, logger: silentLogger, rules: defaultRuleSet() };

    // Act: the failed delivery, then the queue's redelivery of the same message, twice.
    await expect(classifyAndAlertItemsObject(deps, key)).rejects.toThrow(/will be retried/);
    await classifyAndAlertItemsObject(deps, key);
    await classifyAndAlertItemsObject(deps, key);

    // Assess
    expect(publisher.sent).toHaveLength(1);
    expect(await store.list('alerts/')).toHaveLength(1);
  });
});
