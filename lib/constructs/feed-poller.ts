import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { occurrenceAlarm } from './alarms.ts';
import { type BucketAccess, grantBucketAccess } from './bucket-access.ts';
import { functionErrorsAlarm, NewsFunction } from './news-function.ts';

/**
 * The poller's part of the bucket: the feed list, each feed's state (state/feeds/<hash>.json) and
 * the last feed list that loaded, and new items. Never state/events.json, alerts/ or the rules.
 */
export const POLLER_ACCESS: BucketAccess = {
  read: ['config/feeds.json', 'state/feeds/*', 'state/last-good/feeds.json'],
  write: ['state/feeds/*', 'state/last-good/feeds.json', 'items/*'],
};

export interface FeedPollerProps {
  readonly bucket: IBucket;
  readonly entry: string;
  readonly depsLockFilePath: string;
  /** An EventBridge schedule expression. */
  readonly schedule: string;
  /** Minutes between polls: sizes the alarm periods. */
  readonly pollMinutes: number;
  readonly metricsNamespace: string;
  readonly serviceName: string;
  readonly metricNames: {
    readonly feedsPolled: string;
    readonly feedErrors: string;
    readonly staleFeeds: string;
    readonly feedsConfigRejected: string;
  };
  /**
   * @default - 30 seconds less than the poll interval, between 1 and 5 minutes: a poll where many
   * feeds hang (each up to the fetcher's timeout) still finishes before the next one is due
   */
  readonly timeout?: Duration;
  /**
   * Reserve one concurrent execution (polls never overlap). Accounts whose concurrency quota
   * is 10 cannot reserve any: set false there.
   * @default true
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * The scheduled poller: reads config/feeds.json, reads and writes its feeds' state, writes items/
 * (POLLER_ACCESS). Reserved concurrency 1, so two polls never overlap; a poll that could not
 * start is dropped (the next one catches up) rather than queued behind the running one.
 */
export class FeedPoller extends Construct {
  readonly function: NewsFunction;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: FeedPollerProps) {
    super(scope, id);
    if (props.pollMinutes < 1 || props.pollMinutes > 360) {
      throw new Error(`pollMinutes must be 1 to 360, got ${props.pollMinutes}`);
    }
    this.function = new NewsFunction(this, 'Poller', {
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      description: 'newsalert: polls the configured feeds and stores new items under items/',
      timeout:
        props.timeout ?? Duration.seconds(Math.min(300, Math.max(60, props.pollMinutes * 60 - 30))),
      memorySize: 512,
      ...(props.reserveConcurrency === false ? {} : { reservedConcurrentExecutions: 1 }),
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
    });
    const fn = this.function.fn;
    fn.addEnvironment('BUCKET_NAME', props.bucket.bucketName);
    // A feed is stale once it failed for an hour of polls.
    fn.addEnvironment(
      'STALE_AFTER_FAILURES',
      String(Math.max(1, Math.ceil(60 / props.pollMinutes)))
    );
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(props.pollMinutes) });
    grantBucketAccess(props.bucket, fn, POLLER_ACCESS);

    new Rule(this, 'Schedule', {
      description: 'newsalert: runs the feed poller',
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
    });

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
        'the poller function failed (bad or missing config/feeds.json, timeout, crash): read its log group',
        period
      ),
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
          'no poll completed in three periods: the schedule is disabled, or the function is throttled or crashing: read the poller log group',
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
    ];
  }
}
