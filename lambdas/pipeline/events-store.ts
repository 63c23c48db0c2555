/**
 * Reading and writing the events state in its shards (events-shards.ts): each shard read (cached
 * by ETag, so a shard no other worker changed is not parsed again), salvaged when damaged, and
 * written with its own conditional write, retried on conflict. The state/events.json of earlier
 * builds is split into the shards on the first write and then marked as moved.
 */
import { PreconditionFailedError } from '../core/common/errors.ts';
import { type ClusterState, clusterMemoryHours } from '../core/events/index.ts';
import type { RuleSet } from '../core/rules/ruleset.ts';
import type { Clock, Logger, ObjectStore, StoredObject } from '../ports.ts';
import {
  type EventsDoc,
  emptyEventsDoc,
  eventsDocJson,
  readEventsDoc,
  restoreHint,
} from './events-doc.ts';
import { EVENT_SHARDS, mergedClusters, splitLegacy } from './events-shards.ts';
import { alertsDayPrefix, EVENTS_KEY, eventsShardKey } from './keys.ts';

export interface EventsStoreDeps {
  readonly store: ObjectStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: RuleSet;
}

/** What state/events.json holds once its content has moved to the shards. */
const MOVED = JSON.stringify({
  movedTo: 'state/events/',
  outbox: [],
  clusters: { version: 1, events: [] },
});

interface Cached {
  readonly etag: string;
  readonly doc: EventsDoc;
}

/**
 * The documents last read or written through each store, by key, with their ETag: the same ETag
 * means the same bytes. Documents are never mutated (every change builds a new one).
 */
const lastRead = new WeakMap<ObjectStore, Map<string, Cached>>();
const cacheOf = (store: ObjectStore): Map<string, Cached> => {
  let cache = lastRead.get(store);
  if (!cache) {
    cache = new Map();
    lastRead.set(store, cache);
  }
  return cache;
};

/** Per store, how many outbox sweeps of a single shard were made: which shard is next. */
const sweeps = new WeakMap<ObjectStore, number>();

/** Per store, the shards read at least once by this process. */
const seenShards = new WeakMap<ObjectStore, Set<string>>();
const seenOf = (store: ObjectStore): Set<string> => {
  let seen = seenShards.get(store);
  if (!seen) {
    seen = new Set();
    seenShards.set(store, seen);
  }
  return seen;
};

/**
 * Reads one document (undefined when there is none). A damaged one is salvaged rather than
 * refused: every outbox entry and event that can be read is kept, the log names what was lost,
 * and the damaged copy stays as the object's previous version.
 */
const readDoc = async (
  store: ObjectStore,
  key: string,
  logger?: Logger,
  fetched?: StoredObject
): Promise<Cached | undefined> => {
  const stored = fetched ?? (await store.get(key));
  if (!stored) return undefined;
  const cache = cacheOf(store);
  const known = cache.get(key);
  if (known?.etag === stored.etag) return known;
  const { doc, problems } = readEventsDoc(stored.body);
  if (problems.length > 0) {
    logger?.error(
      `${key} is damaged; going on with what could be read (${doc.outbox.length} unsent alerts, ${doc.clusters.events.length} events). Events left out are forgotten: a later report of one is alerted as new. To get them back, ${restoreHint(key)}`,
      { key, problems: problems.slice(0, 20), problemCount: problems.length }
    );
  }
  const read = { etag: stored.etag, doc };
  cache.set(key, read);
  return read;
};

/** Shards as read: each document with its ETag (none: the shard is to be created). */
export interface ShardsView {
  readonly docs: ReadonlyMap<string, EventsDoc>;
  readonly etags: ReadonlyMap<string, string>;
  /** Set while state/events.json still holds the state: its ETag, to mark it moved after. */
  readonly legacyEtag?: string;
}

const isMoved = (body: string): boolean => {
  try {
    return typeof (JSON.parse(body) as { movedTo?: unknown }).movedTo === 'string';
  } catch {
    return false;
  }
};

/**
 * Reads the given shards. A missing shard is read from state/events.json while that document
 * still holds the state (an earlier build's), else as empty: it is created, with every other
 * missing shard, on the next write (see commit).
 */
export const readShards = async (
  deps: { readonly store: ObjectStore; readonly logger?: Logger },
  shards: readonly string[] = EVENT_SHARDS
): Promise<ShardsView> => {
  const { store, logger } = deps;
  const found = await Promise.all(
    shards.map(async (s) => [s, await readDoc(store, eventsShardKey(s), logger)] as const)
  );
  const seen = seenOf(store);
  const docs = new Map<string, EventsDoc>();
  const etags = new Map<string, string>();
  for (const [shard, r] of found) {
    seen.add(shard);
    if (!r) continue;
    docs.set(shard, r.doc);
    etags.set(shard, r.etag);
  }
  if (docs.size === found.length) return { docs, etags };
  const legacy = await store.get(EVENTS_KEY);
  const moving = legacy !== undefined && !isMoved(legacy.body);
  const split = moving
    ? splitLegacy((await readDoc(store, EVENTS_KEY, logger, legacy))?.doc ?? emptyEventsDoc())
    : undefined;
  for (const shard of shards) {
    if (!docs.has(shard)) docs.set(shard, split?.get(shard) ?? emptyEventsDoc());
  }
  return moving && legacy ? { docs, etags, legacyEtag: legacy.etag } : { docs, etags };
};

/** The event clusters of every shard as stored now (empty when none are stored yet). */
export const readEventClusters = async (
  store: ObjectStore,
  logger?: Logger
): Promise<ClusterState> =>
  mergedClusters((await readShards({ store, ...(logger ? { logger } : {}) })).docs);

/**
 * Refuses to create a shard afresh while alerts/ holds alerts recorded within the clusters'
 * memory: the events state was there and is gone (deleted, or lost in a restore), and a fresh
 * shard would forget unsent alerts and which events were already alerted on. alerts/ is filed by
 * the day of each event's latest report, so an event whose reports are all dated earlier than
 * that escapes this check.
 */
const refuseFreshStartAfterSends = async (
  deps: EventsStoreDeps,
  missing: readonly string[]
): Promise<void> => {
  const { store } = deps;
  const now = deps.clock.now();
  const days = Math.ceil(clusterMemoryHours(deps.rules.grouping) / 24);
  const keys = missing.map(eventsShardKey);
  for (let day = 0; day <= days; day += 1) {
    const recorded = await store.list(alertsDayPrefix(new Date(now.getTime() - day * 86_400_000)));
    if (recorded.length === 0) continue;
    throw new Error(
      `${keys.join(', ')} ${keys.length > 1 ? 'are' : 'is'} missing, but alerts/ holds alerts sent in the last ${days} days (${recorded.at(-1)}): starting afresh would drop the alerts not sent yet and alert again on events already alerted on. To get ${keys.length > 1 ? 'them' : 'it'} back, ${restoreHint(keys[0] ?? '')}. To start afresh on purpose, upload ${eventsDocJson(emptyEventsDoc())} as ${keys.join(' and as ')}`
    );
  }
};

/**
 * Writes the changed shards, each with a conditional write on the ETag it was read with. When
 * shards were missing, all of them are created first (from state/events.json while it holds the
 * state, which is then marked as moved). Throws PreconditionFailedError on a conflict: the
 * caller reads again and retries; a shard written before the conflict stays written.
 */
const commit = async (
  deps: EventsStoreDeps,
  view: ShardsView,
  changed: ReadonlyMap<string, EventsDoc>
): Promise<void> => {
  const { store } = deps;
  let all = view;
  if (view.docs.size > view.etags.size && view.docs.size < EVENT_SHARDS.length) {
    // Shards are created all together: read the others first.
    const rest = await readShards(
      deps,
      EVENT_SHARDS.filter((s) => !view.docs.has(s))
    );
    const legacyEtag = view.legacyEtag ?? rest.legacyEtag;
    all = {
      docs: new Map([...view.docs, ...rest.docs]),
      etags: new Map([...view.etags, ...rest.etags]),
      ...(legacyEtag !== undefined ? { legacyEtag } : {}),
    };
  }
  const missing = [...all.docs.keys()].filter((s) => !all.etags.has(s));
  if (missing.length > 0 && all.legacyEtag === undefined) {
    await refuseFreshStartAfterSends(deps, missing);
  }
  const cache = cacheOf(store);
  const write = async (shard: string, doc: EventsDoc) => {
    const key = eventsShardKey(shard);
    const etag = all.etags.get(shard);
    const written = await store.put(key, eventsDocJson(doc), {
      contentType: 'application/json',
      ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' as const }),
    });
    cache.set(key, { etag: written.etag, doc });
  };
  for (const shard of missing) {
    await write(shard, changed.get(shard) ?? all.docs.get(shard) ?? emptyEventsDoc());
  }
  for (const [shard, doc] of changed) if (!missing.includes(shard)) await write(shard, doc);
  if (all.legacyEtag !== undefined) {
    await store
      .put(EVENTS_KEY, MOVED, { contentType: 'application/json', ifMatch: all.legacyEtag })
      .catch((err: unknown) => {
        if (!(err instanceof PreconditionFailedError)) throw err;
      });
  }
};

const MAX_ATTEMPTS = 8;

/**
 * Read-modify-write of some shards, retried when another worker wrote one of them in between.
 * `change` gets the shards as read and returns the changed ones (none: nothing to write).
 */
export const updateShards = async <T>(
  deps: EventsStoreDeps,
  shards: readonly string[],
  change: (view: ShardsView) => { changed?: ReadonlyMap<string, EventsDoc>; value: T }
): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    const view = await readShards(deps, shards);
    const { changed, value } = change(view);
    if (!changed || changed.size === 0) return value;
    try {
      await commit(deps, view, changed);
      return value;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
};

/** Read-modify-write of one shard's document (see updateShards). */
export const updateShard = <T>(
  deps: EventsStoreDeps,
  shard: string,
  change: (doc: EventsDoc) => { doc?: EventsDoc; value: T }
): Promise<T> =>
  updateShards(deps, [shard], (view) => {
    const { doc, value } = change(view.docs.get(shard) ?? emptyEventsDoc());
    return doc ? { changed: new Map([[shard, doc]]), value } : { value };
  });

/**
 * The shards whose outbox to send now: all of them in a process that has read none yet; else
 * those it last read with unsent alerts, and one more in turn, so an alert left in a shard no
 * report reaches again is still retried within a round of the shards. (A call with escalations
 * has just read every shard, so it sends whatever any shard holds.)
 */
export const shardsToSweep = (store: ObjectStore, now: Date): string[] => {
  const cache = cacheOf(store);
  // A process that has read no shard yet (a cold start) sweeps them all.
  if (seenOf(store).size === 0) return [...EVENT_SHARDS];
  const pending = EVENT_SHARDS.filter(
    (s) => (cache.get(eventsShardKey(s))?.doc.outbox.length ?? 0) > 0
  );
  const turn = sweeps.get(store) ?? Math.floor(now.getTime() / 60_000);
  sweeps.set(store, turn + 1);
  const next = EVENT_SHARDS[turn % EVENT_SHARDS.length] ?? EVENT_SHARDS[0];
  return next === undefined || pending.includes(next) ? pending : [...pending, next];
};
