/**
 * The schedule flow, over ports: the feed list split into shards (lambdas/core/feeds/shards.ts)
 * and one message per shard sent to the poll queue, where poller workers take them one at a
 * time. Messages go in batches of the queue's size; what a batch did not take is sent again a
 * few times; a shard that still fails never stops the others, and the report names it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../core/common/errors.ts';
import type { FeedConfig } from '../core/common/types.ts';
import {
  DEFAULT_FEEDS_PER_SHARD,
  encodeShardMessage,
  type ShardRef,
  shardCountFor,
  shardFeeds,
} from '../core/feeds/shards.ts';
import type { Logger, QueueMessage, QueueSender, QueueSendFailure } from '../ports.ts';

export interface SchedulePollsDeps {
  readonly sender: QueueSender;
  readonly logger: Logger;
  /** Feeds per shard aimed at. @default DEFAULT_FEEDS_PER_SHARD */
  readonly feedsPerShard?: number;
  /** Tries of one message: the first send and the resends of what a batch did not take. @default 3 */
  readonly attempts?: number;
  /** Wait before the first resend, doubled before each next one, in ms. @default 200 */
  readonly retryDelayMs?: number;
}

export interface ScheduleReport {
  readonly feeds: number;
  /** The shard count of the list (a power of two; empty shards are not sent). */
  readonly shardCount: number;
  /** Messages the queue took. */
  readonly sent: number;
  /** Shards whose message the queue did not take after every attempt, with the last reason. */
  readonly failed: ReadonlyArray<{ readonly shard: ShardRef; readonly reason: string }>;
}

/** Some shard messages could not be sent: those shards are not polled this tick. */
export class ShardSendError extends Error {
  constructor(readonly failed: ScheduleReport['failed']) {
    super(
      `${failed.length} shard message${failed.length === 1 ? '' : 's'} not sent (${failed
        .slice(0, 3)
        .map((f) => `${f.shard.count}-${f.shard.index}: ${f.reason}`)
        .join('; ')}): those shards are not polled this tick`
    );
    this.name = 'ShardSendError';
  }
}

/** A batch entry id: unique per shard, letters, digits, - and _ only (as SQS requires). */
const messageId = (shard: ShardRef): string => `shard-${shard.count}-${shard.index}`;

/**
 * Sends one batch, resending what the queue did not take; the messages still not taken after
 * `attempts` tries, each with its last reason. A request that fails whole fails all its messages.
 */
const sendWithRetries = async (
  deps: SchedulePollsDeps,
  batch: readonly QueueMessage[]
): Promise<QueueSendFailure[]> => {
  const attempts = deps.attempts ?? 3;
  let pending = batch;
  let failures: QueueSendFailure[] = [];
  for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt += 1) {
    if (attempt > 1) {
      deps.logger.warn('shard messages not taken; sending them again', {
        attempt,
        failures,
      });
      await sleep((deps.retryDelayMs ?? 200) * 2 ** (attempt - 2));
    }
    try {
      failures = await deps.sender.sendBatch(pending);
    } catch (err) {
      failures = pending.map((m) => ({ id: m.id, reason: errorMessage(err) }));
    }
    const failedIds = new Set(failures.map((f) => f.id));
    pending = pending.filter((m) => failedIds.has(m.id));
  }
  return failures;
};

/**
 * Sends one message per non-empty shard of `feeds` for the tick at `tick`; never throws for a
 * send that failed (the report has it), so every other shard is still sent.
 */
export const schedulePolls = async (
  deps: SchedulePollsDeps,
  feeds: readonly FeedConfig[],
  tick: Date
): Promise<ScheduleReport> => {
  const perShard = deps.feedsPerShard ?? DEFAULT_FEEDS_PER_SHARD;
  const shards = shardFeeds(feeds, perShard);
  const byId = new Map(shards.map((shard) => [messageId(shard), shard]));
  const messages = shards.map((shard) => ({
    id: messageId(shard),
    body: encodeShardMessage(shard, tick),
  }));
  const failed: Array<{ shard: ShardRef; reason: string }> = [];
  for (let start = 0; start < messages.length; start += deps.sender.maxBatchSize) {
    const batch = messages.slice(start, start + deps.sender.maxBatchSize);
    for (const failure of await sendWithRetries(deps, batch)) {
      const shard = byId.get(failure.id);
      if (shard)
        failed.push({ shard: { count: shard.count, index: shard.index }, reason: failure.reason });
    }
  }
  return {
    feeds: feeds.length,
    shardCount: shardCountFor(feeds.length, perShard),
    sent: messages.length - failed.length,
    failed,
  };
};
