import { readFileSync } from 'node:fs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertPublisher, SnsDigestPublisher } from '../../../lambdas/adapters/sns-publisher.ts';
import type { Alert } from '../../../lambdas/core/common/types.ts';
import { renderAlert } from '../../../lambdas/core/delivery/render.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:NewsAlerts-AlertsTopic-1A2B3C';
const alert: Alert = JSON.parse(
  readFileSync(new URL('../../fixtures/alerts/kharkiv-new.json', import.meta.url), 'utf8')
);

describe('Class: SnsAlertPublisher', () => {
  const snsMock = mockClient(SNSClient);
  const publisher = new SnsAlertPublisher(new SNSClient({ region: 'eu-west-1' }), TOPIC_ARN);

  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  describe('Method: publish', () => {
    it('publishes one message with a rendering per protocol (MessageStructure json)', async () => {
      // Act
      await publisher.publish(alert);
      // Assess
      const rendered = renderAlert(alert);
      expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
      expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
        TopicArn: TOPIC_ARN,
        MessageStructure: 'json',
        Subject: rendered.subject,
      });
      const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
      expect(JSON.parse(input?.Message ?? '')).toEqual({
        default: rendered.default,
        email: rendered.email,
        sms: rendered.sms,
        lambda: JSON.stringify(alert),
        https: rendered.chat,
      });
    });

    it('gives subscribed functions (webhooks) the alert itself as JSON, email and SMS unchanged', async () => {
      // Act
      await publisher.publish(alert);
      // Assess
      const message = JSON.parse(
        snsMock.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? ''
      );
      expect(JSON.parse(message.lambda)).toEqual(alert);
      expect(message.email).toBe(renderAlert(alert).email);
    });

    it('gives a subject SNS accepts: ASCII, one line, under 100 characters', async () => {
      await publisher.publish({
        ...alert,
        headline: 'Explosión en Kharkiv:\nmás de 12 muertos '.repeat(5),
      });
      const subject = snsMock.commandCalls(PublishCommand)[0]?.args[0].input.Subject ?? '';
      expect(subject.length).toBeGreaterThan(0);
      expect(subject.length).toBeLessThan(100);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
    });

    it('sets the attributes subscription filter policies match on', async () => {
      await publisher.publish({ ...alert, countries: ['Ukraine'] });
      expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'critical' },
          kind: { DataType: 'String', StringValue: 'new' },
          places: { DataType: 'String.Array', StringValue: '["Kharkiv","Ukraine"]' },
          countries: { DataType: 'String.Array', StringValue: '["Ukraine"]' },
          categories: { DataType: 'String.Array', StringValue: JSON.stringify(alert.categories) },
          sms: { DataType: 'String', StringValue: 'send' },
        },
      });
    });

    it('sends every attribute even when the alert names no place or is held from SMS', async () => {
      await publisher.publish({
        ...alert,
        kind: 'update',
        places: [],
        categories: [],
        smsHeld: true,
      });
      const attributes = snsMock.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes;
      expect(attributes).toEqual({
        severity: { DataType: 'String', StringValue: 'critical' },
        kind: { DataType: 'String', StringValue: 'update' },
        places: { DataType: 'String.Array', StringValue: '["none"]' },
        countries: { DataType: 'String.Array', StringValue: '["none"]' },
        categories: { DataType: 'String.Array', StringValue: '["none"]' },
        sms: { DataType: 'String', StringValue: 'held' },
      });
    });

    it('lets a failed publish reject, so the outbox keeps the alert', async () => {
      snsMock.on(PublishCommand).rejects(new Error('Rate exceeded'));
      await expect(publisher.publish(alert)).rejects.toThrow('Rate exceeded');
    });
  });
});

describe('Class: SnsDigestPublisher', () => {
  const snsMock = mockClient(SNSClient);

  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('publishes one digest with the digestGroup attribute its subscriptions filter on', async () => {
    // Prepare
    const publisher = new SnsDigestPublisher(new SNSClient({ region: 'eu-west-1' }), TOPIC_ARN);
    // Act
    await publisher.publish('europe-desk', { subject: 'S', email: 'E', sms: 'M' });
    // Assess
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC_ARN,
      MessageStructure: 'json',
      Subject: 'S',
      Message: JSON.stringify({ default: 'E', email: 'E', sms: 'M' }),
      MessageAttributes: { digestGroup: { DataType: 'String', StringValue: 'europe-desk' } },
    });
  });
});
