/**
 * The scheduler Lambda: on each EventBridge schedule tick, reads the feed list from config/ in
 * the bucket, splits it into shards and sends one message per shard to the poll queue, where the
 * poller workers take them. Thin: it wires adapters to schedulePolls and reports metrics; the
 * logic lives in lambdas/pipeline and lambdas/core.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/powertools.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { SqsQueueSender } from '../adapters/sqs-sender.ts';
import { systemClock } from '../adapters/system-clock.ts';
import type { FeedConfig } from '../core/common/types.ts';
import { DEFAULT_FEEDS_PER_SHARD } from '../core/feeds/shards.ts';
import { ConfigCache, type LoadedConfig, loadLogged } from '../pipeline/config.ts';
import { type ScheduleReport, ShardSendError, schedulePolls } from '../pipeline/schedule.ts';
import type { Clock, Logger, MetricsSink, QueueSender } from '../ports.ts';
import { getIntEnv, getRequiredEnv } from '../shared/env.ts';
import { SCHEDULE_METRICS } from '../shared/metric-names.ts';

export interface SchedulerHandlerDeps {
  readonly sender: QueueSender;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /**
   * Where the feed list comes from (cached by ETag across invocations): the last good list,
   * with the rejection, while config/feeds.json is broken.
   */
  readonly config: { feeds(): Promise<LoadedConfig<FeedConfig[]>> };
  /** @default DEFAULT_FEEDS_PER_SHARD */
  readonly feedsPerShard?: number;
  /** Wait before resending what a batch did not take, in ms (doubled each time). @default 200 */
  readonly retryDelayMs?: number;
  /** Called with the Lambda context first thing (adds the request id to every log line). */
  readonly onInvocation?: (context: Context) => void;
}

/** What EventBridge hands a scheduled target: `time` is the tick, in ISO form. */
export interface ScheduleTick {
  readonly time?: string;
}

/** The tick's time: the event's, or the clock's when the event has none (a manual invoke). */
const tickOf = (event: ScheduleTick | undefined, clock: Clock): Date => {
  const time = event?.time ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : clock.now();
};

/**
 * The feed list to split. A rejected config/feeds.json is logged with its problems (the
 * workers, which read the same list, count it); the tick goes on with the last good list, or,
 * when none is kept yet, the invocation fails.
 */
const loadFeeds = async (deps: SchedulerHandlerDeps): Promise<FeedConfig[]> =>
  (
    await loadLogged(() => deps.config.feeds(), deps.logger, {
      going: 'scheduling the last good feed list',
      stopped: 'no last good feed list is kept yet: nothing is polled until it is fixed',
    })
  ).value;

/**
 * Sends every shard's message; when some could not be sent, the invocation fails after the
 * others went out (and after the metrics), so the errors alarm sees it.
 */
export const makeHandler =
  (deps: SchedulerHandlerDeps) =>
  async (event?: ScheduleTick, context?: Context): Promise<ScheduleReport> => {
    if (context) deps.onInvocation?.(context);
    const feeds = await loadFeeds(deps);
    const tick = tickOf(event, deps.clock);
    const report = await schedulePolls(
      {
        sender: deps.sender,
        logger: deps.logger,
        ...(deps.feedsPerShard ? { feedsPerShard: deps.feedsPerShard } : {}),
        ...(deps.retryDelayMs !== undefined ? { retryDelayMs: deps.retryDelayMs } : {}),
      },
      feeds,
      tick
    );
    deps.metrics.count(SCHEDULE_METRICS.shardsSent, report.sent);
    deps.metrics.count(SCHEDULE_METRICS.shardSendFailures, report.failed.length);
    deps.metrics.flush();
    deps.logger.info('polls scheduled', {
      tick: tick.toISOString(),
      feeds: report.feeds,
      shardCount: report.shardCount,
      sent: report.sent,
      failed: report.failed.length,
    });
    if (report.failed.length > 0) throw new ShardSendError(report.failed);
    return report;
  };

const s3 = new S3Client({});
const sqs = new SQSClient({});

export const defaultDeps = (): SchedulerHandlerDeps => {
  const store = new S3ObjectStore(s3, getRequiredEnv('BUCKET_NAME'));
  const logger = new PowertoolsLogger();
  return {
    sender: new SqsQueueSender(sqs, getRequiredEnv('POLL_QUEUE_URL')),
    clock: systemClock,
    logger: powertoolsLogger(logger),
    onInvocation: (context) => logger.addContext(context),
    metrics: powertoolsMetrics(new Metrics()),
    config: new ConfigCache(store, powertoolsLogger(logger)),
    feedsPerShard: getIntEnv('FEEDS_PER_SHARD', DEFAULT_FEEDS_PER_SHARD),
  };
};

export const handler = makeHandler(defaultDeps());
