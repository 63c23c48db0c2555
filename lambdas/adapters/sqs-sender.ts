import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueMessage, QueueSender, QueueSendFailure } from '../ports.ts';

/** SQS takes at most 10 messages in one SendMessageBatch. */
export const SQS_MAX_BATCH = 10;

/**
 * Sends messages to one SQS queue with SendMessageBatch. SQS answers a batch with the entries it
 * took and those it did not (each with a code and a message): the latter are the failures.
 */
export class SqsQueueSender implements QueueSender {
  readonly maxBatchSize = SQS_MAX_BATCH;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string
  ) {}

  async sendBatch(messages: readonly QueueMessage[]): Promise<QueueSendFailure[]> {
    if (messages.length === 0) return [];
    if (messages.length > SQS_MAX_BATCH) {
      throw new RangeError(
        `sqs takes at most ${SQS_MAX_BATCH} messages in one batch, got ${messages.length}`
      );
    }
    const out = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: messages.map((m) => ({ Id: m.id, MessageBody: m.body })),
      })
    );
    const failed = (out.Failed ?? []).map((f) => ({
      id: f.Id ?? '',
      reason: `${f.Code ?? 'error'}: ${f.Message ?? 'no message'}${f.SenderFault ? ' (sender fault)' : ''}`,
    }));
    // An entry SQS neither took nor refused is not sent either.
    const answered = new Set([
      ...(out.Successful ?? []).map((s) => s.Id),
      ...failed.map((f) => f.id),
    ]);
    const unanswered = messages
      .filter((m) => !answered.has(m.id))
      .map((m) => ({ id: m.id, reason: 'not in the answer of SendMessageBatch' }));
    return [...failed, ...unanswered];
  }
}
