/**
 * The events state in shards: state/events/<shard>.json, each a document of its own (clusters and
 * outbox, events-doc.ts) written with its own conditional write. An event lives in the shard of
 * the country its first report names (hashed into COUNTRY_SHARDS shards), or in `world` when that
 * report names no place; it stays there for life, and the alerts it raises wait in that shard's
 * outbox, so deciding an alert and queueing it stay one atomic write. Matching reads every shard
 * (a report may join an event of any shard: one naming no place, or one whose places spread to
 * other countries since it opened), but a decision writes only the shards of the events it
 * joined or opened. Pure.
 */
import { isCountry, placeKey } from '../core/common/places.ts';
import type { ClusterState } from '../core/events/index.ts';
import type { EventsDoc } from './events-doc.ts';

/** Shards the countries are hashed into (besides `world`). Changing it needs a new layout. */
export const COUNTRY_SHARDS = 8;

export const WORLD_SHARD = 'world';

/** Every shard, in the order their events are read. */
export const EVENT_SHARDS: readonly string[] = [
  WORLD_SHARD,
  ...Array.from({ length: COUNTRY_SHARDS }, (_, i) => `country-${i}`),
];

/** FNV-1a: a stable hash, the same in every build and process. */
const hash = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};

/** The places of an event's first report, as `homeShard` reads them. */
interface PlacesOf {
  readonly places: readonly string[];
  readonly keyPlaces?: readonly string[];
  readonly impliedPlaces?: readonly string[];
}

/**
 * The shard a new event goes to, from its first report: the first country it names (key places
 * first), else its first place, else `world`. Two first reports of one incident name the same
 * country, so racing classifiers that both open it write the same shard and one of them retries.
 */
export const homeShard = (report: PlacesOf | undefined): string => {
  if (!report) return WORLD_SHARD;
  const named = [...(report.keyPlaces ?? []), ...report.places, ...(report.impliedPlaces ?? [])];
  const where = named.find(isCountry) ?? named[0];
  return where === undefined ? WORLD_SHARD : `country-${hash(placeKey(where)) % COUNTRY_SHARDS}`;
};

/** The events of every shard as one cluster state, for matching. */
export const mergedClusters = (docs: ReadonlyMap<string, EventsDoc>): ClusterState => ({
  version: 1,
  events: EVENT_SHARDS.flatMap((shard) => docs.get(shard)?.clusters.events ?? []),
});

/** Which shard holds each event. */
export const shardOfEvents = (docs: ReadonlyMap<string, EventsDoc>): Map<string, string> => {
  const where = new Map<string, string>();
  for (const [shard, doc] of docs) for (const e of doc.clusters.events) where.set(e.id, shard);
  return where;
};

/**
 * The shards a decision changed, each with its new document: the shards of the events in
 * `touched` (joined or opened), with their events as in `next` (closed or dropped ones too) and
 * the alerts of their events added to their outbox. Other shards are not written: what `next`
 * changed in them (events closed by time) is applied again whenever they are read.
 */
export const changedShards = (
  docs: ReadonlyMap<string, EventsDoc>,
  next: ClusterState,
  touched: ReadonlySet<string>,
  alerts: ReadonlyArray<EventsDoc['outbox'][number]['alert']>
): Map<string, EventsDoc> => {
  const where = shardOfEvents(docs);
  const home = (event: ClusterState['events'][number]) =>
    where.get(event.id) ?? homeShard(event.reports[0]);
  const targets = new Set(next.events.filter((e) => touched.has(e.id)).map(home));
  const changed = new Map<string, EventsDoc>();
  for (const shard of targets) {
    const doc = docs.get(shard) ?? { clusters: { version: 1, events: [] }, outbox: [] };
    const events = next.events.filter((e) => home(e) === shard);
    const ids = new Set(events.map((e) => e.id));
    const queued = alerts.filter((a) => ids.has(a.eventId)).map((alert) => ({ alert }));
    changed.set(shard, {
      clusters: { version: 1, events },
      outbox: [...doc.outbox, ...queued],
    });
  }
  return changed;
};

/**
 * The state/events.json of earlier builds split into shards: each event to the shard of its
 * first report, each unsent alert to its event's shard (`world` when its event is gone).
 */
export const splitLegacy = (legacy: EventsDoc): Map<string, EventsDoc> => {
  const docs = new Map<string, EventsDoc>(
    EVENT_SHARDS.map((shard) => [shard, { clusters: { version: 1, events: [] }, outbox: [] }])
  );
  const where = new Map<string, string>();
  for (const event of legacy.clusters.events) {
    const first = [...event.reports].sort(
      (a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.itemId < b.itemId ? -1 : 1)
    )[0];
    const shard = homeShard(first);
    where.set(event.id, shard);
    docs.get(shard)?.clusters.events.push(event);
  }
  for (const entry of legacy.outbox) {
    docs.get(where.get(entry.alert.eventId) ?? WORLD_SHARD)?.outbox.push(entry);
  }
  return docs;
};
