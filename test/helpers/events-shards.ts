import type { OutboxEntry } from '../../lambdas/pipeline/events-doc.ts';
import { EVENT_SHARDS } from '../../lambdas/pipeline/events-shards.ts';
import { eventsShardKey } from '../../lambdas/pipeline/keys.ts';
import type { ObjectStore } from '../../lambdas/ports.ts';

/** A shard of the events state as stored (state/events/<shard>.json). */
export interface StoredShard {
  readonly key: string;
  readonly doc: { outbox: OutboxEntry[]; clusters: { version: 1; events: Array<{ id: string }> } };
}

/** Every shard stored now, parsed (a shard that is missing or does not parse is left out). */
export const storedShards = async (store: ObjectStore): Promise<StoredShard[]> => {
  const shards: StoredShard[] = [];
  for (const shard of EVENT_SHARDS) {
    const key = eventsShardKey(shard);
    const body = (await store.get(key))?.body;
    if (body === undefined) continue;
    try {
      shards.push({ key, doc: JSON.parse(body) });
    } catch {
      // damaged on purpose by the test
    }
  }
  return shards;
};

/** The shard holding an event (the first one holding any, without an id). */
export const shardHolding = async (store: ObjectStore, eventId?: string): Promise<StoredShard> => {
  const found = (await storedShards(store)).find((s) =>
    s.doc.clusters.events.some((e) => eventId === undefined || e.id === eventId)
  );
  if (!found) throw new Error(`no shard holds ${eventId ?? 'an event'}`);
  return found;
};

/** The unsent alerts of every shard. */
export const allOutboxes = async (store: ObjectStore): Promise<OutboxEntry[]> =>
  (await storedShards(store)).flatMap((s) => s.doc.outbox);
