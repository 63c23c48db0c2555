import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertJson } from '../../../../lambdas/core/common/alert-json.ts';
import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { ALERT_JSON_MAX_BYTES, renderAlertJson } from '../../../../lambdas/core/delivery/render.ts';
import { testAlertMessage } from '../../../../lambdas/core/delivery/test-alert.ts';
import {
  ALERT_ID_HEADER,
  CHAT_MAX_SOURCES,
  parseWebhookSecret,
  SIGNATURE_HEADER,
  signatureOf,
  slackMessage,
  TIMESTAMP_HEADER,
  teamsMessage,
  verifySignature,
  webhookFlavour,
  webhookRequest,
} from '../../../../lambdas/core/delivery/webhook.ts';
import { fixturePath } from '../../../helpers/fixtures.ts';
import { seedAlerts } from './fixtures.ts';

const alert: Alert = JSON.parse(readFileSync(fixturePath('alerts/kharkiv-new.json'), 'utf8'));
const NOW = 1_795_000_000;

describe('Function: webhookFlavour', () => {
  it.each([
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'slack'],
    ['https://example.webhook.office.com/webhookb2/abc', 'teams'],
    [
      'https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke',
      'teams',
    ],
    ['https://default1234.56.environment.api.powerplatform.com/powerautomate/automations', 'teams'],
    ['https://siem.example.org/hooks/newsalert', 'json'],
    ['https://hooks.slack.com.evil.example/services/x', 'json'],
    ['https://notoffice.com/x', 'json'],
  ])('reads %s as %s', (url, flavour) => {
    expect(webhookFlavour(url)).toBe(flavour);
  });
});

describe('Function: parseWebhookSecret', () => {
  it('takes the URL alone or a JSON object with url and signingKey', () => {
    expect(parseWebhookSecret(' https://a.example/x \n')).toEqual({ url: 'https://a.example/x' });
    expect(parseWebhookSecret('{"url": "https://a.example/x", "signingKey": "k"}')).toEqual({
      url: 'https://a.example/x',
      signingKey: 'k',
    });
  });

  it('fails on http unless allowed, on no URL, and never repeats the value', () => {
    const secret = 'http://hooks.example/T0/SECRETPATH';
    expect(() => parseWebhookSecret(secret)).toThrow('the webhook URL must use https, got http');
    expect(parseWebhookSecret(secret, true)).toEqual({ url: secret });
    for (const bad of [
      'not a url SECRETPATH',
      '{"uri": "SECRETPATH"}',
      '{SECRETPATH',
      '{"url": "https://a/", "signingKey": 3}',
    ]) {
      expect(() => parseWebhookSecret(bad)).toThrow();
      try {
        parseWebhookSecret(bad);
      } catch (err) {
        expect((err as Error).message).not.toContain('SECRETPATH');
      }
    }
  });
});

describe('Function: webhookRequest', () => {
  it('sends the alert itself as JSON, with its id, signed over timestamp and body', () => {
    // Act
    const request = webhookRequest(
      alert,
      { url: 'https://siem.example.org/in', signingKey: 'k3y' },
      NOW
    );

    // Assess
    expect(request.flavour).toBe('json');
    expect(JSON.parse(request.body)).toEqual(alert);
    expect(request.headers[ALERT_ID_HEADER]).toBe(alert.id);
    expect(request.headers[TIMESTAMP_HEADER]).toBe(String(NOW));
    expect(request.headers[SIGNATURE_HEADER]).toBe(`v1=${signatureOf(request.body, 'k3y', NOW)}`);
    const headers = {
      signature: request.headers[SIGNATURE_HEADER],
      timestamp: request.headers[TIMESTAMP_HEADER],
    };
    expect(verifySignature(request.body, headers, 'k3y', NOW + 10)).toBe(true);
  });

  it('fails the check for another body, key or a stale timestamp', () => {
    const request = webhookRequest(alert, { url: 'https://a.example/', signingKey: 'k3y' }, NOW);
    const headers = {
      signature: request.headers[SIGNATURE_HEADER],
      timestamp: request.headers[TIMESTAMP_HEADER],
    };
    expect(verifySignature(`${request.body} `, headers, 'k3y', NOW)).toBe(false);
    expect(verifySignature(request.body, headers, 'other', NOW)).toBe(false);
    expect(verifySignature(request.body, headers, 'k3y', NOW + 301)).toBe(false);
    expect(
      verifySignature(request.body, { ...headers, timestamp: String(NOW + 1) }, 'k3y', NOW)
    ).toBe(false);
    expect(verifySignature(request.body, {}, 'k3y', NOW)).toBe(false);
  });

  it('sends no signature headers without a key', () => {
    const request = webhookRequest(alert, { url: 'https://a.example/' }, NOW);
    expect(request.headers[SIGNATURE_HEADER]).toBeUndefined();
    expect(request.headers[TIMESTAMP_HEADER]).toBeUndefined();
  });
});

describe('Function: slackMessage', () => {
  it('shows headline, severity, places, figures and linked sources in Block Kit', () => {
    // Act
    const request = webhookRequest(alert, { url: 'https://hooks.slack.com/services/T/B/X' }, NOW);
    const body = JSON.parse(request.body);

    // Assess
    expect(request.flavour).toBe('slack');
    expect(body.text).toBe('ALERT CRITICAL: Missile strike on Kharkiv apartment block kills 12');
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: body.text, emoji: false },
    });
    const text = JSON.stringify(body.blocks);
    expect(text).toContain('*Severity*\\ncritical');
    expect(text).toContain('*Where*\\nKharkiv, Ukraine');
    expect(text).toContain('*How bad*\\n11 to 12 killed, 35 to 40 injured');
    expect(text).toContain(
      '<https://kyivindependent.com/russian-missile-strike-kharkiv-12-killed/|Russian missile strike on Kharkiv kills 12, injures 40> (Kyiv Independent, 2026-11-22 03:41 UTC)'
    );
  });

  it('escapes Slack control characters and keeps within block limits', () => {
    // Prepare
    const many = {
      ...alert,
      headline: 'Clashes <@channel> & strikes '.repeat(20),
      sources: Array.from({ length: 30 }, (_, i) => ({
        ...(alert.sources[0] as Alert['sources'][number]),
        title: `Report ${i} <b>|x`,
      })),
    };

    // Act
    const body = slackMessage(many) as {
      text: string;
      blocks: Array<{ text?: { text?: string } }>;
    };

    // Assess
    // Assess: mrkdwn text escaped (the header is plain_text: shown as written, never a mention)
    const text = JSON.stringify({ text: body.text, blocks: body.blocks.slice(1) });
    expect(text).not.toContain('<@channel>');
    expect(text).toContain('&lt;@channel&gt; &amp; strikes');
    expect(body.blocks[0]?.text?.text?.length).toBeLessThanOrEqual(150);
    const sources = body.blocks.find((b) => b.text?.text?.startsWith('*Sources (30)*'));
    expect(sources?.text?.text).toContain(`and ${30 - CHAT_MAX_SOURCES} more`);
    expect(sources?.text?.text).toContain('|Report 0 &lt;b&gt;/x>');
  });

  it('says what changed for an update', () => {
    const [, update] = seedAlerts();
    const text = JSON.stringify(slackMessage(update));
    expect(text).toContain('*What changed*');
    expect(text).toContain('UPDATE');
  });
});

describe('Function: teamsMessage', () => {
  it('posts one Adaptive Card with the facts and the sources as links', () => {
    const request = webhookRequest(alert, { url: 'https://x.webhook.office.com/webhookb2/1' }, NOW);
    const body = JSON.parse(request.body);
    expect(request.flavour).toBe('teams');
    expect(body.type).toBe('message');
    const card = body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(card.content.body[1].facts).toContainEqual({
      title: 'Where',
      value: 'Kharkiv, Ukraine',
    });
    expect(JSON.stringify(card.content.body)).toContain(
      '[Kharkiv: At least 11 killed as missile hits apartment block](https://www.bbc.co.uk/news/articles/c0kharkiv11)'
    );
    expect(card.content.actions[0].url).toMatch(/^https:\/\//);
    expect(teamsMessage(alert)).toEqual(body);
  });
});

describe('Function: parseAlertJson', () => {
  it('reads an alert back, and names every wrong field of something else', () => {
    expect(parseAlertJson(JSON.stringify(alert))).toEqual(alert);
    expect(() => parseAlertJson('ALERT: plain text')).toThrow('not an alert in JSON');
    expect(() =>
      parseAlertJson(JSON.stringify({ ...alert, kind: 'x', places: 'Kharkiv' }))
    ).toThrow('not an alert: kind must be "new" or "update"; places must be a list of strings');
  });
});

describe('Function: renderAlertJson', () => {
  it('keeps the whole alert, or the first sources that fit in one SNS message', () => {
    expect(renderAlertJson(alert)).toBe(JSON.stringify(alert));
    const huge = {
      ...alert,
      sources: Array.from({ length: 2000 }, (_, i) => ({
        ...(alert.sources[0] as Alert['sources'][number]),
        title: `Report number ${i} `.repeat(8),
      })),
    };
    const text = renderAlertJson(huge);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(ALERT_JSON_MAX_BYTES);
    const back = parseAlertJson(text);
    expect(back.sources.length).toBeGreaterThan(100);
    expect(back.sources[0]).toEqual(huge.sources[0]);
    expect({ ...back, sources: [] }).toEqual({ ...huge, sources: [] });
  });
});

describe('the send-test message, as a webhook function reads it', () => {
  it('carries an alert the webhook function parses, marked by its event id', () => {
    const message = testAlertMessage(new Date('2026-11-29T12:00:00Z'), 'NewsAlerts').message;
    const alert = parseAlertJson(message.lambda);
    expect(alert).toMatchObject({ eventId: 'test', severity: 'critical' });
    expect(alert.headline).toMatch(/^TEST/);
  });
});
