/**
 * The poller as deployed: bundled by esbuild with the construct's options (the AWS SDK inside the
 * bundle), loaded by a plain node outside the project, polling a loopback feed into s3rver. The
 * handler tests run the sources; this one proves the bundled SDK client signs, addresses and
 * parses S3 requests as the unbundled one does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerBuildOptions } from '../../bench/bundles.ts';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { type LocalS3, startS3 } from '../helpers/s3-server.ts';

const run = promisify(execFile);

describe('the bundled poller (AWS SDK inside) against s3rver and a loopback feed', () => {
  let dir: string;
  let bundle: string;
  let s3: LocalS3;
  let feeds: FeedServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsalert-bundle-'));
    bundle = join(dir, 'index.js');
    // As Lambda loads it: CommonJS, nothing beside it but the bundle.
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    await build(handlerBuildOptions('lambdas/poll-feeds/handler.ts', bundle));
    s3 = await startS3();
    feeds = await startFeedServer({
      routes: { '/worthy.rss': { body: readFileSync(fixturePath('feeds/worthy-news.rss.xml')) } },
    });
    await s3.client().send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: 'config/feeds.json',
        Body: JSON.stringify([{ url: feeds.url('/worthy.rss'), name: 'Worthy News' }]),
      })
    );
  });

  afterAll(async () => {
    await feeds?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('polls the feed and stores its items and state in the bucket', async () => {
    // Act: a fresh node, outside the project, invokes the bundled handler once
    const { stdout } = await run(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(bundle)}).handler({}).then((s) => console.log(JSON.stringify(s)))`,
      ],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          ...s3.env,
          BUCKET_NAME: s3.bucket,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          POWERTOOLS_METRICS_DISABLED: 'true',
          POWERTOOLS_METRICS_NAMESPACE: 'NewsAlert',
          POWERTOOLS_SERVICE_NAME: 'poller',
        },
      }
    );

    // Assess
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary).toMatchObject({ feeds: 1, ok: 1, errors: 0 });
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    expect(keys.filter((k) => k.startsWith('items/'))).toHaveLength(1);
    expect(keys.some((k) => k.startsWith('state/feeds/'))).toBe(true);
  });
});
