import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert } from '../core/common/types.ts';
import { alertAttributes, renderAlert, snsMessageAttributes } from '../core/delivery/render.ts';
import type { AlertPublisher } from '../ports.ts';

/**
 * Publishes alerts to an SNS topic: one message with a rendering per protocol
 * (`MessageStructure: 'json'`: default, email, sms, and https for AWS Chatbot), and the attributes subscription filter policies match on
 * (`severity`, `kind`, `places`, `countries`, `categories`, `sms`), always present.
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
          // HTTPS subscriptions: AWS Chatbot's, for Slack and Teams channels.
          https: rendered.chat,
        }),
        MessageAttributes: snsMessageAttributes(alertAttributes(alert)),
      })
    );
  }
}
