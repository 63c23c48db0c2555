import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  CLASSIFIER_SERVICE,
  METRIC_NAMESPACE,
  POLL_METRICS,
  POLLER_SERVICE,
} from '../lambdas/shared/metric-names.ts';
import { type AppConfig, severitiesAtOrAbove } from './config.ts';
import { AlarmTopic, AlertTopic } from './constructs/alert-topic.ts';
import { FeedPoller } from './constructs/feed-poller.ts';
import { ItemClassifier } from './constructs/item-classifier.ts';
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

/** The whole pipeline of DESIGN.md in one stack: composition only. */
export class NewsAlertsStack extends Stack {
  readonly storage: Storage;
  readonly alerts: AlertTopic;
  readonly poller: FeedPoller;
  readonly classifier: ItemClassifier;

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
    const alarms = new AlarmTopic(this, 'Alarms', { emails: config.alarmEmails });

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
      alarmTopic: alarms.topic,
    });
    this.classifier = new ItemClassifier(this, 'Classify', {
      bucket,
      topic: this.alerts.topic,
      entry: repoPath('lambdas/classify-items/handler.ts'),
      depsLockFilePath,
      metricsNamespace: METRIC_NAMESPACE,
      serviceName: CLASSIFIER_SERVICE,
      alarmTopic: alarms.topic,
    });

    this.acknowledgeFindings();

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.classifier.deadLetterQueue.queueUrl });
  }

  /** cdk-nag findings that are deliberate, each with its reason (granular ids, narrow scopes). */
  private acknowledgeFindings(): void {
    const bucketArn = this.resolve(this.storage.bucket.bucketArn) as {
      'Fn::GetAtt': [string, string];
    };
    const bucketId = bucketArn['Fn::GetAtt'][0];
    for (const fn of [this.poller.function, this.classifier.function]) {
      const ack = Validations.of(fn);
      ack.acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'the managed basic execution role only allows writing to CloudWatch Logs; the function logs to its own log group',
      });
      for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*']) {
        ack.acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} comes from bucket.grantRead/grantPut, which are scoped to the prefixes the function needs (config/, state/, items/, alerts/)`,
        });
      }
      ack.acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'added by topic.grantPublish for the topic key; the statement is conditioned on kms:ResourceAliases alias/aws/sns',
      });
      ack.acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
        reason:
          'the AWS-managed SNS key has no id known at synth; the statement is conditioned on kms:ResourceAliases alias/aws/sns',
      });
      for (const prefix of ['config', 'state', 'items', 'alerts']) {
        ack.acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}/*]`,
          reason: `the function reads or writes objects with generated keys under ${prefix}/ only`,
        });
      }
    }
    this.acknowledgeCdkProviders(bucketId);
  }

  /**
   * CDK's own provider functions: the BucketDeployment that uploads config/ and the handler that
   * configures the bucket notification. They run only inside CloudFormation deployments.
   */
  private acknowledgeCdkProviders(bucketId: string): void {
    const providers = this.node.children.filter(
      (c) =>
        c.node.id.startsWith('Custom::CDKBucketDeployment') ||
        c.node.id.startsWith('BucketNotificationsHandler')
    );
    for (const provider of providers) {
      const ack = Validations.of(provider);
      ack.acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK-provided deployment helper; the managed policy only allows writing its logs',
      });
      if (!provider.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      ack.acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'the runtime of the BucketDeployment provider is chosen by aws-cdk-lib, not by this app; it runs only during deploys',
      });
      for (const action of [
        's3:GetBucket*',
        's3:GetObject*',
        's3:List*',
        's3:Abort*',
        's3:DeleteObject*',
      ]) {
        ack.acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} is granted by BucketDeployment to copy the config/ asset from the CDK assets bucket into the data bucket; invoked only by CloudFormation`,
        });
      }
      ack.acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason:
          'BucketDeployment reads the uploaded config/ asset from the CDK bootstrap assets bucket',
      });
      ack.acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason:
          'BucketDeployment is granted the destination bucket; with prune false it only writes config/ keys',
      });
    }
  }
}
