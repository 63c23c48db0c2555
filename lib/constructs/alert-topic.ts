import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import {
  CfnMicrosoftTeamsChannelConfiguration,
  SlackChannelConfiguration,
} from 'aws-cdk-lib/aws-chatbot';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { AttributeFilter, PlannedSubscription } from '../../lambdas/core/common/types.ts';

export interface AlertTopicProps {
  /**
   * The subscriptions to make, each with its filter policy: email and SMS ones here; webhook and
   * chat ones are left to their own constructs (see `others`).
   * @default - no subscribers
   */
  readonly subscriptions?: readonly PlannedSubscription[];
}

/** A filter policy as SNS subscriptions take it: an allowlist per message attribute. */
export const subscriptionFilterPolicy = (
  filter: AttributeFilter
): Record<string, SubscriptionFilter> =>
  Object.fromEntries(
    Object.entries(filter).map(([name, allowlist]) => [
      name,
      SubscriptionFilter.stringFilter({ allowlist: [...allowlist] }),
    ])
  );

/** A chat configuration's name: unique in the account (stack name and the subscription's id). */
const chatConfigurationName = (scope: Construct, id: string): string =>
  `${Stack.of(scope).stackName}-${id}`.slice(0, 128);

/**
 * The alert topic (TLS only, encrypted with the AWS-managed SNS key) and the digest topic, with
 * an email or SMS subscription per subscriber, each with its filter policy on the message
 * attributes, an AWS Chatbot configuration per Slack or Teams channel, and an alarm on
 * deliveries SNS gave up on (SMS included).
 */
export class AlertTopic extends Construct {
  readonly topic: Topic;
  /**
   * Where the daily digest is published, one message per digest group with the message
   * attribute `digestGroup`; digest subscribers take their group's messages only.
   */
  readonly digestTopic: Topic;
  /** The planned subscriptions this construct does not make (webhooks). */
  readonly others: readonly PlannedSubscription[];
  private chatRole?: Role;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const masterKey = Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'NewsAlert',
      enforceSSL: true,
      masterKey,
    });
    this.digestTopic = new Topic(this, 'DigestTopic', {
      displayName: 'NewsAlert digest',
      enforceSSL: true,
      masterKey,
    });
    const others: PlannedSubscription[] = [];
    for (const planned of props.subscriptions ?? []) {
      const topic = planned.topic === 'digest' ? this.digestTopic : this.topic;
      const options =
        Object.keys(planned.filter).length > 0
          ? { filterPolicy: subscriptionFilterPolicy(planned.filter) }
          : {};
      const { channel } = planned;
      if (channel.type === 'email') {
        topic.addSubscription(new EmailSubscription(channel.address, options));
      } else if (channel.type === 'sms') {
        // Updates held from SMS (an event's hourly SMS allowance spent) carry sms=held.
        topic.addSubscription(new SmsSubscription(channel.number, options));
      } else if (channel.type === 'slack') {
        // AWS Chatbot subscribes the channel itself; it reads the `https` rendering.
        new SlackChannelConfiguration(this, `Slack${planned.id}`, {
          slackChannelConfigurationName: chatConfigurationName(this, planned.id),
          slackWorkspaceId: channel.workspaceId,
          slackChannelId: channel.channelId,
          notificationTopics: [topic],
        });
      } else if (channel.type === 'teams') {
        this.chatRole ??= new Role(this, 'ChatRole', {
          assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
          description: 'AWS Chatbot posting newsalert alerts to Microsoft Teams (no permissions)',
        });
        new CfnMicrosoftTeamsChannelConfiguration(this, `Teams${planned.id}`, {
          configurationName: chatConfigurationName(this, planned.id),
          iamRoleArn: this.chatRole.roleArn,
          teamId: channel.teamId,
          teamsChannelId: channel.channelId,
          teamsTenantId: channel.tenantId,
          snsTopicArns: [topic.topicArn],
        });
      } else {
        others.push(planned);
      }
    }
    this.others = others;
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
