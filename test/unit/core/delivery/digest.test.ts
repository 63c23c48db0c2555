import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert, Severity } from '../../../../lambdas/core/common/types.ts';
import {
  DIGEST_MAX_EVENTS,
  digestEvents,
  inGroup,
  parseDigestGroups,
  renderDigest,
} from '../../../../lambdas/core/delivery/digest.ts';
import { fixturePath } from '../../../helpers/fixtures.ts';

const alert: Alert = JSON.parse(readFileSync(fixturePath('alerts/kharkiv-new.json'), 'utf8'));

describe('Function: parseDigestGroups', () => {
  it('reads the groups the construct passes', () => {
    const groups = [
      { id: 'all' },
      { id: 'ua', minSeverity: 'high', countries: ['Ukraine'], categories: ['armed-attack'] },
    ];
    expect(parseDigestGroups(JSON.stringify(groups))).toEqual(groups);
  });

  it('fails naming every problem', () => {
    expect(() =>
      parseDigestGroups(
        JSON.stringify([
          { id: 'a b' },
          { id: 'x', minSeverity: 'none' },
          { id: 'x', countries: 'Ukraine' },
        ])
      )
    ).toThrow(
      "bad digest groups: group 1: id must be 1 to 64 letters, digits, . _ or -; group 2: minSeverity must be low, medium, high or critical; group 3: id 'x' is used twice; group 3: countries must be a list of non-empty strings"
    );
    expect(() => parseDigestGroups('{}')).toThrow('digest groups must be a JSON array');
  });
});

describe('Function: renderDigest', () => {
  it('renders nothing for no events', () => {
    expect(renderDigest([], '2026-11-22')).toBeUndefined();
  });

  it('lists at most DIGEST_MAX_EVENTS events, the most severe first, and counts the rest', () => {
    // Prepare
    const alerts = Array.from({ length: DIGEST_MAX_EVENTS + 5 }, (_, i) => ({
      ...alert,
      id: `e${i}:1`,
      eventId: `e${i}`,
      headline: `Event number ${i}`,
      severity: (i === 64 ? 'critical' : 'low') as Severity,
    }));

    // Act
    const digest = renderDigest(digestEvents(alerts), '2026-11-22');

    // Assess
    expect(digest?.email).toContain('Event number 64');
    expect(digest?.email.indexOf('Event number 64')).toBeLessThan(
      digest?.email.indexOf('Event number 0') ?? 0
    );
    expect(digest?.email).toContain('... and 5 more events of lower severity');
    expect(digest?.sms).toMatch(
      /^NewsAlert digest 2026-11-22: 65 events \(1 critical, 64 low\)\. Top: Event number 64$/
    );
  });
});

describe('digest watchlists', () => {
  it('match the countries the alert carries, as the SNS countries attribute does', () => {
    const odesa = JSON.parse(
      readFileSync(fixturePath('digest/2026-11-22/odesa-1.json'), 'utf8')
    ) as Alert;
    // A place whose country the places list does not name
    const placed = { ...odesa, places: ['Odesa'], countries: ['Ukraine'] };
    const [event] = digestEvents([placed]);
    if (!event) throw new Error('no event');
    expect(inGroup(event, { id: 'ua', countries: ['Ukraine'] })).toBe(true);
    expect(inGroup(event, { id: 'sy', countries: ['Syria'] })).toBe(false);
  });
});
