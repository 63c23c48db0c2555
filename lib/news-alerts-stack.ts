import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DigestGroup, PlannedSubscription } from '../lambdas/core/common/types.ts';
import {
  CLASSIFIER_SERVICE,
  CLASSIFY_METRICS,
  DIGEST_SERVICE,
  METRIC_NAMESPACE,
  POLL_METRICS,
  POLLER_SERVICE,
  SCHEDULE_METRICS,
  SCHEDULER_SERVICE,
  WEBHOOK_SERVICE,
} from '../lambdas/shared/metric-names.ts';
import type { AppConfig } from './config.ts';
import { AlarmTopic, AlertTopic, subscriptionFilterPolicy } from './constructs/alert-topic.ts';
import { Digest } from './constructs/digest.ts';
import { FeedPoller } from './constructs/feed-poller.ts';
import { ItemClassifier } from './constructs/item-classifier.ts';
import { retainBucketNotificationsLogs } from './constructs/notifications-handler-logs.ts';
import { PollScheduler } from './constructs/poll-scheduler.ts';
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
}

/** "2 email, 1 sms (1 daily digest)", or a loud NONE: printed by `cdk deploy` with the outputs. */
const subscribersSummary = (subscriptions: readonly PlannedSubscription[]): string => {
  if (subscriptions.length === 0) {
    return 'NONE: alerts reach nobody; give -c subscribers=FILE (see the README, Subscribers)';
  }
  const counts = new Map<string, number>();
  for (const s of subscriptions) counts.set(s.channel.type, (counts.get(s.channel.type) ?? 0) + 1);
  const digests = subscriptions.filter((s) => s.topic === 'digest').length;
  const list = [...counts].map(([type, n]) => `${n} ${type}`).join(', ');
  return digests > 0 ? `${list} (${digests} daily digest)` : list;
};

/** The webhook entries of the subscribers file, as the webhook delivery construct takes them. */
const webhookSubscribers = (planned: readonly PlannedSubscription[]): WebhookSubscriber[] =>
  planned.flatMap(({ id, channel, filter, topic }) =>
    channel.type === 'webhook' && topic === 'alerts'
      ? [
          {
            id: `webhook-${id}`,
            secretName: channel.secret,
            ...(channel.signingSecret ? { signingSecretName: channel.signingSecret } : {}),
            filterPolicy: subscriptionFilterPolicy(filter),
          },
        ]
      : []
  );

/** The whole pipeline (docs/ARCHITECTURE.md, "Data flow") in one stack: composition only. */
export class NewsAlertsStack extends Stack {
  readonly storage: Storage;
  readonly alerts: AlertTopic;
  readonly scheduler: PollScheduler;
  readonly poller: FeedPoller;
  readonly classifier: ItemClassifier;
  readonly alarms: AlarmTopic;
  /** The digest subscribers' groups (the digest function publishes one message per group). */
  readonly digestGroups: readonly DigestGroup[];
  /** Created only when the subscribers file lists a webhook. */
  readonly webhooks?: WebhookDelivery;
  /** Created only when the subscribers file lists a digest subscriber. */
  readonly digest?: Digest;

  constructor(scope: Construct, id: string, props: NewsAlertsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const depsLockFilePath = repoPath('package-lock.json');

    this.storage = new Storage(this, 'Storage', {
      ...(config.uploadConfig && props.configFiles ? { configFiles: props.configFiles } : {}),
    });
    const bucket = this.storage.bucket;
    this.alerts = new AlertTopic(this, 'Alerts', {
      subscriptions: config.delivery?.subscriptions ?? [],
    });
    this.digestGroups = config.delivery?.digestGroups ?? [];
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
    const webhooks = webhookSubscribers(this.alerts.others);
    if (webhooks.length > 0) {
      this.webhooks = new WebhookDelivery(this, 'Webhooks', {
        topic: this.alerts.topic,
        webhooks,
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

    if (this.digestGroups.length > 0) {
      this.digest = new Digest(this, 'Digest', {
        bucket,
        digestTopic: this.alerts.digestTopic,
        groups: this.digestGroups,
        entry: repoPath('lambdas/send-digest/handler.ts'),
        depsLockFilePath,
        serviceName: DIGEST_SERVICE,
        metricsNamespace: METRIC_NAMESPACE,
      });
      this.alarms.notify(...this.digest.alarms);
    }

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'DigestTopicArn', { value: this.alerts.digestTopic.topicArn });
    new CfnOutput(this, 'Subscribers', {
      description: 'Who receives alerts (the subscribers file and alertEmails/alertPhones)',
      value: subscribersSummary(config.delivery?.subscriptions ?? []),
    });
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
    if (this.digest) {
      new CfnOutput(this, 'DigestLogGroup', { value: this.digest.function.logGroup.logGroupName });
    }
    for (const [id, fn] of Object.entries(this.webhooks?.functions ?? {})) {
      new CfnOutput(this, `LogGroup${id.replace(/[^A-Za-z0-9]/g, '')}`, {
        description: `The log group of the delivery function of ${id}`,
        value: fn.logGroup.logGroupName,
      });
    }
  }
}
