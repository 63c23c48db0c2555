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
import { s3NotificationBatch } from '../helpers/s3-events.ts';
import { type LocalS3, startS3 } from '../helpers/s3-server.ts';

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

  /** Classifies every items object once, as S3 -> SQS would deliver them; returns the alert ids. */
  const classifyAll = async (): Promise<string[]> => {
    const keys = await store.list('items/');
    const response = await classify(s3NotificationBatch(s3.bucket, keys));
    expect(response.batchItemFailures).toEqual([]);
    return (await store.list('alerts/')).sort();
  };

  const publishedSubjects = () =>
    snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject ?? '');

  it('loses nothing when the items write fails mid-poll: the items arrive on the next poll', async () => {
    // Prepare: the first items/ write fails, as a throttled PutObject would
    store.failPuts('items/', 1);
    // Act
    const first = await poll({});
    const second = await poll({});
    const ledger = await classifyAll();
    // Assess: the failed feed stored nothing and saved no validators, so it was fetched again
    expect(first).toMatchObject({ ok: 1, errors: 1 });
    expect(second).toMatchObject({ ok: 1, unchanged: 1, errors: 0 });
    expect(second.newItems).toBeGreaterThan(0);
    expect(await store.list('items/')).toHaveLength(2);
    expect(publishedSubjects()).toHaveLength(ledger.length);
    // nothing lost: the latest alert about the event cites both outlets
    const latest = await store.get(ledger.at(-1) ?? '');
    const outlets = (JSON.parse(latest?.body ?? '{}') as Alert).sources.map((src) => src.outlet);
    expect(outlets).toEqual(expect.arrayContaining(['Worthy News', 'The Daily Dispatch']));
  });

  it('sends no alert twice when the poller dies between writing items and saving its state', async () => {
    // Prepare: both state writes of one feed fail (the save and the failure record): as if the
    // poller stopped right after writing the items
    store.failPuts('state/', 2);
    // Act: the next poll finds the same items again and writes them a second time
    const first = await poll({});
    const second = await poll({});
    const ledger = await classifyAll();
    // Assess
    expect(first.errors).toBe(1);
    expect(second.newItems).toBeGreaterThan(0);
    expect((await store.list('items/')).length).toBe(3);
    const subjects = publishedSubjects();
    expect(subjects).toHaveLength(ledger.length);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(ledger.filter((key) => key.endsWith(':1.json') || key.includes('_1.json'))).toHaveLength(
      1
    );
  });

  // The outbox remembers a successful publish, so the redelivery only records the alert.
  it('sends an alert exactly once when recording it under alerts/ fails after the publish', async () => {
    // Prepare
    await poll({});
    store.failPuts('alerts/', 1);
    const keys = await store.list('items/');
    // Act: the first delivery publishes, then cannot record: the record fails and is redelivered
    const first = await classify(s3NotificationBatch(s3.bucket, keys));
    const retry = await classify(
      s3NotificationBatch(
        s3.bucket,
        keys.filter((_, i) =>
          first.batchItemFailures.some((f) => f.itemIdentifier.startsWith(`msg-${i}-`))
        )
      )
    );
    // Assess
    expect(retry.batchItemFailures).toEqual([]);
    const ledger = await store.list('alerts/');
    expect(ledger.length).toBeGreaterThanOrEqual(1);
    expect(first.batchItemFailures.length).toBe(1);
    expect(publishedSubjects()).toHaveLength(ledger.length);
  });

  it('keeps polling and classifying with the last good config after broken uploads, counting each', async () => {
    // Prepare: one poll and one items object classified with the config as deployed
    await poll({});
    const [firstKey, ...otherKeys] = await store.list('items/');
    await classify(s3NotificationBatch(s3.bucket, [firstKey ?? '']));
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

    // Act
    const summary = await makePoller({
      ...base,
      fetcher: new HttpFeedFetcher({ allowPrivate: true }),
    })({});
    const response = await makeClassifier({
      ...base,
      publisher: new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC_ARN),
    })(s3NotificationBatch(s3.bucket, otherKeys));

    // Assess
    expect(await store.get('state/last-good/rules.json')).toMatchObject({ body: goodRules });
    expect(await store.get('state/last-good/feeds.json')).toMatchObject({ body: goodFeeds });
    expect(summary).toMatchObject({ feeds: 2, errors: 0 });
    expect(response.batchItemFailures).toEqual([]);
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
    await makePoller({ ...base, config, fetcher: new HttpFeedFetcher({ allowPrivate: true }) })({});
    const classifyAt = makeClassifier({
      ...base,
      config,
      publisher: new SnsAlertPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC_ARN),
    });
    const keys = await store.list('items/');
    await classifyAt(s3NotificationBatch(s3.bucket, keys.slice(0, 1)));
    const ledger = await store.list('alerts/');
    const { key } = await shardHolding(store);
    const state = await store.get(key);
    await s3.client().send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));

    // Act: the second outlet's report of the same event arrives
    const refused = await classifyAt(s3NotificationBatch(s3.bucket, keys.slice(1)));
    await store.put(key, state?.body ?? ''); // restored
    const restored = await classifyAt(s3NotificationBatch(s3.bucket, keys.slice(1)));

    // Assess: refused while missing; once restored, the report updates the event alerted on
    expect(ledger.length).toBeGreaterThan(0);
    expect(refused.batchItemFailures).toHaveLength(1);
    expect(restored.batchItemFailures).toEqual([]);
    const alerts = await Promise.all(
      (await store.list('alerts/')).map(
        async (key) => JSON.parse((await store.get(key))?.body ?? '{}') as Alert
      )
    );
    expect(alerts.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(publishedSubjects()).toHaveLength(alerts.length);
  });
});
