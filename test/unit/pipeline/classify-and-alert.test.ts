import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRules } from '../../../cli/yaml/rules.ts';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { toItemLines } from '../../../lambdas/core/common/item-lines.ts';
import type { Item } from '../../../lambdas/core/common/types.ts';
import {
  classifyAndAlert,
  classifyAndAlertItemsObject,
} from '../../../lambdas/pipeline/classify-and-alert.ts';
import { alertKey, EVENTS_KEY, eventsShardKey } from '../../../lambdas/pipeline/keys.ts';
import { allOutboxes, shardHolding } from '../../helpers/events-shards.ts';
import { FaultyStore } from '../../helpers/faulty-store.ts';
import { defaultRuleSet, projectPath, seedItems } from '../../helpers/fixtures.ts';
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
    // The gazetteer's countries of its places, for subscribers' watchlists.
    for (const alert of alerts) expect(alert.countries).toContain('Syria');
  });

  it('groups with the active rules: their grouping.maxAgeHours makes a 4-hour-old report old news', async () => {
    // Prepare: the Worthy News report was published at 14:00, the clock says 18:00
    const strict = loadRules(
      `${readFileSync(projectPath('config/rules.yaml'), 'utf8')}\ngrouping:\n  maxAgeHours: 2\n`,
      'rules.yaml'
    );
    const [worthy] = seedItems() as [Item];

    // Act
    const result = await classifyAndAlert({ ...deps(), rules: strict }, [worthy]);

    // Assess
    expect(result.results[0]?.escalation).toBe(true);
    expect(result.tooOld).toBe(1);
    expect(result.alerts).toEqual([]);
    expect(publisher.sent).toEqual([]);
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

describe('Function: classifyAndAlert, a damaged or missing shard of the events state', () => {
  let dir: string;
  let store: FaultyStore;
  let publisher: RecordingPublisher;
  let errors: string[];
  const deps = () => ({
    store,
    publisher,
    clock,
    logger: { ...silentLogger, error: (message: string) => errors.push(message) },
    rules: defaultRuleSet(),
  });
  const [first, second, ...teasers] = seedItems() as [Item, Item, ...Item[]];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-state-'));
    store = new FaultyStore(new FsObjectStore(dir));
    publisher = new RecordingPublisher();
    errors = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** The first report decided and its alert left unsent in the outbox (SNS refused it). */
  const leaveAlertUnsent = async () => {
    publisher.failNext(1);
    await expect(classifyAndAlert(deps(), [first])).rejects.toThrow(/will be retried/);
    const { key, doc } = await shardHolding(store);
    expect(doc.outbox).toHaveLength(1);
    expect(doc.clusters.events).toHaveLength(1);
    errors.length = 0;
    shardKey = key;
    return doc as { outbox: unknown[]; clusters: { version: 1; events: unknown[] } };
  };
  let shardKey = '';

  it.each([
    [
      'an event it cannot use',
      (doc: Awaited<ReturnType<typeof leaveAlertUnsent>>) =>
        JSON.stringify({
          ...doc,
          clusters: { ...doc.clusters, events: [...doc.clusters.events, { id: 5 }] },
        }),
    ],
    [
      'text that is not JSON',
      (doc: Awaited<ReturnType<typeof leaveAlertUnsent>>) =>
        JSON.stringify({
          ...doc,
          clusters: { ...doc.clusters, events: [...doc.clusters.events, 'JUNK'] },
        }).replace('"JUNK"', '{"id": 5, oops]}'),
    ],
  ])(
    'sends the unsent alert of a document with %s, and keeps the events that read',
    async (_, damage) => {
      // Prepare
      const damaged = damage(await leaveAlertUnsent());
      await store.put(shardKey, damaged);

      // Act: the second outlet reports the same event
      await classifyAndAlert(deps(), [second, ...teasers]);

      // Assess: the unsent alert went out; the event was remembered, so no second 'new'
      expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(1);
      expect(new Set(publisher.sent.map((a) => a.id)).size).toBe(publisher.sent.length);
      expect(await store.list('alerts/')).toHaveLength(publisher.sent.length);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^state\/events\/[a-z0-9-]+\.json is damaged; going on with what could be read \(1 unsent alerts, 1 events\)/
      );
      expect(errors[0]).toContain(
        `restore its previous version (in AWS: aws s3api list-object-versions --bucket $BUCKET --prefix ${shardKey}`
      );
      const rewritten = JSON.parse((await store.get(shardKey))?.body ?? '{}');
      expect(rewritten.outbox).toEqual([]);
      expect(rewritten.clusters.events).toHaveLength(1);
    }
  );

  it('sends the unsent alert of a document cut short in its events', async () => {
    // Prepare
    const text = JSON.stringify(await leaveAlertUnsent());
    await store.put(shardKey, text.slice(0, text.indexOf('"reports"') + 20));

    // Act
    const { alerts } = await classifyAndAlert(deps(), teasers);

    // Assess
    expect(alerts.map((a) => a.kind)).toEqual(['new']);
    expect(publisher.sent).toEqual(alerts);
    expect(errors[0]).toMatch(
      /damaged; going on with what could be read \(1 unsent alerts, 0 events\)/
    );
  });

  it('refuses to start a shard afresh when it is gone but alerts/ shows recent sends', async () => {
    // Prepare
    await classifyAndAlert(deps(), [first]);
    const { key } = await shardHolding(store);
    await rm(join(dir, key));

    // Act
    const result = classifyAndAlert(deps(), [second]);

    // Assess
    await expect(result).rejects.toThrow(
      new RegExp(
        `^${key} is missing, but alerts/ holds alerts sent in the last 7 days \\(alerts/2024/11/\\d\\d/evt-[0-9a-f]+_1\\.json\\): .* To get it back, restore its previous version \\(in AWS: aws s3api list-object-versions --bucket \\$BUCKET --prefix ${key}, then aws s3api get-object --bucket \\$BUCKET --key ${key} --version-id <VersionId> restored\\.json`
      )
    );
    expect(publisher.sent.map((a) => a.kind)).toEqual(['new']);
    expect(await store.get(key)).toBeUndefined();
  });

  it('starts afresh when told to, with the empty document the error names', async () => {
    // Prepare
    await classifyAndAlert(deps(), [first]);
    const { key } = await shardHolding(store);
    await rm(join(dir, key));
    const message = await classifyAndAlert(deps(), [second]).catch((err: Error) => err.message);
    const [, empty = '', named] = /upload (\{.*\}) as (\S+)$/.exec(String(message)) ?? [];
    expect(named).toBe(key);
    await store.put(key, empty);

    // Act
    const { alerts } = await classifyAndAlert(deps(), [second]);

    // Assess: chosen knowingly; the event is new to the fresh memory
    expect(alerts.map((a) => a.kind)).toEqual(['new']);
    expect(errors).toEqual([]);
  });

  it('starts afresh when the only alerts recorded are older than the clusters remember', async () => {
    // Prepare
    await store.put(alertKey('evt-old:1', new Date('2024-11-21T12:00:00Z')), '{}');

    // Act
    const { alerts } = await classifyAndAlert(deps(), [first]);

    // Assess
    expect(alerts.map((a) => a.kind)).toEqual(['new']);
  });

  it('lists nothing while there is nothing to write', async () => {
    // Act
    await classifyAndAlert(deps(), teasers);

    // Assess
    expect(store.calls.list).toBe(0);
    // A cold start sweeps every shard's outbox (9 reads, and state/events.json as none exists)
    expect(store.calls.get).toBe(10);
    await classifyAndAlert(deps(), teasers);
    expect(store.calls.get).toBe(12); // then one shard in turn (and state/events.json)
    expect(await store.get(eventsShardKey('world'))).toBeUndefined();
    expect(await store.get(EVENTS_KEY)).toBeUndefined();
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
    expect(await allOutboxes(store)).toEqual([]);
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

  it('judges old news by when the poller stored the items, not by when a retry processes them', async () => {
    // Prepare: stored at 14:05 on 29 November, minutes after publication, processed a day later
    // (a batch retried, or redriven from the dead-letter queue within the clusters' memory)
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-process-'));
    const store = new FsObjectStore(dir);
    const publisher = new RecordingPublisher();
    const key = 'items/2024/11/29/140500000-abc.jsonl';
    await store.put(key, toItemLines(seedItems().slice(0, 1)));
    const dayLater = { now: () => new Date('2024-11-30T14:05:00Z') };

    // Act
    const result = await classifyAndAlertItemsObject(
      { store, publisher, clock: dayLater, logger: silentLogger, rules: defaultRuleSet() },
      key
    );

    // Assess
    expect(result.tooOld).toBe(0);
    expect(result.alerts.map((a) => a.kind)).toEqual(['new']);
    await rm(dir, { recursive: true, force: true });
  });
});
