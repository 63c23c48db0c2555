import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { toItemLines } from '../../../lambdas/core/common/item-lines.ts';
import type { Item } from '../../../lambdas/core/common/types.ts';
import {
  classifyAndAlert,
  classifyAndAlertItemsObject,
} from '../../../lambdas/pipeline/classify-and-alert.ts';
import { FaultyStore } from '../../helpers/faulty-store.ts';
import { defaultRuleSet, seedItems } from '../../helpers/fixtures.ts';
import { RecordingPublisher } from '../../helpers/recording-publisher.ts';

const clock = { now: () => new Date('2024-11-29T18:00:00Z') };

describe('Function: classifyAndAlert', () => {
  let dir: string;
  let store: FaultyStore;
  let publisher: RecordingPublisher;
  const deps = () => ({
    store,
    publisher,
    clock,
    logger: silentLogger,
    rules: defaultRuleSet(),
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-process-'));
    store = new FaultyStore(new FsObjectStore(dir));
    publisher = new RecordingPublisher();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('raises one new alert for the two seed reports and none for the teasers', async () => {
    // Act
    const { alerts, results } = await classifyAndAlert(deps(), seedItems());

    // Assess
    expect(results.map((r) => r.escalation)).toEqual([true, true, false, false, false, false]);
    expect(alerts.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(alerts.length).toBeLessThanOrEqual(2);
    expect(publisher.sent).toEqual(alerts);
    expect(await store.list('alerts/')).toHaveLength(alerts.length);
  });

  it('sends nothing again when the same items are delivered twice', async () => {
    // Prepare
    const first = await classifyAndAlert(deps(), seedItems());

    // Act
    const again = await classifyAndAlert(deps(), seedItems());

    // Assess
    expect(first.alerts.length).toBeGreaterThan(0);
    expect(again.alerts).toEqual([]);
    expect(publisher.sent).toHaveLength(first.alerts.length);
  });

  it('keeps an alert whose publish failed and sends it exactly once on the retry', async () => {
    // Prepare
    const [report] = seedItems() as [Item];
    publisher.failNext(1);

    // Act
    const failed = classifyAndAlert(deps(), [report]);
    await expect(failed).rejects.toThrow(/could not be sent or recorded and will be retried/);
    const retried = await classifyAndAlert(deps(), [report]);
    const third = await classifyAndAlert(deps(), [report]);

    // Assess
    expect(retried.alerts).toHaveLength(1);
    expect(third.alerts).toEqual([]);
    expect(publisher.sent).toHaveLength(1);
    expect(publisher.sent[0]?.kind).toBe('new');
  });

  it('sends one alert when two workers race on the same delivery', async () => {
    // Prepare
    const items = seedItems().slice(0, 1);

    // Act
    const outcomes = await Promise.all([
      classifyAndAlert({ ...deps(), worker: 'a' }, items),
      classifyAndAlert({ ...deps(), worker: 'b' }, items),
    ]);

    // Assess
    expect(outcomes.flatMap((o) => o.alerts)).toHaveLength(1);
    expect(publisher.sent).toHaveLength(1);
  });

  it('gives one new alert and at most one update whatever the order of the seed reports', async () => {
    // Prepare
    const [a, b] = seedItems() as [Item, Item];

    // Act
    await classifyAndAlert(deps(), [b]);
    await classifyAndAlert(deps(), [a]);

    // Assess
    expect(publisher.sent.map((s) => s.kind)[0]).toBe('new');
    expect(publisher.sent.filter((s) => s.kind === 'new')).toHaveLength(1);
    expect(publisher.sent.length).toBeLessThanOrEqual(2);
    expect(new Set(publisher.sent.map((s) => s.eventId)).size).toBe(1);
  });

  it('fails naming the object and line when an items object is corrupt', async () => {
    // Prepare
    await store.put('items/2024/11/29/bad.jsonl', '{"id":"a","title":"x"}\nnot json\n');

    // Act
    const result = classifyAndAlertItemsObject(deps(), 'items/2024/11/29/bad.jsonl');

    // Assess
    await expect(result).rejects.toThrow('items/2024/11/29/bad.jsonl: line 2 is not valid JSON');
  });
});

describe('Function: classifyAndAlert, stored state', () => {
  it('fails naming state/events.json when it is corrupt, and sends nothing', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-process-'));
    const store = new FsObjectStore(dir);
    const publisher = new RecordingPublisher();
    await store.put('state/events.json', '{"clusters": {"version": 9, "events": []}}');

    // Act
    const result = classifyAndAlert(
      { store, publisher, clock, logger: silentLogger, rules: defaultRuleSet() },
      seedItems().slice(0, 1)
    );

    // Assess
    await expect(result).rejects.toThrow(/state\/events\.json is unreadable: .*version 9/);
    expect(publisher.sent).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Function: classifyAndAlert, recording failures', () => {
  it('records but never re-sends an alert whose alerts/ record failed after the publish', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-process-'));
    const store = new FaultyStore(new FsObjectStore(dir));
    const publisher = new RecordingPublisher();
    const deps = { store, publisher, clock, logger: silentLogger, rules: defaultRuleSet() };
    const items = seedItems().slice(0, 1);
    store.failPuts('alerts/', 1);

    // Act
    await expect(classifyAndAlert(deps, items)).rejects.toThrow(
      /sent or recorded and will be retried/
    );
    const retry = await classifyAndAlert(deps, items);

    // Assess
    expect(publisher.sent).toHaveLength(1);
    expect(retry.alerts).toEqual([]);
    expect(await store.list('alerts/')).toHaveLength(1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Function: classifyAndAlert, an alert that keeps failing', () => {
  it('parks it under state/failed-alerts after the last attempt, so later batches go through', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-process-'));
    const store = new FsObjectStore(dir);
    const publisher = new RecordingPublisher().failNext(5);
    const deps = {
      store,
      publisher,
      clock,
      logger: silentLogger,
      rules: defaultRuleSet(),
      maxSendAttempts: 2,
    };
    const [first, , ...teasers] = seedItems();

    // Act
    await expect(classifyAndAlert(deps, [first as Item])).rejects.toThrow(/will be retried/);
    const parked = await classifyAndAlert(deps, teasers);
    const later = await classifyAndAlert(deps, teasers);

    // Assess
    expect(parked.alerts).toEqual([]);
    expect(later.alerts).toEqual([]);
    const keys = await store.list('state/failed-alerts/');
    expect(keys).toHaveLength(1);
    const record = JSON.parse((await store.get(keys[0] ?? ''))?.body ?? '{}');
    expect(record).toMatchObject({ attempts: 2, published: false });
    expect(record.lastError).toContain('sns publish throttled');
    const events = JSON.parse((await store.get('state/events.json'))?.body ?? '{}');
    expect(events.outbox).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('Function: classifyAndAlertItemsObject, an old items object', () => {
  it('classifies but does not alert on items older than the clusters remember', async () => {
    // Prepare: written on 29 November, processed 8 days later (a late dead-letter redrive).
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-process-'));
    const store = new FsObjectStore(dir);
    const publisher = new RecordingPublisher();
    const key = 'items/2024/11/29/180000000-abc.jsonl';
    await store.put(key, toItemLines(seedItems().slice(0, 1)));
    const late = { now: () => new Date('2024-12-07T18:00:00Z') };

    // Act
    const result = await classifyAndAlertItemsObject(
      { store, publisher, clock: late, logger: silentLogger, rules: defaultRuleSet() },
      key
    );

    // Assess
    expect(result.results[0]?.escalation).toBe(true);
    expect(result.alerts).toEqual([]);
    expect(publisher.sent).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });
});
