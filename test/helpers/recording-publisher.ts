import type { Alert } from '../../lambdas/core/common/types.ts';
import type { AlertPublisher } from '../../lambdas/ports.ts';

/** Records what was published; `failNext(n)` makes the next n publishes throw, like a throttled SNS. */
export class RecordingPublisher implements AlertPublisher {
  readonly sent: Alert[] = [];
  private failures = 0;

  failNext(times = 1): this {
    this.failures += times;
    return this;
  }

  async publish(alert: Alert): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('injected fault: sns publish throttled');
    }
    this.sent.push(alert);
  }
}
