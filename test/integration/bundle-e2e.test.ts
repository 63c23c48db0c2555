/**
 * Both Lambdas as deployed: bundled by esbuild with the construct's options (the AWS SDK inside the
 * bundle), each loaded by a plain node outside the project. The poller refuses the loopback feed
 * (it never fetches private addresses); the same bundle's poller, handed the feed's text by a
 * stand-in fetcher, stores its items in s3rver; the classifier classifies what it stored and publishes the alert to a loopback stand-in
 * for SNS that answers as SNS does. The handler tests run the sources; this one proves the bundled
 * SDK clients sign, address, serialise and parse S3 and SNS requests as the unbundled ones do.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
import { s3NotificationRecord } from '../helpers/s3-events.ts';
import { type LocalS3, startS3 } from '../helpers/s3-server.ts';
import { shardEvent, tickIn } from '../helpers/shard-events.ts';

const run = promisify(execFile);
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:NewsAlerts-AlertsTopic';

/** A loopback stand-in for SNS: records each Publish (a form-encoded Query request) and answers it. */
const startFakeSns = async (): Promise<{
  server: Server;
  url: string;
  publishes: URLSearchParams[];
}> => {
  const publishes: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'Publish') {
        res.writeHead(400).end();
        return;
      }
      publishes.push(form);
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${publishes.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${publishes.length}</RequestId></ResponseMetadata></PublishResponse>`
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, publishes };
};

describe('the bundled Lambdas (AWS SDK inside) against s3rver, a loopback feed and a stand-in SNS', () => {
  let dir: string;
  let s3: LocalS3;
  let feeds: FeedServer;
  let sns: Awaited<ReturnType<typeof startFakeSns>>;
  const bundles = { poller: '', classifier: '' };

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
        BUCKET_NAME: s3.bucket,
        TOPIC_ARN,
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
    bundles.poller = join(dir, 'poller.js');
    bundles.classifier = join(dir, 'classifier.js');
    await build(handlerBuildOptions('lambdas/poll-feeds/handler.ts', bundles.poller));
    await build(handlerBuildOptions('lambdas/classify-items/handler.ts', bundles.classifier));
    s3 = await startS3();
    sns = await startFakeSns();
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
    rmSync(dir, { recursive: true, force: true });
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
    // on the S3 -> SQS notification of what it stored
    const polled = await invoke(
      bundles.poller,
      shardEvent(tickIn(60)),
      'poller',
      `m.makeHandler({ ...m.defaultDeps(), fetcher: ${fetcher} })`
    );
    const items = await keys('items/');
    const response = await invoke(
      bundles.classifier,
      { Records: items.map((key, i) => s3NotificationRecord(`m-${i}`, key, s3.bucket)) },
      'classifier'
    );

    // Assess: items and feed state stored; no failed record; one alert, about Aleppo, on the topic
    expect(polled).toEqual({ batchItemFailures: [] });
    expect(items).toHaveLength(1);
    expect(Object.values(await shardState())).toEqual([
      expect.objectContaining({ lastStatus: 'ok', consecutiveFailures: 0 }),
    ]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sns.publishes).toHaveLength(1);
    expect(sns.publishes[0]?.get('TopicArn')).toBe(TOPIC_ARN);
    expect(sns.publishes[0]?.get('Subject')).toMatch(/Aleppo/);
    expect(await keys('state/events')).not.toHaveLength(0);
  });
});
