import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
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
 * for every alert and SMS subscriptions filtered by severity, and an alarm on deliveries SNS gave
 * up on (SMS included).
 */
export class AlertTopic extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

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
      // Updates held from SMS (an event's hourly SMS allowance spent) carry sms=held.
      this.topic.addSubscription(
        new SmsSubscription(phone, {
          filterPolicy: {
            sms: SubscriptionFilter.stringFilter({ allowlist: ['send'] }),
            ...(props.smsSeverities
              ? {
                  severity: SubscriptionFilter.stringFilter({
                    allowlist: [...props.smsSeverities],
                  }),
                }
              : {}),
          },
        })
      );
    }
    this.alarms = [
      new Alarm(this, 'DeliveryFailuresAlarm', {
        alarmDescription:
          'SNS gave up delivering alerts to a subscriber (SMS or email): check the SMS sandbox, spending limit and origination identity, and the subscriptions; the reason of each SMS needs SMS delivery-status logging (see the README)',
        // SNS reports topic metrics every five minutes.
        metric: this.topic.metricNumberOfNotificationsFailed({
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}

export interface AlarmTopicProps {
  /** @default - no subscribers */
  readonly emails?: readonly string[];
}

/**
 * Where CloudWatch alarms notify the operators (by email). A topic policy replaces SNS's default
 * one, and the TLS-only policy is one, so the topic policy itself must let CloudWatch publish:
 * `notify` adds the alarm's action and names the alarm in that permission, in one step.
 *
 * The topic is not encrypted: CloudWatch cannot publish to a topic encrypted with the AWS-managed
 * SNS key, alarm notifications carry only alarm names, metric names and thresholds, and a
 * customer-managed key (whose key policy would have to let CloudWatch use it) would cost more
 * than the rest of the stack.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  private readonly alarmArns: string[] = [];

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'NewsAlert alarms', enforceSSL: true });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }

  /** Sends the alarms' state changes to ALARM here, allowing CloudWatch to publish for them. */
  notify(...alarms: Alarm[]): void {
    if (this.alarmArns.length === 0 && alarms.length > 0) {
      this.topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowThisStacksAlarmsToPublish',
          effect: Effect.ALLOW,
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
            ArnEquals: { 'aws:SourceArn': Lazy.list({ produce: () => this.alarmArns }) },
          },
        })
      );
    }
    for (const alarm of alarms) {
      alarm.addAlarmAction(new SnsAction(this.topic));
      this.alarmArns.push(alarm.alarmArn);
    }
  }
}
