/**
 * Fault injection at the Lambda boundary (issue 6, point 3): the handlers' own wiring
 * (makeHandler) over the real adapters (S3ObjectStore on s3rver, HttpFeedFetcher on a loopback
 * feed server, SnsAlertPublisher with SNS mocked at the client), with S3 writes failing on
 * purpose. Every case ends with zero lost and zero repeated alerts.
 */
import { readFileSync } from 'node:fs';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HttpFeedFetcher } from '../../lambdas/adapters/http-feed-fetcher.ts';
import { S3ObjectStore } from '../../lambdas/adapters/s3-store.ts';
import { SnsAlertPublisher } from '../../lambdas/adapters/sns-publisher.ts';
import { silentLogger } from '../../lambdas/adapters/stderr-logger.ts';
import { systemClock } from '../../lambdas/adapters/system-clock.ts';
import type { makeHandler as makeClassifierFn } from '../../lambdas/classify-items/handler.ts';
import type { Alert } from '../../lambdas/core/common/types.ts';
import { ConfigCache } from '../../lambdas/pipeline/config.ts';
import type { makeHandler as makePollerFn } from '../../lambdas/poll-feeds/handler.ts';
import { shardHolding } from '../helpers/events-shards.ts';
import { FaultyStore } from '../helpers/faulty-store.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { fixturePath, projectPath, recentFeed } from '../helpers/fixtures.ts';
import { s3Event } from '../helpers/s3-events.ts';
import { type LocalS3, startS3 } from '../helpers/s3-server.ts';
import { shardEvent, tickIn } from '../helpers/shard-events.ts';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-AlertsTopic';
const noMetrics = { count: () => {}, flush: () => {} };

describe('Fault injection at the Lambda handlers (s3rver, loopback feeds, SNS mocked)', () => {
  const snsMock = mockClient(SNSClient);
  let s3: LocalS3;
  let feeds: FeedServer;
  let makePoller: typeof makePollerFn;
  let makeClassifier: typeof makeClassifierFn;
  let store: FaultyStore;
  let poll: ReturnType<typeof makePollerFn>;
  let classify: ReturnType<typeof makeClassifierFn>;
  let bucketSeq = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    feeds = await startFeedServer({
      routes: {
        '/worthy.rss': {
          body: recentFeed(readFileSync(fixturePath('feeds/worthy-news.rss.xml'), 'utf8')),
        },
        '/dispatch.atom': {
          body: recentFeed(readFileSync(fixturePath('feeds/second-outlet.atom.xml'), 'utf8')),
        },
      },
    });
    // The handler modules build default dependencies at import: give them an environment.
    Object.assign(process.env, {
      BUCKET_NAME: 'unused',
      TOPIC_ARN,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    makePoller = (await import('../../lambdas/poll-feeds/handler.ts')).makeHandler;
    makeClassifier = (await import('../../lambdas/classify-items/handler.ts')).makeHandler;
  });

  afterAll(async () => {
    process.env = saved;
    snsMock.restore();
    await feeds?.stop();
  });

  beforeEach(async () => {
    // A fresh server and bucket per case, so the feeds look new again.
    bucketSeq += 1;
    s3 = await startS3(`newsalert-faults-${bucketSeq}`);
    store = new FaultyStore(new S3ObjectStore(s3.client(), s3.bucket));
    await store.put(
      'config/feeds.json',
      JSON.stringify([
        { url: feeds.url('/worthy.rss'), name: 'Worthy News' },
        { url: feeds.url('/dispatch.atom'), name: 'The Daily Dispatch' },
      ])
    );
    await store.put(
      'config/rules.json',
      JSON.stringify(parse(readFileSync(projectPath('config/rules.yaml'), 'utf8')))
    );
    const config = new ConfigCache(store);
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    poll = makePoller({
      store,
      // The feed server is on loopback, which the deployed poller refuses.
      fetcher: new HttpFeedFetcher({ allowPrivate: true }),
      clock: systemClock,
      logger: silentLogger,
      metrics: noMetrics,
      config,
    });
    classify = makeClassifier({
      store,
      publisher: new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC_ARN),
      clock: systemClock,
      logger: silentLogger,
      metrics: noMetrics,
      config,
    });
  });

  afterEach(async () => {
    await s3.stop();
  });

  /** Classifies every items object once, one S3 event each as S3 sends them; the alert keys. */
  const classifyAll = async (): Promise<string[]> => {
    for (const key of await store.list('items/')) await classify(s3Event(s3.bucket, [key]));
    return (await store.list('alerts/')).sort();
  };

  const publishedSubjects = () =>
    snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject ?? '');

  it('loses nothing when the items write fails mid-poll: SQS retries the shard, which stores them', async () => {
    // Prepare: the shard's items/ write fails, as a throttled PutObject would
    store.failPuts('items/', 1);
    const event = shardEvent(tickIn(0));
    // Act: the failed delivery, then SQS's redelivery of the same message
    const first = await poll(event);
    const retry = await poll(event);
    const ledger = await classifyAll();
    // Assess: the first stored nothing and left both feeds due, so the retry fetched them again
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'shard-1-0' }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await store.list('items/')).toHaveLength(1);
    expect(publishedSubjects()).toHaveLength(ledger.length);
    // nothing lost: the latest alert about the event cites both outlets
    const latest = await store.get(ledger.at(-1) ?? '');
    const outlets = (JSON.parse(latest?.body ?? '{}') as Alert).sources.map((src) => src.outlet);
    expect(outlets).toEqual(expect.arrayContaining(['Worthy News', 'The Daily Dispatch']));
  });

  it('sends no alert twice when the poller dies between writing items and saving its state', async () => {
    // Prepare: the shard's state write fails: as if the poller stopped right after the items
    store.failPuts('state/shards/', 1);
    const event = shardEvent(tickIn(0));
    // Act: the redelivery finds the same items again and writes them a second time; an hour on,
    // every feed is due again and unchanged
    const first = await poll(event);
    const retry = await poll(event);
    const later = await poll(shardEvent(tickIn(60)));
    const ledger = await classifyAll();
    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'shard-1-0' }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(later.batchItemFailures).toEqual([]);
    expect((await store.list('items/')).length).toBe(2);
    const subjects = publishedSubjects();
    expect(subjects).toHaveLength(ledger.length);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(ledger.filter((key) => key.endsWith(':1.json') || key.includes('_1.json'))).toHaveLength(
      1
    );
  });

  // The outbox remembers a successful publish, so the redelivery only records the alert.
  it('sends an alert exactly once when recording it under alerts/ fails after the publish', async () => {
    // Prepare: one items object per outlet (the list holds one feed, then the other)
    const list = (await store.get('config/feeds.json'))?.body ?? '[]';
    await store.put('config/feeds.json', JSON.stringify(JSON.parse(list).slice(0, 1)));
    await poll(shardEvent(tickIn(0)));
    await store.put('config/feeds.json', JSON.stringify(JSON.parse(list).slice(1)));
    await poll(shardEvent(tickIn(0)));
    store.failPuts('alerts/', 1);
    const keys = await store.list('items/');
    // Act: the first invocation publishes, then cannot record: its event fails and Lambda
    // retries it
    const failed: string[] = [];
    for (const key of keys) {
      await classify(s3Event(s3.bucket, [key])).catch(() => failed.push(key));
    }
    const retry = await classify(s3Event(s3.bucket, failed));
    // Assess
    expect(retry.objects).toBe(1);
    const ledger = await store.list('alerts/');
    expect(ledger.length).toBeGreaterThanOrEqual(1);
    expect(failed).toHaveLength(1);
    expect(publishedSubjects()).toHaveLength(ledger.length);
  });

  it('keeps polling and classifying with the last good config after broken uploads, counting each', async () => {
    // Prepare: one poll (one items object per outlet: the list holds one feed, then the other)
    // and the first object classified with the config as deployed
    const list = (await store.get('config/feeds.json'))?.body ?? '[]';
    await store.put('config/feeds.json', JSON.stringify(JSON.parse(list).slice(0, 1)));
    await poll(shardEvent(tickIn(0)));
    await store.put('config/feeds.json', list);
    await poll(shardEvent(tickIn(0)));
    const [firstKey, ...otherKeys] = await store.list('items/');
    await classify(s3Event(s3.bucket, [firstKey ?? '']));
    const goodRules = (await store.get('config/rules.json'))?.body;
    const goodFeeds = (await store.get('config/feeds.json'))?.body;
    await store.put('config/rules.json', '{"threshold": "high", "rules": {}}');
    await store.put('config/feeds.json', 'feeds:\n  - https://example.org/rss\n');
    // a new container (cold start) of each function, counting its metrics
    const counts: Record<string, number> = {};
    const metrics = {
      count: (name: string, value: number) => {
        counts[name] = (counts[name] ?? 0) + value;
      },
      flush: () => {},
    };
    const config = new ConfigCache(store);
    const base = { store, clock: systemClock, logger: silentLogger, metrics, config };

    // Act: an hour on, every feed of the last good list is due
    const polled = await makePoller({
      ...base,
      fetcher: new HttpFeedFetcher({ allowPrivate: true }),
    })(shardEvent(tickIn(60)));
    const classified = await makeClassifier({
      ...base,
      publisher: new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC_ARN),
    })(s3Event(s3.bucket, otherKeys));

    // Assess
    expect(await store.get('state/last-good/rules.json')).toMatchObject({ body: goodRules });
    expect(await store.get('state/last-good/feeds.json')).toMatchObject({ body: goodFeeds });
    expect(polled.batchItemFailures).toEqual([]);
    expect(otherKeys).toHaveLength(1);
    expect(counts).toMatchObject({ FeedsPolled: 2, FeedErrors: 0 });
    expect(classified.objects).toBe(otherKeys.length);
    expect(counts).toMatchObject({ FeedsConfigRejected: 1, RulesRejected: 1, RecordsFailed: 0 });
    expect(counts.ItemsClassified).toBeGreaterThan(0);
    const ledger = await store.list('alerts/');
    expect(ledger.length).toBeGreaterThan(0);
    expect(publishedSubjects()).toHaveLength(ledger.length);
  });

  it('refuses to start a shard of the events state afresh after it was deleted, until it is restored', async () => {
    // Prepare: alerts went out on the evening of the fixtures' reports (alerts/ is filed by the
    // day of an event's latest report), then someone deleted the state
    const evening = { now: () => new Date('2024-11-29T20:00:00Z') };
    const base = { store, clock: evening, logger: silentLogger, metrics: noMetrics };
    const config = new ConfigCache(store);
    const poller = makePoller({
      ...base,
      config,
      fetcher: new HttpFeedFetcher({ allowPrivate: true }),
    });
    // one items object per outlet: the list holds one feed, then the other
    const list = (await store.get('config/feeds.json'))?.body ?? '[]';
    await store.put('config/feeds.json', JSON.stringify(JSON.parse(list).slice(0, 1)));
    await poller(shardEvent(evening.now()));
    await store.put('config/feeds.json', JSON.stringify(JSON.parse(list).slice(1)));
    await poller(shardEvent(evening.now()));
    const classifyAt = makeClassifier({
      ...base,
      config,
      publisher: new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC_ARN),
    });
    const keys = await store.list('items/');
    await classifyAt(s3Event(s3.bucket, keys.slice(0, 1)));
    const ledger = await store.list('alerts/');
    const { key } = await shardHolding(store);
    const state = await store.get(key);
    await s3.client().send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));

    // Act: the second outlet's report of the same event arrives
    const refused = classifyAt(s3Event(s3.bucket, keys.slice(1)));
    await expect(refused).rejects.toThrow(/1 items object failed to classify/);
    await store.put(key, state?.body ?? ''); // restored
    const restored = await classifyAt(s3Event(s3.bucket, keys.slice(1)));

    // Assess: refused while missing; once restored, the report updates the event alerted on
    expect(ledger.length).toBeGreaterThan(0);
    expect(restored.objects).toBe(1);
    const alerts = await Promise.all(
      (await store.list('alerts/')).map(
        async (key) => JSON.parse((await store.get(key))?.body ?? '{}') as Alert
      )
    );
    expect(alerts.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(publishedSubjects()).toHaveLength(alerts.length);
  });
});
