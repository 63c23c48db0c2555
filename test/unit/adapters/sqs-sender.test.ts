import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsQueueSender } from '../../../lambdas/adapters/sqs-sender.ts';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/NewsAlerts-PollQueue';

const messages = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `m-${i}`, body: `{"i":${i}}` }));

describe('Class: SqsQueueSender', () => {
  const sqsMock = mockClient(SQSClient);
  const sender = new SqsQueueSender(new SQSClient({ region: 'us-east-1' }), QUEUE_URL);

  beforeEach(() => {
    sqsMock.reset();
  });

  describe('Method: sendBatch', () => {
    it('sends the messages in one SendMessageBatch and reports none failed', async () => {
      // Prepare
      sqsMock.on(SendMessageBatchCommand).resolves({
        Successful: messages(2).map((m) => ({ Id: m.id, MessageId: 'x', MD5OfMessageBody: '' })),
        Failed: [],
      });
      // Act
      const failures = await sender.sendBatch(messages(2));
      // Assess
      expect(failures).toEqual([]);
      expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
      expect(sqsMock).toHaveReceivedCommandWith(SendMessageBatchCommand, {
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'm-0', MessageBody: '{"i":0}' },
          { Id: 'm-1', MessageBody: '{"i":1}' },
        ],
      });
    });

    it('reports the entries SQS refused and those it did not answer', async () => {
      sqsMock.on(SendMessageBatchCommand).resolves({
        Successful: [{ Id: 'm-0', MessageId: 'x', MD5OfMessageBody: '' }],
        Failed: [{ Id: 'm-1', Code: 'InternalError', Message: 'try again', SenderFault: false }],
      });
      expect(await sender.sendBatch(messages(3))).toEqual([
        { id: 'm-1', reason: 'InternalError: try again' },
        { id: 'm-2', reason: 'not in the answer of SendMessageBatch' },
      ]);
    });

    it('sends nothing for no messages, and refuses more than SQS takes at once', async () => {
      expect(await sender.sendBatch([])).toEqual([]);
      await expect(sender.sendBatch(messages(11))).rejects.toThrow(/at most 10 messages/);
      expect(sqsMock).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
    });

    it('lets a request that failed as a whole throw', async () => {
      sqsMock.on(SendMessageBatchCommand).rejects(new Error('AccessDenied'));
      await expect(sender.sendBatch(messages(1))).rejects.toThrow('AccessDenied');
    });
  });
});
