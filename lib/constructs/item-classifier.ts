import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { occurrenceAlarm } from './alarms.ts';
import { type BucketAccess, grantBucketAccess } from './bucket-access.ts';
import { functionErrorsAlarm, NewsFunction } from './news-function.ts';

/**
 * The classifier's part of the bucket: the items and the rules it reads, the events state with its
 * outboxes (the shards under state/events/, and state/events.json that earlier builds wrote, read
 * once to split it), parked alerts, the last rules that loaded, and the record of sent alerts. Never the
 * feeds' state or config/feeds.json; it writes nothing under items/ or config/.
 */
export const CLASSIFIER_ACCESS: BucketAccess = {
  read: [
    'config/rules.json',
    'items/*',
    'state/events.json',
    'state/events/*',
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
  /** Deliveries of a message before it moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
}

/**
 * S3 ObjectCreated on items/ -> SQS (with a dead-letter queue) -> the classifier function, which
 * reads config/rules.json and items/, updates its state and alerts/ (CLASSIFIER_ACCESS), and
 * publishes to the alert topic.
 * Partial batch failures: only the records that failed are delivered again.
 */
export class ItemClassifier extends Construct {
  readonly function: NewsFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: ItemClassifierProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(60);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
      throw new Error(`maxReceiveCount must be a positive whole number, got ${maxReceiveCount}`);
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS advises at least six times the function timeout for an SQS event source.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    props.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), {
      prefix: 'items/',
    });

    this.function = new NewsFunction(this, 'Classifier', {
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      description: 'newsalert: classifies new items, clusters events and publishes alerts',
      timeout,
      memorySize: 512,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
    });
    const fn = this.function.fn;
    fn.addEnvironment('BUCKET_NAME', props.bucket.bucketName);
    fn.addEnvironment('TOPIC_ARN', props.topic.topicArn);
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Every record may update a shard of the events state: few concurrent workers, few conflicts.
        maxConcurrency: 2,
      })
    );
    grantBucketAccess(props.bucket, fn, CLASSIFIER_ACCESS);
    props.topic.grantPublish(fn);

    const period = Duration.minutes(5);
    this.alarms = [
      functionErrorsAlarm(
        this,
        this.function,
        'the classifier function failed as a whole (timeout, crash, bad config/rules.json): read its log group',
        period
      ),
      new Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'items could not be processed after several attempts and wait in the dead-letter queue: fix the cause (classifier log), then redrive the dead-letter queue to the items queue',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period,
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'BacklogAlarm', {
        alarmDescription:
          'the oldest queued items object waited over 30 minutes: the classifier is failing or too slow; alerts are late',
        metric: this.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: 30 * 60,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      ...(
        [
          [
            'RecordsFailedAlarm',
            props.metricNames.recordsFailed,
            'items records failed to classify and will be delivered again (then go to the dead-letter queue): read the classifier log for "record failed"',
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
