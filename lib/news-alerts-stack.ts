import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  CLASSIFIER_SERVICE,
  CLASSIFY_METRICS,
  METRIC_NAMESPACE,
  POLL_METRICS,
  POLLER_SERVICE,
  SCHEDULE_METRICS,
  SCHEDULER_SERVICE,
} from '../lambdas/shared/metric-names.ts';
import { type AppConfig, severitiesAtOrAbove } from './config.ts';
import { AlarmTopic, AlertTopic } from './constructs/alert-topic.ts';
import { FeedPoller } from './constructs/feed-poller.ts';
import { ItemClassifier } from './constructs/item-classifier.ts';
import { retainBucketNotificationsLogs } from './constructs/notifications-handler-logs.ts';
import { PollScheduler } from './constructs/poll-scheduler.ts';
import { Storage } from './constructs/storage.ts';

const repoPath = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));

export interface NewsAlertsStackProps extends StackProps {
  readonly config: AppConfig;
  /**
   * Files uploaded to config/ in the bucket (name -> content), e.g. feeds.json and rules.json.
   * @default - nothing uploaded
   */
  readonly configFiles?: Readonly<Record<string, string>>;
}

/** The whole pipeline (docs/ARCHITECTURE.md, "Data flow") in one stack: composition only. */
export class NewsAlertsStack extends Stack {
  readonly storage: Storage;
  readonly alerts: AlertTopic;
  readonly scheduler: PollScheduler;
  readonly poller: FeedPoller;
  readonly classifier: ItemClassifier;
  readonly alarms: AlarmTopic;

  constructor(scope: Construct, id: string, props: NewsAlertsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const depsLockFilePath = repoPath('package-lock.json');

    this.storage = new Storage(this, 'Storage', {
      ...(config.uploadConfig && props.configFiles ? { configFiles: props.configFiles } : {}),
    });
    const bucket = this.storage.bucket;
    this.alerts = new AlertTopic(this, 'Alerts', {
      emails: config.alertEmails,
      phones: config.alertPhones,
      smsSeverities: severitiesAtOrAbove(config.smsMinSeverity),
    });
    this.alarms = new AlarmTopic(this, 'Alarms', { emails: config.alarmEmails });

    this.poller = new FeedPoller(this, 'Poll', {
      bucket,
      entry: repoPath('lambdas/poll-feeds/handler.ts'),
      depsLockFilePath,
      pollMinutes: config.pollMinutes,
      maxConcurrency: config.pollerMaxConcurrency,
      metricsNamespace: METRIC_NAMESPACE,
      serviceName: POLLER_SERVICE,
      metricNames: POLL_METRICS,
    });
    this.scheduler = new PollScheduler(this, 'Schedule', {
      bucket,
      queue: this.poller.queue,
      entry: repoPath('lambdas/schedule-polls/handler.ts'),
      depsLockFilePath,
      schedule: config.schedule,
      pollMinutes: config.pollMinutes,
      ...(config.feedsPerShard !== undefined ? { feedsPerShard: config.feedsPerShard } : {}),
      metricsNamespace: METRIC_NAMESPACE,
      serviceName: SCHEDULER_SERVICE,
      metricNames: SCHEDULE_METRICS,
    });
    this.classifier = new ItemClassifier(this, 'Classify', {
      bucket,
      topic: this.alerts.topic,
      entry: repoPath('lambdas/classify-items/handler.ts'),
      depsLockFilePath,
      metricsNamespace: METRIC_NAMESPACE,
      serviceName: CLASSIFIER_SERVICE,
      metricNames: CLASSIFY_METRICS,
      pollMinutes: config.pollMinutes,
      ...(config.reserveConcurrency ? {} : { reservedConcurrency: 0 }),
    });
    retainBucketNotificationsLogs(this);
    this.alarms.notify(
      ...this.scheduler.alarms,
      ...this.poller.alarms,
      ...this.classifier.alarms,
      ...this.alerts.alarms
    );

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    // The queues an operator inspects and redrives (README, "Dead-letter queues").
    new CfnOutput(this, 'PollQueueUrl', { value: this.poller.queue.queueUrl });
    new CfnOutput(this, 'PollDeadLetterQueueUrl', {
      value: this.poller.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ClassifierDeadLetterQueueUrl', {
      value: this.classifier.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'ClassifierFunctionName', {
      value: this.classifier.function.fn.functionName,
    });
    // Named so that `aws logs tail` can follow each function (see the README).
    new CfnOutput(this, 'SchedulerLogGroup', {
      value: this.scheduler.function.logGroup.logGroupName,
    });
    new CfnOutput(this, 'PollerLogGroup', { value: this.poller.function.logGroup.logGroupName });
    new CfnOutput(this, 'ClassifierLogGroup', {
      value: this.classifier.function.logGroup.logGroupName,
    });
  }
}
