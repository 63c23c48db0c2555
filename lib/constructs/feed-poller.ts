import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { occurrenceAlarm } from './alarms.ts';
import { type BucketAccess, grantBucketAccess } from './bucket-access.ts';
import { functionErrorsAlarm, NewsFunction } from './news-function.ts';
import { deadLetterAlarm, secureQueue } from './queues.ts';

/**
 * The poller worker's part of the bucket: the feed list and the last one that loaded, its
 * shards' state (state/shards/<count>-<index>.json), the per-feed state of before the shards
 * (state/feeds/<hash>.json, read once to carry a feed's state over), and new items. Never
 * state/events.json, alerts/ or the rules.
 */
export const POLLER_ACCESS: BucketAccess = {
  read: ['config/feeds.json', 'state/shards/*', 'state/feeds/*', 'state/last-good/feeds.json'],
  write: ['state/shards/*', 'state/last-good/feeds.json', 'items/*'],
};

/** The worker's memory, and the heap Node may grow to within it (the rest: buffers, code). */
export const WORKER_MEMORY_MB = 256;
export const WORKER_HEAP_MB = 192;

export interface FeedPollerProps {
  readonly bucket: IBucket;
  readonly entry: string;
  readonly depsLockFilePath: string;
  /** Minutes between polls: sizes the worker's timeout and the alarm periods. */
  readonly pollMinutes: number;
  readonly metricsNamespace: string;
  readonly serviceName: string;
  readonly metricNames: {
    readonly feedsPolled: string;
    readonly feedErrors: string;
    readonly staleFeeds: string;
    readonly feedsConfigRejected: string;
    readonly shardsFailed: string;
  };
  /**
   * @default - 30 seconds less than the poll interval, between 1 and 5 minutes: a shard where
   * many feeds hang (each up to the fetcher's timeout) still finishes before the next one is due
   */
  readonly timeout?: Duration;
  /** Workers running at once at most (2 to 1000). @default 10 */
  readonly maxConcurrency?: number;
  /** Deliveries of a shard message before it moves to the dead-letter queue. @default 3 */
  readonly maxReceiveCount?: number;
}

/**
 * The poll queue and its workers: each message names one shard of the feed list (sent by the
 * PollScheduler); a worker takes one message at a time, polls that shard's feeds, reads and
 * writes the shard's state and writes items/ (POLLER_ACCESS). A shard that fails is reported as
 * a batch item failure and delivered again alone, after the visibility timeout (twice the
 * worker's timeout); after `maxReceiveCount` deliveries it moves to the dead-letter queue.
 * Workers may overlap (a slow shard, a redelivery): each shard's state is written conditionally.
 */
export class FeedPoller extends Construct {
  readonly function: NewsFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: FeedPollerProps) {
    super(scope, id);
    if (props.pollMinutes < 1 || props.pollMinutes > 360) {
      throw new Error(`pollMinutes must be 1 to 360, got ${props.pollMinutes}`);
    }
    const maxConcurrency = props.maxConcurrency ?? 10;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(
        `maxConcurrency must be a whole number from 2 to 1000, got ${maxConcurrency}`
      );
    }
    const maxReceiveCount = props.maxReceiveCount ?? 3;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
      throw new Error(`maxReceiveCount must be a positive whole number, got ${maxReceiveCount}`);
    }
    const timeout =
      props.timeout ?? Duration.seconds(Math.min(300, Math.max(60, props.pollMinutes * 60 - 30)));

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    this.queue = secureQueue(this, 'Queue', {
      // Above the worker's timeout, so a running shard is never handed to a second worker; a
      // failed shard comes back after it. (Overlap is harmless: the state writes are conditional.)
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 2),
      // A shard message is worth something for a few polls; the dead-letter queue keeps the
      // ones that failed for 14 days from when they were sent.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    this.function = new NewsFunction(this, 'Poller', {
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      description: 'newsalert: polls the feeds of one shard and stores new items under items/',
      timeout,
      // Fetching is waiting on the network, billed by the GB-second; parses are bounded
      // (core/feeds/bound-feed-xml.ts) and at most two run at once.
      memorySize: WORKER_MEMORY_MB,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
    });
    const fn = this.function.fn;
    fn.addEnvironment('BUCKET_NAME', props.bucket.bucketName);
    // Collect before the heap outgrows the function's memory (the poll bench runs the same way).
    fn.addEnvironment('NODE_OPTIONS', `--max-old-space-size=${WORKER_HEAP_MB}`);
    // The adaptive schedule (core/feeds/poll-schedule.ts) polls a feed at most once a tick.
    fn.addEnvironment('POLL_TICK_MINUTES', String(props.pollMinutes));
    fn.addEnvironment('POLL_MIN_MINUTES', String(props.pollMinutes));
    fn.addEnvironment('POLL_MAX_MINUTES', String(Math.max(60, props.pollMinutes)));
    // A feed is stale once it failed for an hour of polls.
    fn.addEnvironment(
      'STALE_AFTER_FAILURES',
      String(Math.max(1, Math.ceil(60 / props.pollMinutes)))
    );
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        // One shard per invocation: a failing or slow shard holds up no other.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency,
      })
    );
    grantBucketAccess(props.bucket, fn, POLLER_ACCESS);

    const period = Duration.minutes(Math.max(5, props.pollMinutes));
    const metric = (metricName: string) =>
      new Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: props.serviceName },
        statistic: 'Sum',
        period,
      });
    this.alarms = [
      functionErrorsAlarm(
        this,
        this.function,
        'a poller worker failed as a whole (timeout, crash, bad config/feeds.json); its shard is delivered again: read its log group',
        period
      ),
      deadLetterAlarm(this, this.deadLetterQueue, {
        description:
          'a shard failed every delivery and waits in the poll dead-letter queue: its feeds were not polled for that tick; read the poller log, fix the cause, then redrive the queue (README, "Dead-letter queues") or purge it (a later tick polls the shard anyway)',
        period,
      }),
      new Alarm(this, 'BacklogAlarm', {
        alarmDescription:
          'the oldest shard message waited over two poll periods: the workers do not keep up (raise pollerMaxConcurrency or feedsPerShard) or are throttled; feeds are polled late',
        metric: this.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: 2 * props.pollMinutes * 60,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'FeedFailuresAlarm', {
        alarmDescription:
          'more than half of the feeds failed in three polls running: check the network, the feed URLs and the poller log',
        metric: new MathExpression({
          expression: 'errors / MAX([polled, 1])',
          usingMetrics: {
            errors: metric(props.metricNames.feedErrors),
            polled: metric(props.metricNames.feedsPolled),
          },
          period,
          label: 'share of feeds failing',
        }),
        threshold: 0.5,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'StaleFeedsAlarm', {
        alarmDescription:
          'a feed has failed every poll for an hour or more: search the poller log for "feed stale" and "feed failed" with its URL, then fix or remove it in config/feeds.json',
        metric: metric(props.metricNames.staleFeeds).with({ statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'StalledAlarm', {
        alarmDescription:
          'no poll completed in three periods: the schedule is disabled, the scheduler fails, or the workers are throttled or crashing: read the scheduler and poller log groups',
        metric: metric(props.metricNames.feedsPolled).with({ statistic: 'SampleCount' }),
        threshold: 1,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
      occurrenceAlarm(this, 'FeedsConfigRejectedAlarm', {
        namespace: props.metricsNamespace,
        metricName: props.metricNames.feedsConfigRejected,
        serviceName: props.serviceName,
        pollMinutes: props.pollMinutes,
        description:
          'config/feeds.json is missing or invalid: polls go on with the last feed list that loaded; the poller log names the problem; fix the file and upload it again (or deploy: the deploy validates config/feeds.yaml)',
      }),
      occurrenceAlarm(this, 'ShardsFailedAlarm', {
        namespace: props.metricsNamespace,
        metricName: props.metricNames.shardsFailed,
        serviceName: props.serviceName,
        pollMinutes: props.pollMinutes,
        description:
          "a shard's state or items could not be read or saved: its feeds stay due and the shard is delivered again; search the poller log for 'shard not saved', 'shard state unreadable' or 'shard state write failed' (the bucket's permissions, a damaged state/shards/ object)",
      }),
    ];
  }
}
