/**
 * The cdk-nag (AwsSolutions) findings that are deliberate, each with its reason, acknowledged on
 * the narrowest construct and by granular id. test/infra/nag.test.ts checks that every one of them
 * matches a finding: an acknowledgement that no longer applies is removed, not kept "just in case".
 */
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { BucketAccess } from './constructs/bucket-access.ts';
import { DIGEST_ACCESS, type Digest } from './constructs/digest.ts';
import { POLLER_ACCESS } from './constructs/feed-poller.ts';
import { CLASSIFIER_ACCESS } from './constructs/item-classifier.ts';
import type { NewsFunction } from './constructs/news-function.ts';
import { BUCKET_NOTIFICATIONS_HANDLER_ID } from './constructs/notifications-handler-logs.ts';
import { SCHEDULER_ACCESS } from './constructs/poll-scheduler.ts';
import type { WebhookDelivery } from './constructs/webhook-delivery.ts';
import type { NewsAlertsStack } from './news-alerts-stack.ts';

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** The bucket's logical id as cdk-nag writes it in resource findings. */
const bucketLogicalId = (stack: NewsAlertsStack): string =>
  (stack.resolve(stack.storage.bucket.bucketArn) as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];

/** Our functions: the managed logging policy, and the prefixes of their bucket access. */
const acknowledgeFunction = (fn: Construct, access: BucketAccess, bucketId: string): void => {
  const ack = Validations.of(fn);
  ack.acknowledge({
    id: BASIC_EXECUTION_ROLE,
    reason:
      'the managed basic execution role only allows writing to CloudWatch Logs; the function logs to its own log group',
  });
  const prefixes = new Set([...access.read, ...access.write].filter((key) => key.endsWith('/*')));
  for (const prefix of prefixes) {
    ack.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}]`,
      reason: `objects under ${prefix.slice(0, -1)} have generated keys (a hash, a date, an alert id); the grant is GetObject or PutObject on that prefix only`,
    });
  }
};

/** The webhook functions (logs only, plus their own secrets) and their dead-letter queue. */
export const acknowledgeWebhookFindings = (webhooks: WebhookDelivery): void => {
  for (const fn of Object.values(webhooks.functions)) {
    acknowledgeFunction(fn, { read: [], write: [] }, '');
  }
  Validations.of(webhooks.deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'this queue is the dead-letter queue: the on-failure destination of the webhook functions',
  });
};

/** The digest function: logs, alerts/ and its marks under state/digests/. */
export const acknowledgeDigestFindings = (digest: Digest, bucketId: string): void => {
  acknowledgeFunction(digest.function, DIGEST_ACCESS, bucketId);
};

/**
 * CDK's own provider functions: the BucketDeployment that uploads config/ (present only with
 * configFiles) and the handler that configures the bucket notification. Both run only inside
 * CloudFormation deployments.
 */
const acknowledgeCdkProviders = (stack: NewsAlertsStack, bucketId: string): void => {
  const notifications = stack.node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
  if (notifications) {
    Validations.of(notifications).acknowledge({
      id: BASIC_EXECUTION_ROLE,
      reason: 'CDK-provided deployment helper; the managed policy only allows writing its logs',
    });
  }
  for (const deployment of stack.node.children.filter((c) =>
    c.node.id.startsWith('Custom::CDKBucketDeployment')
  )) {
    const ack = Validations.of(deployment);
    ack.acknowledge({
      id: BASIC_EXECUTION_ROLE,
      reason: 'CDK-provided deployment helper; the managed policy only allows writing its logs',
    });
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
};

export const acknowledgeNagFindings = (stack: NewsAlertsStack): void => {
  const bucketId = bucketLogicalId(stack);
  acknowledgeFunction(stack.scheduler.function, SCHEDULER_ACCESS, bucketId);
  acknowledgeFunction(stack.poller.function, POLLER_ACCESS, bucketId);
  acknowledgeFunction(stack.classifier.function, CLASSIFIER_ACCESS, bucketId);
  const publishesToEncryptedTopic = (fn: NewsFunction) =>
    Validations.of(fn).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'added by topic.grantPublish for the alert topic key; the statement is conditioned on kms:ResourceAliases alias/aws/sns',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
        reason:
          'the AWS-managed SNS key has no id known at synth; the statement is conditioned on kms:ResourceAliases alias/aws/sns',
      }
    );
  publishesToEncryptedTopic(stack.classifier.function);
  if (stack.webhooks) acknowledgeWebhookFindings(stack.webhooks);
  if (stack.digest) {
    acknowledgeDigestFindings(stack.digest, bucketId);
    publishesToEncryptedTopic(stack.digest.function);
  }
  Validations.of(stack.classifier.deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      "it is a dead-letter queue: the classifier's on-failure destination (async invocation), which cdk-nag does not see as one; nothing consumes it but an operator's redrive",
  });
  acknowledgeCdkProviders(stack, bucketId);
};
