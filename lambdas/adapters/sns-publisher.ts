import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../core/common/types.ts';
import type { RenderedDigest } from '../core/delivery/digest.ts';
import {
  alertAttributes,
  renderAlert,
  renderAlertJson,
  snsMessageAttributes,
} from '../core/delivery/render.ts';
import type { AlertPublisher, DigestPublisher } from '../ports.ts';

/**
 * Publishes alerts to an SNS topic: one message with a rendering per protocol
 * (`MessageStructure: 'json'`: default, email, sms, https for AWS Chatbot, and `lambda`, the
 * alert itself as JSON for the webhook functions), and the attributes subscription filter
 * policies match on (`severity`, `kind`, `places`, `countries`, `categories`, `sms`), always present.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string
  ) {}

  async publish(alert: Alert): Promise<void> {
    const rendered = renderAlert(alert);
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        MessageStructure: 'json',
        Subject: rendered.subject,
        Message: JSON.stringify({
          default: rendered.default,
          email: rendered.email,
          sms: rendered.sms,
          lambda: renderAlertJson(alert),
          // HTTPS subscriptions: AWS Chatbot's, for Slack and Teams channels.
          https: rendered.chat,
        }),
        MessageAttributes: snsMessageAttributes(alertAttributes(alert)),
      })
    );
  }
}

/**
 * Publishes daily digests to the digest topic: one message per group, with a rendering per
 * protocol and the `digestGroup` attribute the group's subscriptions filter on.
 */
export class SnsDigestPublisher implements DigestPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string
  ) {}

  async publish(groupId: string, digest: RenderedDigest): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        MessageStructure: 'json',
        Subject: digest.subject,
        Message: JSON.stringify({ default: digest.email, email: digest.email, sms: digest.sms }),
        MessageAttributes: { digestGroup: { DataType: 'String', StringValue: groupId } },
      })
    );
  }
}
