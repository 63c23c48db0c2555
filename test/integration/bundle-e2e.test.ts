/**
 * The Lambdas as deployed: bundled by esbuild with the construct's options (the AWS SDK inside the
 * bundle), each loaded by a plain node outside the project. The scheduler reads the feed list from
 * s3rver and sends its shard messages to a loopback stand-in for SQS. The poller refuses the
 * loopback feed (it never fetches private addresses); the same bundle's poller, handed the feed's
 * text by a stand-in fetcher, stores its items in s3rver; the classifier, invoked with the S3
 * event of what it stored, classifies it and publishes the alert to a loopback stand-in for SNS
 * that answers as SNS does. The handler tests run the sources; this one proves the bundled SDK
 * clients sign, address, serialise and parse S3, SQS and SNS requests as the unbundled ones do.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { handlerBuildOptions } from '../../bench/bundles.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { fixturePath, projectPath, recentFeed } from '../helpers/fixtures.ts';
import { s3Event } from '../helpers/s3-events.ts';
import { type LocalS3, startS3 } from '../helpers/s3-server.ts';
import { shardEvent, tickIn } from '../helpers/shard-events.ts';

const run = promisify(execFile);
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-AlertsTopic';

/** What a stand-in answers a request with; undefined for a request it does not serve (400). */
type StandInAnswer = { contentType: string; body: string } | undefined;

/** A loopback HTTP server answering each request (its headers and text body) with `answer`. */
const startStandIn = async (
  answer: (headers: IncomingHttpHeaders, body: string) => StandInAnswer
): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const out = answer(req.headers, body);
      if (!out) res.writeHead(400).end();
      else res.writeHead(200, { 'content-type': out.contentType }).end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/** A loopback stand-in for SNS: records each Publish (a form-encoded Query request) and answers it. */
const startFakeSns = async () => {
  const publishes: URLSearchParams[] = [];
  const standIn = await startStandIn((_headers, body) => {
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'Publish') return undefined;
    publishes.push(form);
    return {
      contentType: 'text/xml',
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${publishes.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${publishes.length}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  });
  return { ...standIn, publishes };
};

interface SqsEntry {
  readonly Id: string;
  readonly MessageBody: string;
}

/**
 * A loopback stand-in for SQS: records each SendMessageBatch (an AWS JSON 1.0 request) and answers
 * it as SQS does, with the MD5 of each body, which the SDK checks.
 */
const startFakeSqs = async () => {
  const sent: Array<{ QueueUrl: string; Entries: SqsEntry[] }> = [];
  const standIn = await startStandIn((headers, body) => {
    if (headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') return undefined;
    const input = JSON.parse(body) as { QueueUrl: string; Entries: SqsEntry[] };
    sent.push(input);
    return {
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({
        Successful: input.Entries.map((e) => ({
          Id: e.Id,
          MessageId: `m-${e.Id}`,
          MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
        })),
        Failed: [],
      }),
    };
  });
  return { ...standIn, sent };
};

describe('the bundled Lambdas (AWS SDK inside) against s3rver, a loopback feed and stand-ins for SQS and SNS', () => {
  let dir: string;
  let s3: LocalS3;
  let feeds: FeedServer;
  let sns: Awaited<ReturnType<typeof startFakeSns>>;
  let sqs: Awaited<ReturnType<typeof startFakeSqs>>;
  const bundles = { scheduler: '', poller: '', classifier: '' };

  /**
   * Runs `require(bundle).handler(<event>)` (or another handler the bundle's exports `m` make) in a
   * fresh node outside the project; its result.
   */
  const invoke = async (
    bundle: string,
    event: unknown,
    service: string,
    handler = 'm.handler'
  ): Promise<unknown> => {
    const code = `const m = require(${JSON.stringify(bundle)}); (${handler})(${JSON.stringify(event)}).then((r) => console.log(JSON.stringify(r)))`;
    const { stdout } = await run(process.execPath, ['-e', code], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        ...s3.env,
        AWS_ENDPOINT_URL_SNS: sns.url,
        AWS_ENDPOINT_URL_SQS: sqs.url,
        BUCKET_NAME: s3.bucket,
        TOPIC_ARN,
        POLL_QUEUE_URL: `${sqs.url}/123456789012/NewsAlerts-PollQueue`,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_METRICS_NAMESPACE: 'NewsAlert',
        POWERTOOLS_SERVICE_NAME: service,
      },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
  };

  const keys = async (prefix: string): Promise<string[]> => {
    const listed = await s3
      .client()
      .send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => o.Key ?? '');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsalert-bundle-'));
    // As Lambda loads them: CommonJS, nothing beside them but the bundles.
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    bundles.scheduler = join(dir, 'scheduler.js');
    bundles.poller = join(dir, 'poller.js');
    bundles.classifier = join(dir, 'classifier.js');
    await build(handlerBuildOptions('lambdas/schedule-polls/handler.ts', bundles.scheduler));
    await build(handlerBuildOptions('lambdas/poll-feeds/handler.ts', bundles.poller));
    await build(handlerBuildOptions('lambdas/classify-items/handler.ts', bundles.classifier));
    s3 = await startS3();
    sns = await startFakeSns();
    sqs = await startFakeSqs();
    feeds = await startFeedServer({
      routes: {
        '/worthy.rss': {
          body: recentFeed(readFileSync(fixturePath('feeds/worthy-news.rss.xml'), 'utf8')),
        },
      },
    });
    const put = (Key: string, Body: string) =>
      s3.client().send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body }));
    await put(
      'config/feeds.json',
      JSON.stringify([{ url: feeds.url('/worthy.rss'), name: 'Worthy News' }])
    );
    await put(
      'config/rules.json',
      JSON.stringify(parse(readFileSync(projectPath('config/rules.yaml'), 'utf8')))
    );
  });

  afterAll(async () => {
    await feeds?.stop();
    await s3?.stop();
    await new Promise((resolve) => sns?.server.close(resolve));
    await new Promise((resolve) => sqs?.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('schedules the feed list: one shard message sent to the poll queue', async () => {
    // Act: the tick EventBridge sends
    const report = await invoke(bundles.scheduler, { time: '2026-11-29T15:30:00Z' }, 'scheduler');

    // Assess
    expect(report).toMatchObject({ feeds: 1, shardCount: 1, sent: 1, failed: [] });
    expect(sqs.sent).toHaveLength(1);
    expect(sqs.sent[0]?.QueueUrl).toMatch(/\/NewsAlerts-PollQueue$/);
    expect(sqs.sent[0]?.Entries.map((e) => JSON.parse(e.MessageBody))).toEqual([
      { v: 1, count: 1, index: 0, tick: '2026-11-29T15:30:00.000Z' },
    ]);
  });

  /** The one shard's state as stored: its feeds by URL. */
  const shardState = async (): Promise<Record<string, Record<string, unknown>>> => {
    const state = await s3
      .client()
      .send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'state/shards/1-0.json' }));
    return JSON.parse((await state.Body?.transformToString()) ?? '{}').feeds ?? {};
  };

  it('refuses the feed on loopback: the deployed poller never fetches private addresses', async () => {
    // Act: the scheduler's message for the one shard, now
    const response = await invoke(bundles.poller, shardEvent(tickIn(0)), 'poller');

    // Assess: the failure is the feed's, recorded in the shard's state; the shard itself saved
    expect(response).toEqual({ batchItemFailures: [] });
    expect(Object.values(await shardState())).toEqual([
      expect.objectContaining({
        lastStatus: 'error',
        lastError: 'refused 127.0.0.1 (loopback): private addresses are not fetched',
      }),
    ]);
    expect(await keys('items/')).toEqual([]);
    expect(feeds.requests()).toBe(0);
  });

  it('polls the feed into the bucket, then classifies it and publishes one alert', async () => {
    // Prepare: the bundle's own poller and dependencies, but a fetcher that hands over the feed
    const text = recentFeed(readFileSync(fixturePath('feeds/worthy-news.rss.xml'), 'utf8'));
    const fetcher = `{ fetch: async () => ({ status: 'ok', text: ${JSON.stringify(text)}, bytes: ${text.length}, validators: {} }) }`;

    // Act: the poller once (an hour on, when the failed feed is due again), then the classifier
    // on the S3 event of what it stored
    const polled = await invoke(
      bundles.poller,
      shardEvent(tickIn(60)),
      'poller',
      `m.makeHandler({ ...m.defaultDeps(), fetcher: ${fetcher} })`
    );
    const items = await keys('items/');
    const classified = await invoke(bundles.classifier, s3Event(s3.bucket, items), 'classifier');

    // Assess: items and feed state stored; no failed record; one alert, about Aleppo, on the topic
    expect(polled).toEqual({ batchItemFailures: [] });
    expect(items).toHaveLength(1);
    expect(Object.values(await shardState())).toEqual([
      expect.objectContaining({ lastStatus: 'ok', consecutiveFailures: 0 }),
    ]);
    expect(classified).toEqual({ objects: 1, items: expect.any(Number), alerts: 1 });
    expect(sns.publishes).toHaveLength(1);
    expect(sns.publishes[0]?.get('TopicArn')).toBe(TOPIC_ARN);
    expect(sns.publishes[0]?.get('Subject')).toMatch(/Aleppo/);
    expect(await keys('state/events')).not.toHaveLength(0);
  });
});
