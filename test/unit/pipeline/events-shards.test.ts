import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import type { Item } from '../../../lambdas/core/common/types.ts';
import { classifyAndAlert } from '../../../lambdas/pipeline/classify-and-alert.ts';
import { eventsDocJson } from '../../../lambdas/pipeline/events-doc.ts';
import {
  EVENT_SHARDS,
  homeShard,
  splitLegacy,
  WORLD_SHARD,
} from '../../../lambdas/pipeline/events-shards.ts';
import { EVENTS_KEY, eventsShardKey } from '../../../lambdas/pipeline/keys.ts';
import type { ObjectStore, PutOptions } from '../../../lambdas/ports.ts';
import { allOutboxes, shardHolding, storedShards } from '../../helpers/events-shards.ts';
import { defaultRuleSet, seedItems } from '../../helpers/fixtures.ts';
import { RecordingPublisher } from '../../helpers/recording-publisher.ts';

const clock = { now: () => new Date('2024-11-29T18:00:00Z') };

/** A classifier's view of the bucket (one Lambda container): its own caches, the bucket's bytes. */
class Worker implements ObjectStore {
  readonly puts: Array<{ key: string; bytes: number }> = [];
  gets = 0;
  constructor(private readonly bucket: ObjectStore) {}
  get(key: string) {
    this.gets += 1;
    return this.bucket.get(key);
  }
  async put(key: string, body: string, options?: PutOptions) {
    const written = await this.bucket.put(key, body, options);
    this.puts.push({ key, bytes: Buffer.byteLength(body) });
    return written;
  }
  list(prefix: string) {
    return this.bucket.list(prefix);
  }
}

const places = [
  'Kharkiv, Ukraine',
  'Khartoum, Sudan',
  'Goma, Democratic Republic of the Congo',
  'Mogadishu, Somalia',
  'Kabul, Afghanistan',
  'Sanaa, Yemen',
  'Bamako, Mali',
  'Port-au-Prince, Haiti',
  'Lagos, Nigeria',
  'Yangon, Myanmar',
];

/** An escalation report of an air strike in `where`, by `outlet`. */
const strike = (where: string, outlet = 'wire-a', minute = 0): Item => ({
  id: `https://${outlet}.example/${where.replace(/\W+/g, '-')}`,
  title: `Air strike kills 12 civilians in ${where}`,
  summary: `An air strike on a market in ${where} killed 12 civilians and wounded 30, officials said.`,
  link: `https://${outlet}.example/${where.replace(/\W+/g, '-')}`,
  source: outlet,
  published: new Date(Date.parse('2024-11-29T17:00:00Z') + minute * 60_000).toISOString(),
});

const depsFor = (store: ObjectStore, publisher: RecordingPublisher, worker = 'w') => ({
  store,
  publisher,
  clock,
  logger: silentLogger,
  rules: defaultRuleSet(),
  worker,
});

describe('Layout: the events state in shards', () => {
  it('puts a new event in the shard of the first country its report names, world without one', () => {
    // Act
    const kharkiv = homeShard({ places: ['Kharkiv', 'Ukraine'], keyPlaces: ['Kharkiv'] });
    const ukraine = homeShard({ places: ['Ukraine'] });
    const nowhere = homeShard({ places: [] });

    // Assess
    expect(kharkiv).toBe(ukraine);
    expect(EVENT_SHARDS).toContain(kharkiv);
    expect(nowhere).toBe(WORLD_SHARD);
  });

  it('splits an earlier state/events.json by event, each unsent alert with its event', () => {
    // Prepare
    const event = (id: string, place: string) =>
      ({
        id,
        reports: [{ itemId: `${id}-1`, time: '2024-11-29T17:00:00Z', places: [place] }],
      }) as never;
    const alert = (eventId: string) => ({ alert: { id: `${eventId}:1`, eventId } }) as never;

    // Act
    const split = splitLegacy({
      clusters: { version: 1, events: [event('a', 'Ukraine'), event('b', 'Sudan')] },
      outbox: [alert('a'), alert('gone')],
    });

    // Assess
    const holding = (id: string) =>
      [...split].find(([, d]) => d.clusters.events.some((e) => e.id === id))?.[0];
    expect(holding('a')).toBe(homeShard({ places: ['Ukraine'] }));
    expect(holding('b')).toBe(homeShard({ places: ['Sudan'] }));
    expect(split.get(holding('a') ?? '')?.outbox.map((e) => e.alert.id)).toEqual(['a:1']);
    expect(split.get(WORLD_SHARD)?.outbox.map((e) => e.alert.id)).toEqual(['gone:1']);
    expect([...split.keys()]).toEqual(EVENT_SHARDS);
  });
});

describe('Function: classifyAndAlert, on the sharded events state', () => {
  it('writes only the shard of the event a report joins, however many events other shards hold', async () => {
    // Prepare: ten events in ten countries
    const worker = new Worker(new MemoryObjectStore());
    const publisher = new RecordingPublisher();
    await classifyAndAlert(
      depsFor(worker, publisher),
      places.map((p) => strike(p))
    );
    const total = (await storedShards(worker)).reduce(
      (sum, s) => sum + eventsDocJson(s.doc as never).length,
      0
    );
    worker.puts.length = 0;

    // Act: a second outlet reports the strike in Kharkiv
    await classifyAndAlert(depsFor(worker, publisher), [strike(places[0] ?? '', 'wire-b', 5)]);

    // Assess: one shard written (queued, claimed, removed), a small part of the state
    const stateWrites = worker.puts.filter((p) => p.key.startsWith('state/events/'));
    expect(new Set(stateWrites.map((p) => p.key)).size).toBe(1);
    expect(Math.max(...stateWrites.map((p) => p.bytes))).toBeLessThan(total / 3);
    expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(places.length);
  });

  it('moves an earlier state/events.json into the shards on the first write, losing nothing', async () => {
    // Prepare: the state an earlier build wrote: one event and its alert not sent yet
    const bucket = new MemoryObjectStore();
    const earlier = new RecordingPublisher().failNext(1);
    const [first, second] = seedItems() as [Item, Item];
    await expect(classifyAndAlert(depsFor(bucket, earlier), [first])).rejects.toThrow(
      /will be retried/
    );
    const [shard] = await storedShards(bucket);
    const held = await shardHolding(bucket);
    await bucket.put(EVENTS_KEY, eventsDocJson(held.doc as never));
    const wiped = new MemoryObjectStore();
    await wiped.put(EVENTS_KEY, (await bucket.get(EVENTS_KEY))?.body ?? '');
    const publisher = new RecordingPublisher();

    // Act: the second outlet's report of that event
    await classifyAndAlert(depsFor(new Worker(wiped), publisher), [second]);

    // Assess: the unsent alert went out, the event was remembered (no second 'new')
    expect(shard).toBeDefined();
    expect(publisher.sent[0]?.kind).toBe('new');
    expect(publisher.sent.filter((a) => a.kind === 'new')).toHaveLength(1);
    expect(new Set(publisher.sent.map((a) => a.eventId)).size).toBe(1);
    expect((await storedShards(wiped)).map((s) => s.key)).toEqual(EVENT_SHARDS.map(eventsShardKey));
    expect(JSON.parse((await wiped.get(EVENTS_KEY))?.body ?? '{}').movedTo).toBe('state/events/');
    expect(await allOutboxes(wiped)).toEqual([]);
  });

  it('finishes a move cut short: the shards not yet written are taken from state/events.json', async () => {
    // Prepare: an earlier build's state with events in several shards
    const bucket = new MemoryObjectStore();
    await classifyAndAlert(
      depsFor(bucket, new RecordingPublisher()),
      places.map((p) => strike(p))
    );
    const events = (await storedShards(bucket)).flatMap((s) => s.doc.clusters.events);
    const legacy = new MemoryObjectStore();
    await legacy.put(EVENTS_KEY, JSON.stringify({ outbox: [], clusters: { version: 1, events } }));
    // The move wrote the first two shards, then the process died
    const dying = new Worker(legacy);
    let writes = 0;
    dying.put = async (key: string, body: string, options?: PutOptions) => {
      writes += 1;
      if (writes > 2) throw new Error('process killed');
      return legacy.put(key, body, options);
    };
    await expect(
      classifyAndAlert(depsFor(dying, new RecordingPublisher()), [strike('Lyon, France')])
    ).rejects.toThrow(/process killed/);
    const publisher = new RecordingPublisher();

    // Act: another container, the same report again, and a later report of an old event
    await classifyAndAlert(depsFor(new Worker(legacy), publisher), [
      strike('Lyon, France'),
      strike(places[3] ?? '', 'wire-b', 5),
    ]);

    // Assess: every earlier event is there once, the later report joined its event
    const moved = (await storedShards(legacy)).flatMap((s) => s.doc.clusters.events);
    expect(moved.map((e) => e.id).sort()).toEqual(
      [...events.map((e) => e.id), publisher.sent[0]?.eventId].sort()
    );
    expect(publisher.sent.map((a) => a.kind)).toEqual(['new']);
  });

  it('sends one alert when two containers race on the first reports of one event', async () => {
    // Prepare
    const bucket = new MemoryObjectStore();
    const publisher = new RecordingPublisher();
    const [a, b] = seedItems() as [Item, Item];

    // Act
    await Promise.all([
      classifyAndAlert(depsFor(new Worker(bucket), publisher, 'a'), [a]),
      classifyAndAlert(depsFor(new Worker(bucket), publisher, 'b'), [b]),
    ]);

    // Assess
    expect(publisher.sent.filter((x) => x.kind === 'new')).toHaveLength(1);
    expect(new Set(publisher.sent.map((x) => x.eventId)).size).toBe(1);
    expect(new Set(publisher.sent.map((x) => x.id)).size).toBe(publisher.sent.length);
  });

  it('loses no event when containers race on reports of different shards', async () => {
    // Prepare: every shard created
    const bucket = new MemoryObjectStore();
    const publisher = new RecordingPublisher();
    await classifyAndAlert(depsFor(new Worker(bucket), publisher), [strike(places[0] ?? '')]);

    // Act
    await Promise.all(
      places
        .slice(1)
        .map((p, i) =>
          classifyAndAlert(depsFor(new Worker(bucket), publisher, `w${i}`), [strike(p)])
        )
    );

    // Assess
    const events = (await storedShards(bucket)).flatMap((s) => s.doc.clusters.events);
    expect(events).toHaveLength(places.length);
    expect(publisher.sent).toHaveLength(places.length);
    expect(new Set(publisher.sent.map((x) => x.id)).size).toBe(places.length);
  });

  it('retries an unsent alert even when no report reaches its shard again', async () => {
    // Prepare: a warm container that read every shard while they were empty of alerts
    const bucket = new MemoryObjectStore();
    const warm = new Worker(bucket);
    const publisher = new RecordingPublisher();
    await classifyAndAlert(depsFor(warm, publisher, 'warm'), [strike(places[0] ?? '')]);
    // another container decides an alert and fails to send it
    publisher.failNext(1);
    await expect(
      classifyAndAlert(depsFor(new Worker(bucket), publisher, 'failing'), [strike(places[1] ?? '')])
    ).rejects.toThrow(/will be retried/);
    const [, teaser] = seedItems().slice(2) as [Item, Item];

    // Act: the warm container gets only items that alert on nothing
    let calls = 0;
    while ((await allOutboxes(bucket)).length > 0 && calls < EVENT_SHARDS.length) {
      calls += 1;
      await classifyAndAlert(depsFor(warm, publisher, 'warm'), [teaser]);
    }

    // Assess: sent within a round of the shards, once, reading one shard a call
    expect(await allOutboxes(bucket)).toEqual([]);
    expect(publisher.sent.map((a) => a.kind)).toEqual(['new', 'new']);
    const before = warm.gets;
    await classifyAndAlert(depsFor(warm, publisher, 'warm'), [teaser]);
    expect(warm.gets - before).toBe(1);
  });

  it('retries an unsent alert of one shard when a report reaches another', async () => {
    // Prepare
    const bucket = new MemoryObjectStore();
    const publisher = new RecordingPublisher().failNext(1);
    await expect(
      classifyAndAlert(depsFor(new Worker(bucket), publisher), [strike(places[0] ?? '')])
    ).rejects.toThrow(/will be retried/);

    // Act
    const { alerts } = await classifyAndAlert(depsFor(new Worker(bucket), publisher), [
      strike(places[1] ?? ''),
    ]);

    // Assess
    expect(alerts.map((a) => a.headline)).toEqual([
      `Air strike kills 12 civilians in ${places[0]}`,
      `Air strike kills 12 civilians in ${places[1]}`,
    ]);
    expect(await allOutboxes(bucket)).toEqual([]);
  });
});
