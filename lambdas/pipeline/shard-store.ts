/**
 * A shard's state in the store: read (a corrupt one replaced), the state a feed new to the shard
 * had before (the shard of the count before, then the former per-feed layout), and the store
 * counted, so a poll reports its requests (the bench and the cost model read them).
 */
import { errorMessage } from '../core/common/errors.ts';
import { reviveFeedState, stateKey } from '../core/feeds/feed-state.ts';
import {
  reviveShardState,
  type ShardFeed,
  shardFeedFromLegacy,
} from '../core/feeds/shard-state.ts';
import { previousShardsOf, type ShardRef, shardStateKey } from '../core/feeds/shards.ts';
import type { Logger, ObjectStore } from '../ports.ts';

export interface StoreRequests {
  gets: number;
  puts: number;
  bytesPut: number;
}

/** The store with its GETs, PUTs and bytes put counted in `requests`. */
export const countingStore = (
  store: ObjectStore
): { readonly store: ObjectStore; readonly requests: StoreRequests } => {
  const requests: StoreRequests = { gets: 0, puts: 0, bytesPut: 0 };
  return {
    requests,
    store: {
      get: (key) => {
        requests.gets += 1;
        return store.get(key);
      },
      put: (key, body, options) => {
        requests.puts += 1;
        requests.bytesPut += Buffer.byteLength(body);
        return store.put(key, body, options);
      },
      list: (prefix) => store.list(prefix),
    },
  };
};

export interface LoadedShard {
  readonly feeds: Map<string, ShardFeed>;
  readonly etag?: string;
}

/** A shard's stored state; a corrupt one is replaced (its feeds are then read in full again). */
export const loadShard = async (
  store: ObjectStore,
  key: string,
  logger: Logger
): Promise<LoadedShard> => {
  const stored = await store.get(key);
  if (!stored) return { feeds: new Map() };
  try {
    return { feeds: reviveShardState(JSON.parse(stored.body)), etag: stored.etag };
  } catch (err) {
    logger.warn("shard state is not valid JSON; starting the shard's feeds afresh", {
      key,
      error: errorMessage(err),
    });
    return { feeds: new Map(), etag: stored.etag };
  }
};

/**
 * For feeds new to `shard`: their state from the shards of the count before, then from the
 * former per-feed layout, each object read at most once (per returned function).
 */
export const formerFeedState = (store: ObjectStore, shard: ShardRef, logger: Logger) => {
  const reads = new Map<string, Promise<Map<string, ShardFeed> | undefined>>();
  const readShard = (key: string) => {
    let read = reads.get(key);
    if (!read) {
      read = loadShard(store, key, logger).then((l) =>
        l.etag === undefined ? undefined : l.feeds
      );
      reads.set(key, read);
    }
    return read;
  };
  /** `configuredUrl` places the feed; `url` (redacted) is its key in the states. */
  return async (configuredUrl: string, url: string): Promise<ShardFeed | undefined> => {
    for (const previous of previousShardsOf(configuredUrl, shard)) {
      const found = (await readShard(shardStateKey(previous)))?.get(url);
      if (found) return found;
    }
    const legacy = await store.get(stateKey(url));
    if (!legacy) return undefined;
    try {
      return shardFeedFromLegacy(reviveFeedState(JSON.parse(legacy.body), url));
    } catch (err) {
      logger.warn('feed state is not valid JSON; starting the feed afresh', {
        feed: url,
        key: stateKey(url),
        error: errorMessage(err),
      });
      return undefined;
    }
  };
};
