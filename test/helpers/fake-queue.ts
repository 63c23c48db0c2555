import type { QueueMessage, QueueSender, QueueSendFailure } from '../../lambdas/ports.ts';

/**
 * A QueueSender that keeps every batch it was handed and takes the messages it is not told to
 * refuse: `refuse(id, times)` refuses a message that many sends, `failRequests(n)` fails the next
 * n requests whole.
 */
export class FakeQueue implements QueueSender {
  readonly maxBatchSize = 10;
  readonly batches: QueueMessage[][] = [];
  /** The messages taken, in order. */
  readonly taken: QueueMessage[] = [];
  private readonly refusals = new Map<string, number>();
  private failingRequests = 0;

  refuse(id: string, times = Number.POSITIVE_INFINITY): this {
    this.refusals.set(id, times);
    return this;
  }

  failRequests(n: number): this {
    this.failingRequests = n;
    return this;
  }

  async sendBatch(messages: readonly QueueMessage[]): Promise<QueueSendFailure[]> {
    this.batches.push([...messages]);
    if (this.failingRequests > 0) {
      this.failingRequests -= 1;
      throw new Error('connect ETIMEDOUT');
    }
    const failures: QueueSendFailure[] = [];
    for (const message of messages) {
      const left = this.refusals.get(message.id) ?? 0;
      if (left > 0) {
        this.refusals.set(message.id, left - 1);
        failures.push({ id: message.id, reason: 'InternalError: try again' });
      } else {
        this.taken.push(message);
      }
    }
    return failures;
  }
}
