/**
 * The test alert of `newsalert send-test`: one message marked TEST in every rendering, with
 * message attributes every subscription filter accepts (see TEST_VALUE), so a deployer sees each
 * channel deliver. Pure: the time is passed in.
 */
import type { Alert } from '../common/types.ts';
import { chatNotification } from './chat.ts';
import { TEST_VALUE } from './delivery-plan.ts';
import { snsMessageAttributes } from './render.ts';

export interface TestMessage {
  readonly subject: string;
  /** The `MessageStructure: 'json'` body: a rendering per protocol. */
  readonly message: {
    readonly default: string;
    readonly email: string;
    readonly sms: string;
    /** For AWS Chatbot (Slack, Teams): a custom notification. */
    readonly https: string;
    /** For the webhook functions: an alert in the alert shape, its event id `test`. */
    readonly lambda: string;
  };
  readonly attributes: ReturnType<typeof snsMessageAttributes>;
}

/** The test as an alert, for webhooks: a receiver tells it by its event id, `test`. */
const testAlert = (at: string, stack: string): Alert => ({
  id: `test:${at}`,
  kind: 'new',
  eventId: TEST_VALUE,
  severity: 'critical',
  headline: 'TEST newsalert: delivery check, no action needed',
  summary: `Stack ${stack} sent this test at ${at} (newsalert send-test): not a real alert.`,
  categories: [],
  places: [],
  casualties: {},
  sources: [],
  rules: [],
  reasons: ['a delivery check sent by newsalert send-test'],
  firstSeen: at,
  lastSeen: at,
});

/**
 * The test alert: severity critical (above every minimum), kind `test`, and `test` as its
 * places, countries and categories, which every watchlist filter also accepts.
 */
export const testAlertMessage = (now: Date, stack: string): TestMessage => {
  const at = now.toISOString();
  return {
    subject: 'TEST newsalert: delivery check, no action needed',
    message: {
      default: `TEST from newsalert (${stack}) at ${at}: a delivery check, not a real alert.`,
      email: [
        'TEST - this is not a real alert.',
        '',
        `newsalert stack ${stack} sent this test at ${at} (newsalert send-test) to check that`,
        'every subscription delivers. Every subscriber receives it, whatever their minimum',
        'severity, countries or categories. No action is needed.',
        '',
      ].join('\n'),
      sms: `TEST newsalert ${stack}: delivery check at ${at.slice(0, 16)}Z, not a real alert`,
      https: chatNotification(
        'TEST newsalert: delivery check, no action needed',
        `Stack ${stack} sent this test at ${at} (newsalert send-test): not a real alert.`,
        ['test']
      ),
      lambda: JSON.stringify(testAlert(at, stack)),
    },
    attributes: snsMessageAttributes({
      severity: 'critical',
      kind: TEST_VALUE,
      places: [TEST_VALUE],
      countries: [TEST_VALUE],
      categories: [TEST_VALUE],
      sms: 'send',
    }),
  };
};

/** The same, for the digest topic: every digest group's filter accepts `digestGroup = test`. */
export const testDigestMessage = (now: Date, stack: string): TestMessage => {
  const alert = testAlertMessage(now, stack);
  return {
    subject: 'TEST newsalert daily digest: delivery check, no action needed',
    message: {
      ...alert.message,
      email: alert.message.email.replace('every subscription', 'every daily digest subscription'),
    },
    attributes: snsMessageAttributes({ digestGroup: TEST_VALUE, kind: TEST_VALUE }),
  };
};
