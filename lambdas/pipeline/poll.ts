/**
 * The poll flow, over ports, one shard at a time: one read of the shard's state, the feeds due at
 * the tick fetched (conditionally) and parsed with bounded concurrency (poll-feed.ts), all their
 * unseen items written as ONE object under items/, and only then ONE conditional write of the
 * shard's state; a lost race is re-read, merged and retried. One feed's failure is recorded for
 * that feed only and never stops the others. A feed new to the shard takes its state from the
 * shard it was in before the shard count changed, or from the former per-feed layout.
 */
import pLimit from 'p-limit';
import { errorMessage, PreconditionFailedError } from '../core/common/errors.ts';
import { toItemLines } from '../core/common/item-lines.ts';
import { redactUrl } from '../core/common/links.ts';
import type { FeedConfig } from '../core/common/types.ts';
import { afterFailure, afterSuccess, afterUnchanged } from '../core/feeds/feed-state.ts';
import {
  checkScheduleBounds,
  DEFAULT_SCHEDULE_BOUNDS,
  type FeedSchedule,
  isDue,
  maxAgeOf,
  nextSchedule,
} from '../core/feeds/poll-schedule.ts';
import {
  encodeShardState,
  initialShardFeed,
  mergeShardStates,
  SHARD_MIN_SEEN,
  type ShardFeed,
  seenKey,
} from '../core/feeds/shard-state.ts';
import { type FeedShard, type ShardRef, shardFeeds, shardStateKey } from '../core/feeds/shards.ts';
import { shardItemsKey } from './keys.ts';
import {
  type FeedOutcome,
  type FeedReport,
  failedReport,
  type PollFeedsDeps,
  type PollReport,
  readFeedOnce,
} from './poll-feed.ts';
import { countingStore, formerFeedState, type LoadedShard, loadShard } from './shard-store.ts';

export {
  DEFAULT_PARSE_TIMEOUT_MS,
  type FeedReport,
  type PollFeedsDeps,
  type PollReport,
} from './poll-feed.ts';

/** Conditional writes of a shard's state retried after a lost race, by default. */
export const DEFAULT_STATE_RETRIES = 5;

export interface ShardReport extends PollReport {
  /** Which shard (its feeds are not repeated: their URLs may hold credentials). */
  readonly shard: ShardRef;
  /**
   * False when the shard's new items or its state could not be stored: the feeds concerned are
   * reported failed and left due, so a retry of the shard (SQS redelivery) polls them again.
   */
  readonly stored: boolean;
  /** Why `stored` is false. */
  readonly failure?: string;
  /** Store requests of this poll, for the bench and the cost model. */
  readonly requests: { readonly gets: number; readonly puts: number; readonly bytesPut: number };
}

const sameSchedule = (a: FeedSchedule, b: FeedSchedule): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/** A feed of the shard while it is polled. */
interface Slot {
  readonly configured: FeedConfig;
  /** As configured, the URL redacted: its key in the shard state, its items and reports. */
  readonly feed: FeedConfig;
  readonly before: ShardFeed;
  /** Taken from a previous shard or the former layout (worth writing even if not polled). */
  readonly migrated: boolean;
  outcome?: FeedOutcome;
  /** Why the feed was not polled: its state could not be read. */
  unreadable?: string;
}

/**
 * Polls one shard's due feeds (see the module comment). `tick` is the scheduled poll the due test
 * and the next poll times count from (the clock by default); times recorded come from the clock.
 * Items are marked seen only after they are stored, so a failed write loses nothing: the feeds
 * concerned keep their state and stay due. Credentials in a feed's URL go to the fetcher only.
 */
export const pollShard = async (
  deps: PollFeedsDeps,
  shard: FeedShard,
  options: { readonly tick?: Date } = {}
): Promise<ShardReport> => {
  const { store, clock, logger } = deps;
  const tick = options.tick ?? clock.now();
  const bounds = checkScheduleBounds(deps.schedule ?? DEFAULT_SCHEDULE_BOUNDS);
  const key = shardStateKey(shard);
  const { store: counted, requests } = countingStore(store);
  const redacted = shard.feeds.map((configured) => ({
    configured,
    feed: { ...configured, url: redactUrl(configured.url) },
  }));
  const ref: ShardRef = { count: shard.count, index: shard.index };
  const failAll = (message: string): ShardReport => ({
    shard: ref,
    feeds: redacted.map(({ feed }) => failedReport(feed, message, 1)),
    itemsKeys: [],
    notDue: 0,
    stored: false,
    failure: message,
    requests,
  });

  let loaded: LoadedShard;
  try {
    loaded = await loadShard(counted, key, logger);
  } catch (err) {
    const message = `cannot read the shard's state ${key}: ${errorMessage(err)}`;
    logger.error('shard state unreadable', { key, error: message });
    return failAll(message);
  }

  const migrate = formerFeedState(counted, shard, logger);

  const limit = pLimit(deps.concurrency ?? 16);
  const parseSlot = pLimit(deps.parseConcurrency ?? 2);
  const slots: Slot[] = await Promise.all(
    redacted.map(({ configured, feed }) =>
      limit(async (): Promise<Slot> => {
        const kept = loaded.feeds.get(feed.url);
        if (kept) return { configured, feed, before: kept, migrated: false };
        try {
          const found = await migrate(configured.url, feed.url);
          return {
            configured,
            feed,
            before: found ?? initialShardFeed(feed.url),
            migrated: !!found,
          };
        } catch (err) {
          const message = `cannot read the feed's former state: ${errorMessage(err)}`;
          logger.error('feed state unreadable', { feed: feed.url, error: message });
          return {
            configured,
            feed,
            before: initialShardFeed(feed.url),
            migrated: false,
            unreadable: message,
          };
        }
      })
    )
  );
  const dueOnly = deps.dueOnly ?? true;
  const polled = slots.filter(
    (s) => s.unreadable === undefined && (!dueOnly || isDue(s.before.schedule, tick))
  );
  await Promise.all(
    polled.map((slot) =>
      limit(async () => {
        slot.outcome = await readFeedOnce(
          deps,
          slot.configured,
          slot.feed,
          slot.before.state,
          seenKey,
          (work) => parseSlot(work)
        );
      })
    )
  );

  // The new items of every feed, in one object, before any state.
  const fresh = polled.flatMap((s) => (s.outcome?.kind === 'ok' ? s.outcome.fresh : []));
  let itemsKey: string | undefined;
  let itemsFailure: string | undefined;
  if (fresh.length > 0) {
    const body = toItemLines(fresh);
    const k = shardItemsKey(clock.now(), shard, body);
    try {
      await counted.put(k, body, { contentType: 'application/x-ndjson' });
      itemsKey = k;
    } catch (err) {
      itemsFailure = `could not store the new items (${k}): ${errorMessage(err)}`;
      logger.error('items write failed', { key: k, shard: key, error: errorMessage(err) });
    }
  }

  // Each polled feed's next state and schedule.
  const now = clock.now();
  const mine = new Map<string, ShardFeed>();
  const reports = new Map<Slot, FeedReport>();
  const base = (feed: FeedConfig) => ({ url: feed.url, ...(feed.name ? { name: feed.name } : {}) });
  for (const slot of slots) {
    const { before, feed, outcome } = slot;
    if (slot.unreadable !== undefined) {
      reports.set(slot, failedReport(feed, slot.unreadable, before.state.consecutiveFailures + 1));
      continue;
    }
    if (!outcome) {
      if (slot.migrated) mine.set(feed.url, before);
      continue;
    }
    const schedule = (input: Omit<Parameters<typeof nextSchedule>[1], 'tick' | 'now' | 'bounds'>) =>
      nextSchedule(before.schedule, { ...input, tick, now, bounds });
    let next: ShardFeed;
    if (
      outcome.kind === 'failed' ||
      (outcome.kind === 'ok' && outcome.fresh.length > 0 && itemsFailure)
    ) {
      const message = outcome.kind === 'failed' ? outcome.message : (itemsFailure as string);
      const state = afterFailure(before.state, message, now);
      next = {
        state,
        // A feed whose items could not be stored stays due: a retry of the shard polls it again.
        schedule:
          outcome.kind === 'failed'
            ? schedule({
                outcome: 'failed',
                consecutiveFailures: state.consecutiveFailures,
                ...(outcome.retryAfter ? { hints: { retryAfter: outcome.retryAfter } } : {}),
              })
            : before.schedule,
      };
      reports.set(slot, failedReport(feed, message, state.consecutiveFailures));
    } else {
      const maxAgeSeconds = maxAgeOf(outcome.headers?.cacheControl);
      const hints = {
        ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
        ...(outcome.headers?.retryAfter ? { retryAfter: outcome.headers.retryAfter } : {}),
      };
      if (outcome.kind === 'unchanged') {
        next = {
          state: afterUnchanged(before.state, now),
          schedule: schedule({ outcome: 'unchanged', consecutiveFailures: 0, hints }),
        };
        reports.set(slot, {
          ...base(feed),
          status: 'unchanged',
          items: 0,
          new: 0,
          warnings: [],
          bytes: 0,
          consecutiveFailures: 0,
        });
      } else {
        next = {
          state: afterSuccess(before.state, {
            validators: outcome.validators,
            items: outcome.items,
            now,
            maxSeen: SHARD_MIN_SEEN,
            key: seenKey,
          }),
          schedule: schedule({
            outcome: outcome.fresh.length > 0 ? 'changed' : 'unchanged',
            consecutiveFailures: 0,
            hints,
            published: outcome.items.map((item) => item.published),
            feed: {
              ...(outcome.ttlMinutes !== undefined ? { ttlMinutes: outcome.ttlMinutes } : {}),
              ...(outcome.skipHours ? { skipHours: outcome.skipHours } : {}),
            },
          }),
        };
        reports.set(slot, {
          ...base(feed),
          status: 'ok',
          items: outcome.items.length,
          new: outcome.fresh.length,
          warnings: outcome.warnings,
          bytes: outcome.bytes,
          consecutiveFailures: 0,
          ...(outcome.fresh.length > 0 && itemsKey ? { itemsKey } : {}),
        });
      }
    }
    if (
      slot.migrated ||
      next.state !== before.state ||
      !sameSchedule(next.schedule, before.schedule)
    ) {
      mine.set(feed.url, next);
    }
  }

  // One conditional write of the state, when anything worth writing changed; a lost race is
  // re-read and merged: the feeds polled here take their new values, the others keep theirs.
  let stateFailure: string | undefined;
  if (mine.size > 0) {
    const keep = new Set(redacted.map(({ feed }) => feed.url));
    let current = loaded;
    const retries = deps.stateRetries ?? DEFAULT_STATE_RETRIES;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await counted.put(
          key,
          encodeShardState(shard, mergeShardStates(current.feeds, mine, keep)),
          {
            contentType: 'application/json',
            ...(current.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' as const }),
          }
        );
        break;
      } catch (err) {
        if (err instanceof PreconditionFailedError && attempt < retries) {
          logger.info('shard state changed since it was read; merging and writing again', { key });
          try {
            current = await loadShard(counted, key, logger);
            continue;
          } catch (readErr) {
            stateFailure = `could not save the shard's state ${key}: ${errorMessage(readErr)}`;
            break;
          }
        }
        stateFailure = `could not save the shard's state ${key}: ${errorMessage(err)}`;
        break;
      }
    }
    if (stateFailure) logger.error('shard state write failed', { key, error: stateFailure });
  }

  const feeds = slots.flatMap((slot) => {
    const report = reports.get(slot);
    if (!report) return [];
    // The state was not saved: the poll's work is retried, so a polled feed counts as failed.
    return stateFailure && slot.outcome
      ? [failedReport(slot.feed, stateFailure, slot.before.state.consecutiveFailures + 1)]
      : [report];
  });
  const failure = [itemsFailure, stateFailure].filter(Boolean).join('; ');
  return {
    shard: ref,
    feeds,
    itemsKeys: itemsKey ? [itemsKey] : [],
    notDue: slots.length - polled.length - slots.filter((s) => s.unreadable !== undefined).length,
    stored: failure === '',
    ...(failure ? { failure } : {}),
    requests,
  };
};

/**
 * Polls a whole feed list in-process (the CLI): split into shards (shardFeeds), each polled by
 * pollShard in turn. Reports come in list order.
 */
export const pollFeeds = async (
  deps: PollFeedsDeps,
  feeds: readonly FeedConfig[],
  options: { readonly tick?: Date } = {}
): Promise<PollReport & { readonly shards: ShardReport[] }> => {
  const tick = options.tick ?? deps.clock.now();
  const shards: ShardReport[] = [];
  let done = 0;
  const total = feeds.length;
  for (const shard of shardFeeds(feeds, deps.perShard)) {
    const { onFeed: _progress, ...shardDeps } = deps;
    const report = await pollShard(shardDeps, shard, { tick });
    for (const feed of report.feeds) {
      done += 1;
      deps.onFeed?.(feed, done, total);
    }
    shards.push(report);
  }
  const order = new Map(feeds.map((feed, i) => [redactUrl(feed.url), i]));
  return {
    feeds: shards
      .flatMap((s) => s.feeds)
      .sort((a, b) => (order.get(a.url) ?? 0) - (order.get(b.url) ?? 0)),
    itemsKeys: shards.flatMap((s) => s.itemsKeys),
    notDue: shards.reduce((n, s) => n + s.notDue, 0),
    shards,
  };
};
