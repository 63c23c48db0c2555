import type { Alert } from '../core/common/types.ts';
import { renderAlert } from '../core/delivery/render.ts';
import type { AlertPublisher } from '../ports.ts';

/**
 * The local stand-in for SNS: writes each alert to an output stream, as the email and the SMS a
 * subscriber would read, or as an `alert` JSON line with `json: true` (docs/ARCHITECTURE.md,
 * "The CLI contract").
 */
export class ConsolePublisher implements AlertPublisher {
  constructor(
    private readonly write: (text: string) => void,
    private readonly json = false
  ) {}

  async publish(alert: Alert): Promise<void> {
    if (this.json) {
      this.write(`${JSON.stringify({ type: 'alert', ...alert })}\n`);
      return;
    }
    const rendered = renderAlert(alert);
    const rule = '='.repeat(72);
    this.write(
      `${rule}\n${rendered.subject}\n${rule}\n${rendered.email.trimEnd()}\n\n${alert.smsHeld ? `SMS held (this event's updates reached SMS as often as an hour allows): ${rendered.sms}` : `SMS: ${rendered.sms}`}\n\n`
    );
  }
}
