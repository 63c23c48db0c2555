import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  CLASSIFIER_SERVICE,
  CLASSIFY_METRICS,
  METRIC_NAMESPACE,
  POLL_METRICS,
  POLLER_SERVICE,
  WEBHOOK_SERVICE,
} from '../lambdas/shared/metric-names.ts';
import { type AppConfig, severitiesAtOrAbove } from './config.ts';
import { AlarmTopic, AlertTopic } from './constructs/alert-topic.ts';
import { FeedPoller } from './constructs/feed-poller.ts';
import { ItemClassifier } from './constructs/item-classifier.ts';
import { retainBucketNotificationsLogs } from './constructs/notifications-handler-logs.ts';
import { Storage } from './constructs/storage.ts';
import { WebhookDelivery, type WebhookSubscriber } from './constructs/webhook-delivery.ts';

const repoPath = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}`, import.meta.url));

export interface NewsAlertsStackProps extends StackProps {
  readonly config: AppConfig;
  /**
   * Files uploaded to config/ in the bucket (name -> content), e.g. feeds.json and rules.json.
   * @default - nothing uploaded
   */
  readonly configFiles?: Readonly<Record<string, string>>;
  /** Webhook subscribers of the alert topic. @default - none, and no webhook resources */
  readonly webhooks?: readonly WebhookSubscriber[];
}

/** The whole pipeline (docs/ARCHITECTURE.md, "Data flow") in one stack: composition only. */
export class NewsAlertsStack extends Stack {
  readonly storage: Storage;
  readonly alerts: AlertTopic;
  readonly poller: FeedPoller;
  readonly classifier: ItemClassifier;
  readonly alarms: AlarmTopic;
  readonly webhooks?: WebhookDelivery;

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
      schedule: config.schedule,
      pollMinutes: config.pollMinutes,
      reserveConcurrency: config.reservePollerConcurrency,
      metricsNamespace: METRIC_NAMESPACE,
      serviceName: POLLER_SERVICE,
      metricNames: POLL_METRICS,
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
    });
    retainBucketNotificationsLogs(this);
    this.alarms.notify(...this.poller.alarms, ...this.classifier.alarms, ...this.alerts.alarms);
    if (props.webhooks?.length) {
      this.webhooks = new WebhookDelivery(this, 'Webhooks', {
        topic: this.alerts.topic,
        webhooks: props.webhooks,
        entry: repoPath('lambdas/deliver-webhook/handler.ts'),
        depsLockFilePath,
        serviceName: WEBHOOK_SERVICE,
        metricsNamespace: METRIC_NAMESPACE,
      });
      this.alarms.notify(...this.webhooks.alarms);
      new CfnOutput(this, 'WebhookDeadLetterQueueUrl', {
        value: this.webhooks.deadLetterQueue.queueUrl,
      });
    }

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.classifier.deadLetterQueue.queueUrl });
    // Named so that `aws logs tail` can follow each function (see the README).
    new CfnOutput(this, 'PollerLogGroup', { value: this.poller.function.logGroup.logGroupName });
    new CfnOutput(this, 'ClassifierLogGroup', {
      value: this.classifier.function.logGroup.logGroupName,
    });
  }
}
