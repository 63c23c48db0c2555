/**
 * The poller worker Lambda, fed by SQS: each record names one shard of the feed list and the
 * scheduled tick (a ShardMessage from the scheduler). It reads the feed list from config/ in the
 * bucket, polls that shard's due feeds and stores their new items under items/ (which triggers the
 * classifier). A shard whose items or state could not be saved is returned as a batch item
 * failure, so SQS retries that shard alone; a bad body is logged and dropped, a tick older than
 * two ticks acknowledged with a warning (a newer tick covers it). Thin: it wires adapters to
 * pollShard and reports metrics; the logic lives in lambdas/pipeline and lambdas/core.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { HttpFeedFetcher } from '../adapters/http-feed-fetcher.ts';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/powertools.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { errorMessage } from '../core/common/errors.ts';
import type { FeedConfig } from '../core/common/types.ts';
import { DEFAULT_SCHEDULE_BOUNDS, type ScheduleBounds } from '../core/feeds/poll-schedule.ts';
import { feedsOfShard, parseShardMessage, type ShardMessage } from '../core/feeds/shards.ts';
import { ConfigCache, type LoadedConfig, loadLogged } from '../pipeline/config.ts';
import { type PollReport, pollShard } from '../pipeline/poll.ts';
import {
  DEFAULT_STALE_AFTER_FAILURES,
  type PollSummary,
  summarisePoll,
} from '../pipeline/poll-summary.ts';
import type { Clock, FeedFetcher, Logger, MetricsSink, ObjectStore } from '../ports.ts';
import { getIntEnv, getRequiredEnv } from '../shared/env.ts';
import { POLL_METRICS } from '../shared/metric-names.ts';

export interface PollerHandlerDeps {
  readonly store: ObjectStore;
  readonly fetcher: FeedFetcher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /**
   * Where the feed list comes from (cached by ETag across invocations): the last good list,
   * with the rejection, while config/feeds.json is broken.
   */
  readonly config: { feeds(): Promise<LoadedConfig<FeedConfig[]>> };
  /** Called with the Lambda context first thing (adds the request id to every log line). */
  readonly onInvocation?: (context: Context) => void;
  readonly concurrency?: number;
  /**
   * Failed polls in a row after which a feed counts as stale (StaleFeeds metric).
   * @default DEFAULT_STALE_AFTER_FAILURES
   */
  readonly staleAfterFailures?: number;
  /** The shortest and longest interval between two polls of a feed. @default 5 to 60 minutes */
  readonly schedule?: ScheduleBounds;
  /** Minutes between the scheduler's ticks: a message older than two ticks is not polled. @default 5 */
  readonly tickMinutes?: number;
}

/** What one invocation did: the SQS response, and the poll in figures (for the log and tests). */
export interface PollerBatchResult {
  readonly response: SQSBatchResponse;
  readonly summary: PollSummary;
  /** Records dropped: bodies that are no shard message, and ticks too old. */
  readonly dropped: number;
}

/**
 * The feed list to poll. A rejected config/feeds.json is logged with its problems and counted
 * (FeedsConfigRejected); the poll goes on with the last good list, or, when none is kept yet,
 * the invocation fails (the count is flushed first, so the alarm still sees it).
 */
const loadFeeds = (deps: PollerHandlerDeps): Promise<LoadedConfig<FeedConfig[]>> =>
  loadLogged(
    () => deps.config.feeds(),
    deps.logger,
    {
      going: 'polling the last good feed list',
      stopped: 'no last good feed list is kept yet: nothing is polled until it is fixed',
    },
    () => {
      deps.metrics.count(POLL_METRICS.feedsConfigRejected, 1);
      deps.metrics.flush();
    }
  );

/** The records' shards polled one after the other (each with bounded concurrency inside). */
export const pollShardRecords = async (
  deps: PollerHandlerDeps,
  event: SQSEvent
): Promise<PollerBatchResult> => {
  const tickMs = (deps.tickMinutes ?? DEFAULT_SCHEDULE_BOUNDS.minMinutes) * 60_000;
  const messages: Array<{ id: string; message: ShardMessage }> = [];
  let dropped = 0;
  for (const record of event.Records) {
    try {
      const message = parseShardMessage(record.body);
      const age = deps.clock.now().getTime() - Date.parse(message.tick);
      // A first delivery that waited two ticks in a backlog is covered by a newer tick; a
      // redelivery (a shard that failed) is polled again, and after the queue's last receive it
      // goes to the dead-letter queue, where an operator sees it.
      const redelivered = Number(record.attributes?.ApproximateReceiveCount ?? '1') > 1;
      if (age > 2 * tickMs && !redelivered) {
        deps.logger.warn(
          'shard message older than two ticks; acknowledged (a newer tick covers it)',
          {
            messageId: record.messageId,
            shard: `${message.count}-${message.index}`,
            tick: message.tick,
          }
        );
        dropped += 1;
      } else messages.push({ id: record.messageId, message });
    } catch (err) {
      deps.logger.error('shard message dropped: not a shard message', {
        messageId: record.messageId,
        reason: errorMessage(err),
      });
      dropped += 1;
    }
  }
  const feeds = messages.length > 0 ? await loadFeeds(deps) : undefined;
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const reports: PollReport[] = [];
  for (const { id, message } of messages) {
    const shard = { count: message.count, index: message.index };
    const report = await pollShard(
      {
        store: deps.store,
        fetcher: deps.fetcher,
        clock: deps.clock,
        logger: deps.logger,
        ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
        ...(deps.schedule ? { schedule: deps.schedule } : {}),
      },
      { ...shard, feeds: feedsOfShard(feeds?.value ?? [], shard) },
      { tick: new Date(message.tick) }
    );
    reports.push(report);
    if (!report.stored) {
      deps.logger.error('shard not saved; SQS retries it', {
        messageId: id,
        shard: `${shard.count}-${shard.index}`,
        error: report.failure,
      });
      failures.push({ itemIdentifier: id });
    }
  }
  const summary = summarisePoll(
    {
      feeds: reports.flatMap((r) => r.feeds),
      itemsKeys: reports.flatMap((r) => r.itemsKeys),
      notDue: reports.reduce((n, r) => n + r.notDue, 0),
    },
    deps.staleAfterFailures
  );
  deps.metrics.count(POLL_METRICS.feedsPolled, summary.feeds);
  deps.metrics.count(POLL_METRICS.feedErrors, summary.errors);
  deps.metrics.count(POLL_METRICS.itemsNew, summary.newItems);
  deps.metrics.count(POLL_METRICS.staleFeeds, summary.stale.length);
  deps.metrics.count(POLL_METRICS.feedsConfigRejected, feeds?.rejected ? 1 : 0);
  deps.metrics.count(POLL_METRICS.shardsFailed, failures.length);
  deps.metrics.flush();
  for (const url of summary.stale) deps.logger.warn('feed stale', { feed: url });
  deps.logger.info('poll done', {
    ...summary,
    itemsKeys: summary.itemsKeys.length,
    shards: messages.length,
    shardsFailed: failures.length,
    dropped,
  });
  return { response: { batchItemFailures: failures }, summary, dropped };
};

export const makeHandler =
  (deps: PollerHandlerDeps) =>
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) deps.onInvocation?.(context);
    return (await pollShardRecords(deps, event)).response;
  };

const s3 = new S3Client({});

export const defaultDeps = (): PollerHandlerDeps => {
  const store = new S3ObjectStore(s3, getRequiredEnv('BUCKET_NAME'));
  const logger = new PowertoolsLogger();
  return {
    store,
    // http(s) only: a feed list in the bucket must not be able to read the function's own files.
    fetcher: new HttpFeedFetcher(),
    clock: systemClock,
    logger: powertoolsLogger(logger),
    onInvocation: (context) => logger.addContext(context),
    metrics: powertoolsMetrics(new Metrics()),
    config: new ConfigCache(store, powertoolsLogger(logger)),
    concurrency: getIntEnv('POLL_CONCURRENCY', 16),
    staleAfterFailures: getIntEnv('STALE_AFTER_FAILURES', DEFAULT_STALE_AFTER_FAILURES),
    schedule: {
      minMinutes: getIntEnv('POLL_MIN_MINUTES', DEFAULT_SCHEDULE_BOUNDS.minMinutes),
      maxMinutes: getIntEnv('POLL_MAX_MINUTES', DEFAULT_SCHEDULE_BOUNDS.maxMinutes),
    },
    tickMinutes: getIntEnv('POLL_TICK_MINUTES', DEFAULT_SCHEDULE_BOUNDS.minMinutes),
  };
};

export const handler = makeHandler(defaultDeps());
