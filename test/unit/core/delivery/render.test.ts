import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Alert, SEVERITIES } from '../../../../lambdas/core/common/types.ts';
import {
  alertAttributes,
  renderAlert,
  SUBJECT_MAX,
  snsMessageAttributes,
} from '../../../../lambdas/core/delivery/render.ts';
import { SMS_MAX } from '../../../../lambdas/core/delivery/sms.ts';
import { gsm7Septets, isGsm7BasicOnly } from '../../../../lambdas/core/delivery/transliterate.ts';
import { seedAlerts } from './fixtures.ts';

const isPrintableAscii = (s: string) => /^[\x20-\x7E]*$/.test(s);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL_EXCEPT_NEWLINE = /[\x00-\x09\x0B-\x1F\x7F-\x9F]/;

const assertChannelLimits = (alert: Alert) => {
  const rendered = renderAlert(alert);
  expect(isPrintableAscii(rendered.subject)).toBe(true);
  expect(rendered.subject.length).toBeLessThanOrEqual(SUBJECT_MAX);
  expect(rendered.subject.length).toBeLessThan(100);
  expect(rendered.subject.length).toBeGreaterThan(0);
  expect(isGsm7BasicOnly(rendered.sms)).toBe(true);
  expect(gsm7Septets(rendered.sms)).toBeLessThanOrEqual(SMS_MAX);
  expect(rendered.sms).not.toMatch(/[\r\n]/);
  expect(rendered.default).not.toMatch(/[\r\n]/);
  expect(rendered.default).not.toMatch(CONTROL_EXCEPT_NEWLINE);
  expect(rendered.email).not.toMatch(CONTROL_EXCEPT_NEWLINE);
  return rendered;
};

describe('Function: renderAlert', () => {
  describe('the seed alerts', () => {
    it('render a new alert for every channel', () => {
      // Prepare
      const [created] = seedAlerts();

      // Act
      const rendered = assertChannelLimits(created);

      // Assess
      expect(rendered.subject).toBe(
        '[CRITICAL] Syrian opposition breaches Aleppo after car bombs, clashes kill some 200'
      );
      expect(rendered.sms).toBe(
        'ALERT CRITICAL: Syrian opposition breaches Aleppo after car bombs, clashes kill some 200 - 200 killed - Aleppo, Syria'
      );
      expect(rendered.default).toBe(
        'ALERT (critical): Syrian opposition breaches Aleppo after car bombs, clashes kill some 200 - Aleppo, Syria - 200 killed - https://www.worthynews.example/aleppo-breached'
      );
    });

    it('render a complete email for the update: what, where, how bad, sources, why, when', () => {
      // Prepare
      const [, update] = seedAlerts();

      // Act
      const { email, subject, sms } = assertChannelLimits(update);

      // Assess
      expect(subject).toBe(
        '[CRITICAL] Update: Insurgents launch major offensive, push into outskirts of Aleppo'
      );
      expect(sms).toMatch(/^UPDATE CRITICAL: Insurgents launch major offensive/);
      expect(sms).toContain(' - confirmed by Second Outlet; now also Idlib - 12-200 killed - ');
      const lines = email.split('\n');
      expect(lines[0]).toBe('UPDATE on an escalation event, severity critical');
      expect(lines).toContain('Insurgents launch major offensive, push into outskirts of Aleppo');
      expect(lines).toContain(
        'What:      bombing, offensive, armed clash, air strike, city breached'
      );
      expect(lines).toContain('Where:     Aleppo, Idlib, Syria');
      expect(lines).toContain(
        'How bad:   12 to 200 killed as reported (figures differ between sources)'
      );
      expect(lines).toContain('Severity:  critical');
      expect(lines).toContain('What changed since the last alert:');
      expect(lines).toContain(
        '  - first independent corroboration: Second Outlet confirms Worthy News'
      );
      expect(lines).toContain('  - new place: Idlib');
      expect(lines).toContain('Sources (2):');
      expect(lines).toContain('  1. Worthy News, 2024-11-29 14:00 UTC');
      expect(lines).toContain('     https://www.worthynews.example/aleppo-breached');
      expect(lines).toContain('  2. Second Outlet, 2024-11-29 17:30 UTC');
      expect(lines).toContain('     https://second-outlet.example/world/aleppo-offensive');
      expect(lines).toContain(
        '  Rules matched: air-strike, armed-clash, car-bomb, city-breached, mass-casualties, offensive'
      );
      expect(lines).toContain('First seen: 2024-11-29 14:00 UTC');
      expect(lines).toContain('Last seen:  2024-11-29 17:30 UTC');
      expect(lines).toContain(`Event: ${update.eventId}   Alert: ${update.eventId}:2`);
    });
  });

  describe('channel limits', () => {
    it('keeps a long non-ASCII headline within one GSM-7 segment and an ASCII subject', () => {
      // Prepare
      const [created] = seedAlerts();
      const alert: Alert = {
        ...created,
        headline:
          '“Ofensiva” rebelde en Alepo – coches bomba {dos} [al menos] 200 muertos… ‘Ñandú’ ' +
          'Türkiye’s Anadolu: Şanlıurfa, Kraków, Київ, Ελλάδα, 北京 — çà et là € 50 ~ | ^ \\ ' +
          'and a great deal more text that could never fit into one short message at all',
        places: ['Alepo', 'Saraqeb', 'Sūriyā'],
      };

      // Act
      const rendered = assertChannelLimits(alert);

      // Assess
      expect(rendered.sms).toMatch(
        /^ALERT CRITICAL: "Ofensiva" rebelde en Alepo - coches bomba \(dos\)/
      );
      expect(rendered.sms).toContain('...');
      expect(rendered.subject).toMatch(
        /^\[CRITICAL\] "Ofensiva" rebelde en Alepo - coches bomba \{dos\} \[al menos\] 200 muertos\.\.\./
      );
    });

    it('builds the headline from the facts when the title has no letters a channel can carry', () => {
      // Prepare
      const [created] = seedAlerts();
      const alert: Alert = { ...created, headline: 'هجوم على حلب' };

      // Act
      const rendered = assertChannelLimits(alert);

      // Assess
      expect(rendered.subject).toBe('[CRITICAL] City breached in Aleppo, Syria: 200 killed');
      expect(rendered.sms).toMatch(/^ALERT CRITICAL: City breached in Aleppo, Syria: 200 killed -/);
    });

    it('renders only http(s) links', () => {
      // Prepare
      const [created] = seedAlerts();
      const base = created.sources[0];
      if (!base) throw new Error('fixture has a source');
      const alert: Alert = {
        ...created,
        sources: [
          { ...base, itemId: 'a', link: 'javascript:alert(1)' },
          { ...base, itemId: 'b', link: 'ftp://files.example/report.txt' },
          { ...base, itemId: 'c', link: 'data:text/html,<script>x</script>' },
          { ...base, itemId: 'd', link: 'https://user:secret@evil.example/' },
        ],
      };

      // Act
      const rendered = assertChannelLimits(alert);

      // Assess
      for (const text of [rendered.email, rendered.sms, rendered.default]) {
        expect(text).not.toMatch(/javascript:|ftp:|data:|secret/);
      }
    });

    it('strips bidi controls and escape sequences itself, whatever its input', () => {
      // Prepare: an alert built without the feed cleaners, overrides and isolates everywhere
      const [created] = seedAlerts();
      const base = created.sources[0];
      if (!base) throw new Error('fixture has a source');
      const spoof = (text: string) => `\u202E${text}\u2066\u202D\u001b[31m\u009b2J\u2069\u202C`;
      const alert: Alert = {
        ...created,
        headline: spoof(created.headline),
        summary: spoof(created.summary),
        places: created.places.map(spoof),
        categories: created.categories.map(spoof),
        rules: created.rules.map(spoof),
        sources: [{ ...base, title: spoof(base.title), outlet: spoof(base.outlet) }],
      };

      // Act
      const rendered = assertChannelLimits(alert);

      // Assess
      for (const text of Object.values(rendered)) {
        expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
        expect(text.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u);
      }
      expect(rendered.email).toContain(created.headline);
    });

    it('holds for any headline, places, categories, titles and links (property)', () => {
      // Prepare
      const [created] = seedAlerts();
      const text = fc.string({ unit: 'binary', maxLength: 400 });
      const arbitraryAlert = fc.record({
        headline: text,
        summary: text,
        places: fc.array(text, { maxLength: 6 }),
        categories: fc.array(text, { maxLength: 6 }),
        rules: fc.array(text, { maxLength: 6 }),
        reasons: fc.array(text, { maxLength: 4 }),
        severity: fc.constantFrom(...SEVERITIES),
        kind: fc.constantFrom('new' as const, 'update' as const),
        killed: fc.option(fc.tuple(fc.nat(100_000), fc.nat(100_000))),
        sources: fc.array(
          fc.record({
            outlet: text,
            title: text,
            link: fc.oneof(fc.webUrl(), text),
            time: fc.oneof(text, fc.constant('2024-11-29T14:00:00.000Z')),
            itemId: text,
          }),
          { maxLength: 5 }
        ),
      });

      // Act + Assess
      fc.assert(
        fc.property(arbitraryAlert, (a) => {
          const alert: Alert = {
            ...created,
            ...a,
            casualties: a.killed
              ? {
                  killed: {
                    min: Math.min(...a.killed),
                    max: Math.max(...a.killed),
                  },
                }
              : {},
          };
          assertChannelLimits(alert);
        }),
        { numRuns: 100 }
      );
    });
  });
});

describe('Function: alertAttributes', () => {
  it('gives severity, kind, places, countries and categories for subscription filter policies', () => {
    // Prepare
    const [, update] = seedAlerts();

    // Act
    const attributes = alertAttributes({
      ...update,
      places: [...update.places, 'Aleppo', ' '],
      countries: ['Syria'],
      categories: ['airstrike', 'airstrike', 'shelling'],
    });

    // Assess
    expect(attributes).toEqual({
      severity: 'critical',
      kind: 'update',
      places: ['Aleppo', 'Idlib', 'Syria'],
      countries: ['Syria'],
      categories: ['airstrike', 'shelling'],
      sms: 'send',
    });
  });

  it('takes the places that are countries when the alert carries no countries', () => {
    // Prepare
    const [, update] = seedAlerts();

    // Act
    const attributes = alertAttributes({ ...update, places: ['Kharkiv', 'Ukraine'] });

    // Assess
    expect(attributes.countries).toEqual(['Ukraine']);
  });

  it('always sends every attribute: "none" when empty, "held" for an update held from SMS', () => {
    // Prepare
    const [, update] = seedAlerts();

    // Act
    const attributes = alertAttributes({
      ...update,
      places: [' '],
      countries: [],
      categories: [],
      smsHeld: true,
    });

    // Assess
    expect(attributes).toEqual({
      severity: 'critical',
      kind: 'update',
      places: ['none'],
      countries: ['none'],
      categories: ['none'],
      sms: 'held',
    });
  });
});

describe('Function: snsMessageAttributes', () => {
  it('gives strings as String and lists as String.Array attributes', () => {
    expect(snsMessageAttributes({ kind: 'new', places: ['Kharkiv', 'Ukraine'] })).toEqual({
      kind: { DataType: 'String', StringValue: 'new' },
      places: { DataType: 'String.Array', StringValue: '["Kharkiv","Ukraine"]' },
    });
  });
});
