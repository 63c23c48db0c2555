import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { occurrenceAlarm } from './alarms.ts';
import { type BucketAccess, grantBucketAccess } from './bucket-access.ts';
import { functionErrorsAlarm, NewsFunction } from './news-function.ts';
import { deadLetterAlarm, secureQueue } from './queues.ts';

/**
 * The classifier's part of the bucket: the items and the rules it reads, the events state with its
 * outboxes (the shards under state/events/, and state/events.json that earlier builds wrote, read
 * once to split it), the analysts' mutes (read only), parked alerts, the last rules that loaded,
 * the record of sent alerts and the HTML report (reports/, write only). Never the feeds' state or
 * config/feeds.json; it writes nothing under items/ or config/.
 */
export const CLASSIFIER_ACCESS: BucketAccess = {
  read: [
    'config/rules.json',
    'items/*',
    'state/events.json',
    'state/events/*',
    'state/mutes.json',
    'state/failed-alerts/*',
    'state/last-good/rules.json',
    'alerts/*',
  ],
  write: [
    'state/events.json',
    'state/events/*',
    'state/failed-alerts/*',
    'state/last-good/rules.json',
    'alerts/*',
    'reports/*',
  ],
};

export interface ItemClassifierProps {
  readonly bucket: IBucket;
  readonly topic: ITopic;
  readonly entry: string;
  readonly depsLockFilePath: string;
  readonly metricsNamespace: string;
  readonly serviceName: string;
  readonly metricNames: {
    readonly recordsFailed: string;
    readonly alertsParked: string;
    readonly rulesRejected: string;
  };
  /** Minutes between polls: new items arrive once a poll, which sizes the alarms' look-back. */
  readonly pollMinutes: number;
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /**
   * Concurrent executions reserved, which is also the most that run at once. One: the events
   * state is split in shards, and two classifiers opening the same incident from reports that
   * name no place and a place would open it in two shards without a conflict (two "new"
   * alerts); run one at a time, the second sees the first's event. A classifier handles an items
   * object in well under a second and S3 queues the rest (a few a minute even at 50,000 feeds).
   * 0 reserves none (accounts whose concurrency quota is 10 cannot reserve any) and leaves it
   * unbounded, with that race.
   * @default 1
   */
  readonly reservedConcurrency?: number;
  /** Retries of an event whose invocation failed, before the dead-letter queue (0 to 2). @default 2 */
  readonly retryAttempts?: number;
  /**
   * How long Lambda keeps an event it could not run yet (throttled by the reserved concurrency,
   * or between retries) before the dead-letter queue. @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
}

/**
 * S3 ObjectCreated on items/ -> the classifier function, invoked asynchronously by S3 (a push:
 * nothing is polled while no items arrive). It reads config/rules.json and items/, updates its
 * state and alerts/ (CLASSIFIER_ACCESS), and publishes to the alert topic. An invocation that
 * fails is retried by Lambda, then the event goes to the dead-letter queue (an on-failure
 * destination: each message holds the S3 event as `requestPayload`, with the error).
 */
export class ItemClassifier extends Construct {
  readonly function: NewsFunction;
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: ItemClassifierProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);
    const reserved = props.reservedConcurrency ?? 1;
    if (!Number.isInteger(reserved) || reserved < 0) {
      throw new Error(`reservedConcurrency must be a whole number, got ${reserved}`);
    }
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`retryAttempts must be 0, 1 or 2, got ${retryAttempts}`);
    }
    const maxEventAge = props.maxEventAge ?? Duration.hours(6);

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    this.function = new NewsFunction(this, 'Classifier', {
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      description: 'newsalert: classifies new items, clusters events and publishes alerts',
      timeout,
      memorySize: 512,
      ...(reserved > 0 ? { reservedConcurrentExecutions: reserved } : {}),
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
    });
    const fn = this.function.fn;
    fn.addEnvironment('BUCKET_NAME', props.bucket.bucketName);
    fn.addEnvironment('TOPIC_ARN', props.topic.topicArn);
    fn.configureAsyncInvoke({
      retryAttempts,
      maxEventAge,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    props.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
      prefix: 'items/',
    });
    grantBucketAccess(props.bucket, fn, CLASSIFIER_ACCESS);
    props.topic.grantPublish(fn);

    const period = Duration.minutes(5);
    this.alarms = [
      functionErrorsAlarm(
        this,
        this.function,
        'the classifier failed on an items object (timeout, crash, bad config/rules.json, a publish refused); lambda retries it: read its log group',
        period
      ),
      deadLetterAlarm(this, this.deadLetterQueue, {
        description:
          'an items object could not be classified after the retries, and its S3 event waits in the classifier dead-letter queue: its alerts are not sent; fix the cause (classifier log), then redrive it (README, "Dead-letter queues")',
        period,
      }),
      new Alarm(this, 'BacklogAlarm', {
        alarmDescription:
          'an S3 event waited over 30 minutes to be classified: the classifier is throttled (reserved concurrency), failing or too slow; alerts are late',
        metric: fn.metric('AsyncEventAge', { period, statistic: 'Maximum' }),
        // milliseconds
        threshold: 30 * 60 * 1000,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      ...(
        [
          [
            'RecordsFailedAlarm',
            props.metricNames.recordsFailed,
            'items objects failed to classify and will be retried by lambda (then go to the dead-letter queue): read the classifier log for "items object failed"',
          ],
          [
            'AlertsParkedAlarm',
            props.metricNames.alertsParked,
            'an alert SNS kept refusing was parked under state/failed-alerts/ and is no longer retried: the object holds the alert and the last error; fix the cause (topic, SMS sandbox or spending limit) and send it by hand',
          ],
          [
            'RulesRejectedAlarm',
            props.metricNames.rulesRejected,
            'config/rules.json is missing or invalid: classification goes on with the last rules that loaded (state/last-good/rules.json); the classifier log names the problem; check the file with newsalert rules check and upload it again',
          ],
        ] as const
      ).map(([alarmId, metricName, description]) =>
        occurrenceAlarm(this, alarmId, {
          namespace: props.metricsNamespace,
          metricName,
          serviceName: props.serviceName,
          pollMinutes: props.pollMinutes,
          description,
        })
      ),
    ];
  }
}
