import { Validations } from 'aws-cdk-lib';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlertTopicProps {
  /** @default - no email subscribers */
  readonly emails?: readonly string[];
  /** E.164 numbers. @default - no SMS subscribers */
  readonly phones?: readonly string[];
  /**
   * Values of the `severity` message attribute an SMS subscriber receives.
   * @default - every severity
   */
  readonly smsSeverities?: readonly string[];
}

/**
 * The alert topic (TLS only, encrypted with the AWS-managed SNS key) with email subscriptions
 * for every alert and SMS subscriptions filtered by severity.
 */
export class AlertTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    if (props.smsSeverities && props.smsSeverities.length === 0) {
      throw new Error('smsSeverities must name at least one severity, got []');
    }
    this.topic = new Topic(this, 'Topic', {
      displayName: 'NewsAlert',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
    for (const phone of props.phones ?? []) {
      this.topic.addSubscription(
        new SmsSubscription(phone, {
          ...(props.smsSeverities
            ? {
                filterPolicy: {
                  severity: SubscriptionFilter.stringFilter({
                    allowlist: [...props.smsSeverities],
                  }),
                },
              }
            : {}),
        })
      );
    }
  }
}

export interface AlarmTopicProps {
  /** @default - no subscribers */
  readonly emails?: readonly string[];
}

/** Where CloudWatch alarms notify the operators (by email). */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'NewsAlert alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'alarm notifications carry only alarm names, metric names and thresholds; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed KMS key would cost more than the rest of the stack',
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }
}
