import { readFileSync } from 'node:fs';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// The handler module builds its default dependencies at import: give it its environment first.
vi.hoisted(() => {
  process.env.WEBHOOK_SECRET_ID = 'newsalert/test';
  process.env.AWS_REGION = 'us-east-1';
});

import { httpWebhookPoster } from '../../../lambdas/adapters/webhook-poster.ts';
import type { Alert } from '../../../lambdas/core/common/types.ts';
import { renderAlertJson } from '../../../lambdas/core/delivery/render.ts';
import { verifySignature, type WebhookRequest } from '../../../lambdas/core/delivery/webhook.ts';
import { makeHandler, type WebhookHandlerDeps } from '../../../lambdas/deliver-webhook/handler.ts';
import type { SecretReader } from '../../../lambdas/ports.ts';
import { errorRecorder } from '../../helpers/error-recorder.ts';
import { fixturePath } from '../../helpers/fixtures.ts';
import { rejected } from '../../helpers/thrown.ts';
import { WebhookServer } from '../../helpers/webhook-server.ts';

const alert: Alert = JSON.parse(readFileSync(fixturePath('alerts/kharkiv-new.json'), 'utf8'));
const NOW = new Date('2026-11-22T04:00:10Z');
const KEY = 'whsec-test-key';

/** The event SNS gives a subscribed function: the `lambda` text of the published message. */
const snsEvent = (message = renderAlertJson(alert)): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:alerts:1b2c',
      Sns: {
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
        Subject: 'x',
        Message: message,
        Timestamp: NOW.toISOString(),
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    },
  ],
});

const fakeSecrets = (values: Record<string, string>): SecretReader & { reads: string[] } => {
  const reads: string[] = [];
  return {
    reads,
    get: async (id) => {
      reads.push(id);
      const value = values[id];
      if (value === undefined) throw new Error(`ResourceNotFoundException: ${id}`);
      return value;
    },
  };
};

describe('Handler: deliver-webhook (loopback endpoint)', () => {
  const server = new WebhookServer();
  let url: string;
  let waits: number[];

  beforeAll(async () => {
    url = `${await server.start()}/hooks/T0/SECRETPATH`;
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    waits = [];
  });

  const deps = (overrides: Partial<WebhookHandlerDeps> = {}) => {
    const recorder = errorRecorder();
    return {
      recorder,
      deps: {
        secrets: fakeSecrets({ 'newsalert/siem': url, 'newsalert/siem-key': `${KEY}\n` }),
        poster: httpWebhookPoster({
          timeoutMs: 300,
          baseDelayMs: 100,
          sleep: async (ms) => {
            waits.push(ms);
          },
        }),
        clock: { now: () => NOW },
        logger: recorder.logger,
        secretId: 'newsalert/siem',
        signingSecretId: 'newsalert/siem-key',
        allowHttp: true,
        ...overrides,
      } satisfies WebhookHandlerDeps,
    };
  };

  it('POSTs the alert as JSON with a signature the receiver can verify', async () => {
    // Prepare
    server.script({ status: 204 });

    // Act
    await makeHandler(deps().deps)(snsEvent());

    // Assess
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/T0/SECRETPATH');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.headers['x-newsalert-alert-id']).toBe(alert.id);
    expect(JSON.parse(request?.body ?? '')).toEqual(alert);
    const signed = {
      signature: String(request?.headers['x-newsalert-signature']),
      timestamp: String(request?.headers['x-newsalert-timestamp']),
    };
    expect(signed.timestamp).toBe(String(NOW.getTime() / 1000));
    expect(verifySignature(request?.body ?? '', signed, KEY, NOW.getTime() / 1000 + 5)).toBe(true);
    expect(verifySignature(request?.body ?? '', signed, 'wrong', NOW.getTime() / 1000)).toBe(false);
  });

  it('retries 5xx and network timeouts with exponential backoff, then succeeds', async () => {
    // Prepare
    server.script(
      { status: 503 },
      { status: 200, delayMs: 1000 },
      { status: 502 },
      { status: 200 }
    );

    // Act
    await makeHandler(deps().deps)(snsEvent());

    // Assess: four attempts, waits doubling
    expect(server.received).toHaveLength(4);
    expect(waits).toEqual([100, 200, 400]);
    expect(new Set(server.received.map((r) => r.body)).size).toBe(1);
  });

  it('honours Retry-After on 429, in seconds or as a date', async () => {
    // Prepare
    server.script(
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } },
      { status: 200 }
    );

    // Act
    await makeHandler(
      deps({
        poster: httpWebhookPoster({
          baseDelayMs: 100,
          budgetMs: 600_000,
          sleep: async (ms) => {
            waits.push(ms);
          },
        }),
      }).deps
    )(snsEvent());

    // Assess
    expect(server.received).toHaveLength(3);
    expect(waits[0]).toBe(3000);
    expect(waits[1]).toBeGreaterThan(55_000);
    expect(waits[1]).toBeLessThanOrEqual(60_000);
  });

  it('throws when the endpoint keeps failing, so Lambda retries and then queues the alert', async () => {
    // Prepare
    server.script({ status: 500, body: 'upstream down' });
    const { deps: d, recorder } = deps();

    // Act
    const err = await rejected(() => makeHandler(d)(snsEvent()));

    // Assess: every attempt made, the error names the answer but never the URL's secret path
    expect(server.received).toHaveLength(4);
    expect(String(err)).toContain(
      'webhook delivery failed after 4 attempts: the endpoint answered 500: upstream down'
    );
    expect(recorder.errors).toHaveLength(1);
    expect(JSON.stringify(recorder.errors)).not.toContain('SECRETPATH');
    expect(String(err)).not.toContain('SECRETPATH');
    expect(recorder.errors[0]?.extra).toMatchObject({
      alert: alert.id,
      host: new URL(url).hostname,
    });
  });

  it('does not retry other 4xx answers', async () => {
    // Prepare
    server.script({ status: 404, body: 'no_service' });

    // Act
    const err = await rejected(() => makeHandler(deps().deps)(snsEvent()));

    // Assess
    expect(server.received).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(String(err)).toContain('the endpoint answered 404: no_service (not retried)');
  });

  it('stops retrying when the next attempt would overrun its time budget', async () => {
    server.script({ status: 503, headers: { 'retry-after': '120' } });
    const err = await rejected(() => makeHandler(deps().deps)(snsEvent()));
    expect(server.received).toHaveLength(1);
    expect(String(err)).toContain('after 1 attempt: the endpoint answered 503');
  });

  it('fails on a message that is not an alert, and on a missing secret, before any POST', async () => {
    server.script({ status: 200 });
    expect(String(await rejected(() => makeHandler(deps().deps)(snsEvent('hello'))))).toContain(
      'not an alert in JSON'
    );
    expect(
      String(await rejected(() => makeHandler(deps({ secretId: 'missing' }).deps)(snsEvent())))
    ).toContain('ResourceNotFoundException');
    expect(server.received).toHaveLength(0);
  });

  it('refuses an http URL in production (https only by default)', async () => {
    const err = await rejected(() => makeHandler(deps({ allowHttp: false }).deps)(snsEvent()));
    expect(String(err)).toContain('the webhook URL must use https');
    expect(String(err)).not.toContain('SECRETPATH');
  });

  it('sends a Slack message to a Slack incoming webhook, with the key from the URL secret', async () => {
    // Prepare: a recording poster (a Slack host cannot be served on loopback)
    const posted: Array<[string, WebhookRequest]> = [];
    const slackUrl = 'https://hooks.slack.com/services/T0/B0/SECRET';
    const { deps: d } = deps({
      secrets: fakeSecrets({ slack: JSON.stringify({ url: slackUrl, signingKey: KEY }) }),
      secretId: 'slack',
      poster: {
        post: async (u, r) => {
          posted.push([u, r]);
          return { status: 200, attempts: 1 };
        },
      },
      allowHttp: false,
    });
    delete (d as { signingSecretId?: string }).signingSecretId;

    // Act
    await makeHandler(d)(snsEvent());

    // Assess
    expect(posted).toHaveLength(1);
    const [u, request] = posted[0] ?? [];
    expect(u).toBe(slackUrl);
    expect(request?.flavour).toBe('slack');
    const body = JSON.parse(request?.body ?? '');
    expect(body.blocks[0].type).toBe('header');
    expect(body.text).toContain('Missile strike on Kharkiv');
    expect(request?.headers['x-newsalert-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
  });
});
