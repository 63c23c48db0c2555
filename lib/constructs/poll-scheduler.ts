import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { occurrenceAlarm } from './alarms.ts';
import { type BucketAccess, grantBucketAccess } from './bucket-access.ts';
import { functionErrorsAlarm, NewsFunction } from './news-function.ts';

/**
 * The scheduler's part of the bucket: the feed list, and the last one that loaded (kept and read
 * as the poller does). Nothing else: it reads no state and writes no items.
 */
export const SCHEDULER_ACCESS: BucketAccess = {
  read: ['config/feeds.json', 'state/last-good/feeds.json'],
  write: ['state/last-good/feeds.json'],
};

export interface PollSchedulerProps {
  readonly bucket: IBucket;
  /** The poll queue the shard messages go to. */
  readonly queue: IQueue;
  readonly entry: string;
  readonly depsLockFilePath: string;
  /** An EventBridge schedule expression. */
  readonly schedule: string;
  /** Minutes between polls: sizes the alarms' look-back. */
  readonly pollMinutes: number;
  /** @default - the scheduler's own default (DEFAULT_FEEDS_PER_SHARD) */
  readonly feedsPerShard?: number;
  readonly metricsNamespace: string;
  readonly serviceName: string;
  readonly metricNames: { readonly shardSendFailures: string };
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
}

/**
 * The schedule rule and the scheduler function: on each tick it reads config/feeds.json
 * (SCHEDULER_ACCESS), splits it into shards and sends one message per shard to the poll queue.
 * Not retried (neither by EventBridge nor by Lambda): a retry would send every shard again, and
 * the next tick comes soon; a failure shows in its errors alarm.
 */
export class PollScheduler extends Construct {
  readonly function: NewsFunction;
  readonly rule: Rule;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: PollSchedulerProps) {
    super(scope, id);
    if (
      props.feedsPerShard !== undefined &&
      (!Number.isInteger(props.feedsPerShard) || props.feedsPerShard < 1)
    ) {
      throw new Error(`feedsPerShard must be a positive whole number, got ${props.feedsPerShard}`);
    }
    this.function = new NewsFunction(this, 'Scheduler', {
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      description: 'newsalert: splits the feed list into shards and queues one poll per shard',
      timeout: props.timeout ?? Duration.seconds(60),
      memorySize: 256,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
    });
    const fn = this.function.fn;
    fn.addEnvironment('BUCKET_NAME', props.bucket.bucketName);
    fn.addEnvironment('POLL_QUEUE_URL', props.queue.queueUrl);
    if (props.feedsPerShard !== undefined) {
      fn.addEnvironment('FEEDS_PER_SHARD', String(props.feedsPerShard));
    }
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(props.pollMinutes) });
    grantBucketAccess(props.bucket, fn, SCHEDULER_ACCESS);
    props.queue.grantSendMessages(fn);

    this.rule = new Rule(this, 'Rule', {
      description: 'newsalert: runs the poll scheduler',
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
    });

    this.alarms = [
      functionErrorsAlarm(
        this,
        this.function,
        'the poll scheduler failed (config/feeds.json missing or invalid with no last good list, or shard messages not sent): no or not every shard was polled this tick; read its log group',
        Duration.minutes(Math.max(5, props.pollMinutes))
      ),
      occurrenceAlarm(this, 'ShardSendFailuresAlarm', {
        namespace: props.metricsNamespace,
        metricName: props.metricNames.shardSendFailures,
        serviceName: props.serviceName,
        pollMinutes: props.pollMinutes,
        description:
          'shard messages could not be sent to the poll queue after retries: those shards were not polled this tick; the scheduler log names them and the SQS error',
      }),
    ];
  }
}
