/**
 * The two Lambda handlers as deployed (default dependencies built from the environment; only the
 * poller's fetcher is allowed loopback, where the feed server is and which the deployed poller
 * refuses: bundle-e2e.test.ts shows it does), against a real S3-protocol server (s3rver) and a loopback feed server, with SNS
 * mocked at the client. S3's invocation of the classifier is played by the test: it builds the
 * S3 event notifications AWS would send, and retries an event that failed as Lambda would.
 */
import { readFileSync } from 'node:fs';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HttpFeedFetcher } from '../../lambdas/adapters/http-feed-fetcher.ts';
import type { makeHandler as makeClassifier } from '../../lambdas/classify-items/handler.ts';
import { feedsOfShard, parseShardMessage } from '../../lambdas/core/feeds/shards.ts';
import type { makeHandler as makePoller } from '../../lambdas/poll-feeds/handler.ts';
import type { handler as scheduleHandler } from '../../lambdas/schedule-polls/handler.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { fixturePath, projectPath, recentFeed } from '../helpers/fixtures.ts';
import { s3Event } from '../helpers/s3-events.ts';
import { type LocalS3, startS3 } from '../helpers/s3-server.ts';
import { shardEvent, tickIn } from '../helpers/shard-events.ts';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-AlertsTopic';
const POLL_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/NewsAlerts-PollQueue';

type Poller = ReturnType<typeof makePoller>;
type Classifier = ReturnType<typeof makeClassifier>;

describe('Lambda handlers end to end (s3rver, loopback feeds, SNS mocked)', () => {
  const snsMock = mockClient(SNSClient);
  const sqsMock = mockClient(SQSClient);
  let s3: LocalS3;
  let client: S3Client;
  let feeds: FeedServer;
  let poll: Poller;
  let classify: Classifier;
  let schedule: typeof scheduleHandler;
  const saved = { ...process.env };

  const listKeys = async (prefix: string): Promise<string[]> => {
    const out = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])).sort();
  };
  const putText = (key: string, body: string) =>
    client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  const clearPrefix = async (prefix: string) => {
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    for (const key of await listKeys(prefix)) {
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
    }
  };

  beforeAll(async () => {
    s3 = await startS3();
    client = s3.client();
    feeds = await startFeedServer({
      routes: {
        '/worthy.rss': {
          body: recentFeed(readFileSync(fixturePath('feeds/worthy-news.rss.xml'), 'utf8')),
        },
        '/dispatch.atom': {
          body: recentFeed(readFileSync(fixturePath('feeds/second-outlet.atom.xml'), 'utf8')),
          contentType: 'application/atom+xml; charset=utf-8',
        },
      },
    });
    // What the stack sets (BUCKET_NAME, TOPIC_ARN) and what points the default SDK
    // configuration chain at s3rver (AWS_ENDPOINT_URL_S3 and friends).
    Object.assign(process.env, s3.env, {
      BUCKET_NAME: s3.bucket,
      TOPIC_ARN: TOPIC_ARN,
      POLL_QUEUE_URL,
      FEEDS_PER_SHARD: '2',
      // Keep the test output readable: Powertools logs and metrics go to stdout.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'NewsAlert',
    });
    const poller = await import('../../lambdas/poll-feeds/handler.ts');
    poll = poller.makeHandler({
      ...poller.defaultDeps(),
      fetcher: new HttpFeedFetcher({ allowPrivate: true }),
    });
    classify = (await import('../../lambdas/classify-items/handler.ts')).handler;
    schedule = (await import('../../lambdas/schedule-polls/handler.ts')).handler;

    // What the deploy uploads to config/ (bin/app.ts converts the repo's YAML to JSON).
    await putText(
      'config/feeds.json',
      JSON.stringify([
        { url: feeds.url('/worthy.rss'), name: 'Worthy News' },
        { url: feeds.url('/dispatch.atom'), name: 'The Daily Dispatch' },
        { url: feeds.url('/gone.rss'), name: 'Gone' },
      ])
    );
    await putText(
      'config/rules.json',
      JSON.stringify(parse(readFileSync(projectPath('config/rules.yaml'), 'utf8')))
    );
  });

  afterAll(async () => {
    process.env = saved;
    snsMock.restore();
    sqsMock.restore();
    await feeds?.stop();
    await s3?.stop();
  });

  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  });

  /** The shard's state as stored: each feed's last status by name of its URL's path. */
  const statuses = async (): Promise<string[]> => {
    const out = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: 'state/shards/1-0.json' })
    );
    const doc = JSON.parse((await out.Body?.transformToString()) ?? '{}');
    return Object.values(doc.feeds as Record<string, { lastStatus: string }>)
      .map((f) => f.lastStatus)
      .sort();
  };

  it('schedules the feed list from the bucket as shard messages on the poll queue', async () => {
    // Prepare
    sqsMock.reset();
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: Array<{ Id: string }> }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: '' })),
      Failed: [],
    }));

    // Act: the tick EventBridge sends
    const report = await schedule({ time: '2026-11-29T15:30:00Z' });

    // Assess: 3 feeds at 2 a shard make 2 shards; every feed is in one message sent
    expect(report).toMatchObject({ feeds: 3, shardCount: 2, failed: [] });
    const entries = sqsMock
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? []);
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: POLL_QUEUE_URL,
    });
    const shards = entries.map((e) => parseShardMessage(e.MessageBody ?? ''));
    expect(shards.every((m) => m.tick === '2026-11-29T15:30:00.000Z')).toBe(true);
    const feedList = JSON.parse(
      (await (
        await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'config/feeds.json' }))
      ).Body?.transformToString()) ?? '[]'
    );
    expect(shards.flatMap((m) => feedsOfShard(feedList, m)).length).toBe(3);
  });

  it('goes from a feed to a published alert: poll, store items, classify, publish, record', async () => {
    // Act: one poll of the one shard
    const polled = await poll(shardEvent(tickIn(0)));
    // Assess: both feeds' new items in one items object, the missing one is an error
    expect(polled).toEqual({ batchItemFailures: [] });
    expect(await statuses()).toEqual(['error', 'ok', 'ok']);
    const items = await listKeys('items/');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/^items\/\d{4}\/\d{2}\/\d{2}\/\d{9}-s1-0-[0-9a-f]{12}\.jsonl$/);

    // Act: S3 -> classifier, one event per created items object
    for (const key of items) await classify(s3Event(s3.bucket, [key]));

    // Assess: one new alert about Aleppo, published once with every rendering, and recorded
    const publishes = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(publishes.length).toBeGreaterThanOrEqual(1);
    const first = publishes[0];
    expect(first).toMatchObject({
      TopicArn: TOPIC_ARN,
      MessageStructure: 'json',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'new' } },
    });
    expect(Object.keys(JSON.parse(first?.Message ?? '{}')).sort()).toEqual([
      'default',
      'email',
      'https',
      'lambda',
      'sms',
    ]);
    // Every filter attribute, the countries from the gazetteer
    expect(first?.MessageAttributes?.countries).toEqual({
      DataType: 'String.Array',
      StringValue: '["Syria"]',
    });
    expect(first?.Subject).toMatch(/Aleppo/);
    const ledger = await listKeys('alerts/');
    expect(ledger).toHaveLength(publishes.length);
    const recorded = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: ledger[0] ?? '' })
    );
    const alert = JSON.parse((await recorded.Body?.transformToString()) ?? '{}');
    expect(alert).toMatchObject({ kind: 'new', places: expect.arrayContaining(['Aleppo']) });
  });

  it('stores and sends nothing on the next poll when the feeds are unchanged (304)', async () => {
    // Prepare
    const before = await listKeys('items/');
    // Act: a tick an hour on, when every feed is due whatever its pace
    const polled = await poll(shardEvent(tickIn(60)));
    // Assess
    expect(polled).toEqual({ batchItemFailures: [] });
    // (a healthy feed's 304 changes only its schedule, not its recorded health)
    expect(await statuses()).toEqual(['error', 'ok', 'ok']);
    expect(await listKeys('items/')).toEqual(before);
  });

  it('sends nothing twice when S3 delivers the same event again', async () => {
    // Prepare
    const items = await listKeys('items/');
    const sentBefore = (await listKeys('alerts/')).length;
    // Act: the same notifications, delivered again (at-least-once delivery)
    const summary = await classify(s3Event(s3.bucket, items));
    // Assess
    expect(summary.objects).toBe(items.length);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(await listKeys('alerts/')).toHaveLength(sentBefore);
  });

  it('fails the event whose publish failed, and sends its alert exactly once when Lambda retries it', async () => {
    // Prepare: a fresh start, so the two reports raise an alert again
    await clearPrefix('state/');
    await clearPrefix('items/');
    await clearPrefix('alerts/');
    // one items object per outlet: the list holds one feed, then the other
    const list = JSON.parse(
      (await (
        await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'config/feeds.json' }))
      ).Body?.transformToString()) ?? '[]'
    );
    await putText('config/feeds.json', JSON.stringify(list.slice(0, 1)));
    await poll(shardEvent(tickIn(0)));
    await putText('config/feeds.json', JSON.stringify(list.slice(1, 2)));
    await poll(shardEvent(tickIn(0)));
    await putText('config/feeds.json', JSON.stringify(list));
    const [worthyKey, dispatchKey] = await listKeys('items/');
    expect(worthyKey && dispatchKey).toBeTruthy();
    snsMock.reset();
    snsMock
      .on(PublishCommand)
      .rejectsOnce(new Error('Rate exceeded'))
      .resolves({ MessageId: 'sns-2' });

    // Act: the first object's alert cannot be published, so its event fails; the second is fine
    const first = classify(s3Event(s3.bucket, [worthyKey ?? '']));
    await expect(first).rejects.toThrow(/1 items object failed to classify/);
    await classify(s3Event(s3.bucket, [dispatchKey ?? '']));
    // Act: Lambda retries the failed event
    const retry = await classify(s3Event(s3.bucket, [worthyKey ?? '']));

    // Assess
    expect(retry.objects).toBe(1);
    const published = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    // one failed attempt, then each distinct alert exactly once
    const succeeded = published.slice(1);
    expect(new Set(succeeded).size).toBe(succeeded.length);
    expect(succeeded.length).toBe((await listKeys('alerts/')).length);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    // the alert whose publish failed went out exactly once afterwards
    expect(succeeded.filter((subject) => subject === published[0])).toHaveLength(1);
  });
});
