import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, S3Event } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The handler module builds its default dependencies at import: give it its environment first.
vi.hoisted(() => {
  process.env.BUCKET_NAME = 'newsalert-test-bucket';
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:alerts';
  process.env.AWS_REGION = 'us-east-1';
});

import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import {
  type ClassifierHandlerDeps,
  ClassifyFailedError,
  makeHandler,
} from '../../../lambdas/classify-items/handler.ts';
import { ConfigCache } from '../../../lambdas/pipeline/config.ts';
import { RULES_KEY } from '../../../lambdas/pipeline/keys.ts';
import { errorRecorder } from '../../helpers/error-recorder.ts';
import { defaultRuleSet, defaultRulesJson, seedItems } from '../../helpers/fixtures.ts';
import { RecordingPublisher } from '../../helpers/recording-publisher.ts';
import { s3Event } from '../../helpers/s3-events.ts';

const clock = { now: () => new Date('2024-11-29T18:00:00Z') };

/** A Lambda context as the runtime passes it (only the request id matters here). */
const lambdaContext = (awsRequestId: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'NewsAlerts-ClassifyClassifierFunction',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:NewsAlerts-Classify',
  memoryLimitInMB: '512',
  awsRequestId,
  logGroupName: '/aws/lambda/NewsAlerts-Classify',
  logStreamName: '2026/11/22/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** The S3 event for created `keys` (URL-encoded as S3 does). */
const event = (...keys: string[]): S3Event => s3Event('newsalert-test-bucket', keys);

const toLines = (items: readonly unknown[]) => items.map((i) => `${JSON.stringify(i)}\n`).join('');

describe('Handler: classify-items', () => {
  let dir: string;
  let store: FsObjectStore;
  let publisher: RecordingPublisher;
  let counts: Record<string, number>;
  let deps: ClassifierHandlerDeps;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-classify-handler-'));
    store = new FsObjectStore(dir);
    publisher = new RecordingPublisher();
    counts = {};
    deps = {
      store,
      publisher,
      clock,
      logger: silentLogger,
      metrics: {
        count: (name, value) => {
          counts[name] = (counts[name] ?? 0) + value;
        },
        flush: () => {},
      },
      config: { rules: async () => ({ value: defaultRuleSet() }) },
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('classifies the items object named by the S3 event and publishes its alert', async () => {
    // Prepare
    const key = 'items/2024/11/29/175900000-4f1c2a9b8e7d.jsonl';
    await store.put(key, toLines(seedItems()));
    // Act
    const summary = await makeHandler(deps)(event(key), lambdaContext('req-1'));
    // Assess
    expect(summary).toEqual({ objects: 1, items: 6, alerts: publisher.sent.length });
    expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(await store.list('alerts/')).toHaveLength(publisher.sent.length);
    expect(counts).toEqual({
      AlertsSent: publisher.sent.length,
      ItemsClassified: 6,
      RecordsFailed: 0,
      AlertsParked: 0,
      RulesRejected: 0,
    });
  });

  it('hands the Lambda context to onInvocation first (request ids in the logs)', async () => {
    const seen: string[] = [];
    const handler = makeHandler({ ...deps, onInvocation: (ctx) => seen.push(ctx.awsRequestId) });
    await handler(event(), lambdaContext('req-42'));
    expect(seen).toEqual(['req-42']);
  });

  it('decodes keys as S3 encodes them (+ for a space, %XX for the rest)', async () => {
    const key = 'items/2024/11/29/manual upload (ß).jsonl';
    await store.put(key, toLines(seedItems().slice(2)));
    const summary = await makeHandler(deps)(event(key));
    expect(summary.items).toBe(4);
    expect(counts.ItemsClassified).toBe(4);
  });

  it('classifies the other objects, then throws (Lambda retries) when one items object is missing', async () => {
    // Prepare
    const good = 'items/2024/11/29/175900000-aaaaaaaaaaaa.jsonl';
    const missing = 'items/2024/11/29/175900000-deleted.jsonl';
    await store.put(good, toLines(seedItems()));
    // Act
    const failure = makeHandler(deps)(event(missing, good));
    // Assess
    await expect(failure).rejects.toThrow(ClassifyFailedError);
    await expect(failure).rejects.toThrow(/1 items object failed to classify \(items\/2024/);
    expect(publisher.sent.length).toBeGreaterThan(0);
    expect(counts.RecordsFailed).toBe(1);
    expect(counts.ItemsClassified).toBe(6);
  });

  it('throws when an alert could not be published, and sends it once when Lambda retries', async () => {
    // Prepare
    const key = 'items/2024/11/29/175900000-bbbbbbbbbbbb.jsonl';
    await store.put(key, toLines(seedItems()));
    publisher.failNext(1);
    const handler = makeHandler(deps);
    // Act
    const first = handler(event(key), lambdaContext('req-1'));
    await expect(first).rejects.toThrow(ClassifyFailedError);
    const retry = await handler(event(key), lambdaContext('req-2'));
    // Assess
    expect(retry.objects).toBe(1);
    const ids = publisher.sent.map((a) => a.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends one alert when two invocations race on the same event (conditional writes)', async () => {
    // Prepare
    const key = 'items/2024/11/29/175900000-cccccccccccc.jsonl';
    await store.put(key, toLines(seedItems()));
    const handler = makeHandler(deps);
    // Act: S3 delivered the event twice, to two concurrent invocations
    const [a, b] = await Promise.all([
      handler(event(key), lambdaContext('req-a')),
      handler(event(key), lambdaContext('req-b')),
    ]);
    // Assess
    expect(a.objects + b.objects).toBe(2);
    const ids = publisher.sent.map((alert) => alert.id);
    expect(ids.filter((id) => id.endsWith(':1'))).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await store.list('alerts/')).toHaveLength(ids.length);
  });

  it('throws on an event that is not an S3 notification', async () => {
    await expect(makeHandler(deps)({ hello: 'world' } as unknown as S3Event)).rejects.toThrow(
      /not an s3 event notification/
    );
  });

  it('fails the event when the rules cannot be loaded, so none is lost', async () => {
    const failing: ClassifierHandlerDeps = {
      ...deps,
      config: {
        rules: async () => {
          throw new Error('config/rules.json is missing from the bucket');
        },
      },
    };
    await expect(makeHandler(failing)(event('items/a.jsonl', 'items/b.jsonl'))).rejects.toThrow(
      /2 items objects failed to classify \(items\/a\.jsonl, items\/b\.jsonl\)/
    );
    expect(counts.RulesRejected).toBe(0);
    expect(counts.RecordsFailed).toBe(2);
  });

  describe('a broken config/rules.json', () => {
    const { logger, errors } = errorRecorder();
    const logging = (): ClassifierHandlerDeps => ({
      ...deps,
      logger,
      config: new ConfigCache(store),
    });
    beforeEach(() => {
      errors.length = 0;
    });

    it('keeps classifying with the last good rules, and logs and counts the rejection once', async () => {
      // Prepare: the rules loaded once, then a broken file was uploaded
      await store.put(RULES_KEY, defaultRulesJson());
      await new ConfigCache(store).rules();
      await store.put(RULES_KEY, '{"threshold": "high"}');
      const key = 'items/2024/11/29/175900000-dddddddddddd.jsonl';
      await store.put(key, toLines(seedItems()));

      // Act: a new container (a cold start) gets an event naming the object twice
      const summary = await makeHandler(logging())(event(key, key));

      // Assess
      expect(summary.objects).toBe(2);
      expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(1);
      expect(counts.RulesRejected).toBe(1);
      expect(counts.ItemsClassified).toBe(12);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toMatch(
        /^config\/rules\.json rejected; classifying with the last good rules \(state\/last-good\/rules\.json\)/
      );
      expect(errors[0]?.extra?.problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^config\/rules\.json/)])
      );
    });

    it('fails every record as before when no rules ever loaded, but logs and counts it', async () => {
      // Prepare
      await store.put(RULES_KEY, 'rules: [yaml, not json]');

      // Act
      const failure = makeHandler(logging())(event('items/a.jsonl', 'items/b.jsonl'));

      // Assess
      await expect(failure).rejects.toThrow(ClassifyFailedError);
      expect(counts.RulesRejected).toBe(1);
      expect(counts.RecordsFailed).toBe(2);
      expect(errors[0]?.message).toMatch(/no last good rules are kept yet/);
    });
  });

  it('counts the alerts parked under state/failed-alerts/', async () => {
    // Prepare: SNS refuses every attempt; a late retry parks the alert
    const key = 'items/2024/11/29/175900000-eeeeeeeeeeee.jsonl';
    await store.put(key, toLines(seedItems()));
    publisher.failNext(100);
    const handler = makeHandler(deps);

    // Act: the event and its retries, each failing to publish
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      await handler(event(key), lambdaContext(`req-${attempt}`)).catch(() => undefined);
    }

    // Assess
    const parked = await store.list('state/failed-alerts/');
    expect(parked.length).toBeGreaterThan(0);
    expect(counts.AlertsParked).toBe(parked.length);
  });
});
