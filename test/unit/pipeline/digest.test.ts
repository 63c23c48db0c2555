import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import type { Alert } from '../../../lambdas/core/common/types.ts';
import type { DigestGroup, RenderedDigest } from '../../../lambdas/core/delivery/digest.ts';
import { SMS_MAX } from '../../../lambdas/core/delivery/sms.ts';
import { gsm7Septets } from '../../../lambdas/core/delivery/transliterate.ts';
import { sendDigests } from '../../../lambdas/pipeline/digest.ts';
import { alertKey } from '../../../lambdas/pipeline/keys.ts';
import type { DigestPublisher } from '../../../lambdas/ports.ts';
import { errorRecorder } from '../../helpers/error-recorder.ts';
import { fixturePath } from '../../helpers/fixtures.ts';

/** The alerts recorded on 2026-11-22, as the classifier records them (alertKey). */
const recordedDay = async (): Promise<MemoryObjectStore> => {
  const store = new MemoryObjectStore();
  const dir = fixturePath('digest/2026-11-22');
  for (const name of readdirSync(dir)) {
    const body = readFileSync(join(dir, name), 'utf8');
    const alert = JSON.parse(body) as Alert;
    await store.put(alertKey(alert.id, new Date(alert.lastSeen)), body);
  }
  return store;
};

const recordingPublisher = (): DigestPublisher & { sent: Map<string, RenderedDigest> } => {
  const sent = new Map<string, RenderedDigest>();
  return {
    sent,
    publish: async (group, digest) => {
      sent.set(group, digest);
    },
  };
};

const NEXT_MORNING = new Date('2026-11-23T07:00:00Z');

const run = async (store: MemoryObjectStore, groups: DigestGroup[], at = NEXT_MORNING) => {
  const publisher = recordingPublisher();
  const summary = await sendDigests({
    store,
    publisher,
    clock: { now: () => at },
    logger: silentLogger,
    groups,
  });
  return { summary, sent: publisher.sent };
};

describe('Flow: sendDigests', () => {
  it("sends the next day an alert filed under a day after that day's digest read it", async () => {
    // Prepare: the digest of the 22nd ran; then an alert about a report of the 22nd was sent
    const store = await recordedDay();
    await run(store, [{ id: 'everything' }]);
    const late: Alert = JSON.parse(
      readFileSync(fixturePath('digest/2026-11-22/odesa-1.json'), 'utf8')
    );
    const lateAlert = {
      ...late,
      id: 'evt-2026-11-22-late:1',
      eventId: 'evt-2026-11-22-late',
      headline: 'Shelling of a border village kills 3',
    };
    await store.put(
      alertKey(lateAlert.id, new Date(lateAlert.lastSeen)),
      JSON.stringify(lateAlert)
    );

    // Act: the digest of the 23rd (nothing filed for the 23rd itself)
    const { summary, sent } = await run(
      store,
      [{ id: 'everything' }],
      new Date('2026-11-24T07:00:00Z')
    );

    // Assess: the late alert is in it, the ones already sent are not
    expect(summary).toMatchObject({ day: '2026-11-23', alerts: 1, events: 1 });
    expect(sent.get('everything')?.email).toContain('Shelling of a border village kills 3');
    expect(sent.get('everything')?.email).not.toContain('Kharkiv');
  });

  it("sends the previous day's events by severity then region, with the latest figures and links", async () => {
    // Act
    const { summary, sent } = await run(await recordedDay(), [{ id: 'everything' }]);

    // Assess
    expect(summary).toEqual({
      day: '2026-11-22',
      alerts: 6,
      events: 5,
      sent: { everything: 5 },
      alreadySent: [],
    });
    const digest = sent.get('everything');
    expect(digest?.subject).toBe('NewsAlert digest 2026-11-22: 5 events');
    expect(digest?.email).toBe(
      [
        'NewsAlert daily digest for 2026-11-22 (UTC): 5 events (1 critical, 2 high, 1 medium, 1 low)',
        '',
        'CRITICAL',
        'Ukraine:',
        '  - Missile strike on Kharkiv apartment block kills 12',
        '    Armed attack | Kharkiv, Ukraine | 12 to 14 killed, 35 to 52 injured as last reported',
        '    3 sources, 2 alerts; first seen 2026-11-22 03:45 UTC, last report 2026-11-22 09:30 UTC',
        '    https://kyivindependent.com/russian-missile-strike-kharkiv-12-killed/',
        '    https://www.bbc.co.uk/news/articles/c0kharkiv11',
        '    https://www.reuters.com/world/europe/kharkiv-toll-14-2026-11-22/',
        '',
        'HIGH',
        'Sudan:',
        '  - RSF shelling of El Fasher kills 20',
        '    Armed attack | El Fasher, Sudan | 18 to 20 killed as last reported',
        '    2 sources, 1 alert; first seen 2026-11-22 12:05 UTC, last report 2026-11-22 12:45 UTC',
        '    https://sudantribune.com/article/el-fasher-20',
        '    https://www.aljazeera.com/news/2026/11/22/el-fasher',
        'Ukraine:',
        '  - Drone attack on Odesa port injures 6',
        '    Armed attack | Odesa, Ukraine | 6 injured as last reported',
        '    1 source, 1 alert; first seen 2026-11-22 01:15 UTC, last report 2026-11-22 01:15 UTC',
        '    https://www.pravda.com.ua/eng/news/2026/11/22/odesa/',
        '',
        'MEDIUM',
        'Syria:',
        '  - Clashes reported on the outskirts of Aleppo',
        '    Clashes | Aleppo, Syria | no casualty figures reported',
        '    1 source, 1 alert; first seen 2026-11-22 16:05 UTC, last report 2026-11-22 16:05 UTC',
        '    https://english.enabbaladi.net/archives/2026/11/aleppo-clashes/',
        '',
        'LOW',
        'Place not stated:',
        '  - Militia attack on convoy reported',
        '    Armed attack | place not stated | no casualty figures reported',
        '    1 source, 1 alert; first seen 2026-11-22 20:01 UTC, last report 2026-11-22 20:01 UTC',
        '',
        'Each event is shown as its latest alert of the day tells it; figures are as reported.',
        '',
      ].join('\n')
    );
    expect(digest?.sms).toBe(
      'NewsAlert digest 2026-11-22: 5 events (1 critical, 2 high, 1 medium, 1 low). Top: Missile strike on Kharkiv apartment block kills 12'
    );
    expect(gsm7Septets(digest?.sms ?? '')).toBeLessThanOrEqual(SMS_MAX);
  });

  it('sends each group only the events that pass its filters, and nothing to a group with none', async () => {
    // Act
    const { summary, sent } = await run(await recordedDay(), [
      { id: 'ukraine-high', minSeverity: 'high', countries: ['ukraine'] },
      { id: 'attacks-sudan', countries: ['Sudan'], categories: ['armed-attack'] },
      { id: 'clashes', categories: ['clashes'] },
      { id: 'peru', countries: ['Peru'] },
      { id: 'critical', minSeverity: 'critical' },
    ]);

    // Assess
    expect(summary.sent).toEqual({
      'ukraine-high': 2,
      'attacks-sudan': 1,
      clashes: 1,
      critical: 1,
    });
    expect([...sent.keys()]).toEqual(['ukraine-high', 'attacks-sudan', 'clashes', 'critical']);
    const ukraine = sent.get('ukraine-high')?.email ?? '';
    expect(ukraine).toContain('Kharkiv');
    expect(ukraine).toContain('Odesa');
    expect(ukraine).not.toContain('El Fasher');
    expect(sent.get('attacks-sudan')?.email).toContain('RSF shelling of El Fasher kills 20');
    expect(sent.get('clashes')?.subject).toBe('NewsAlert digest 2026-11-22: 1 event');
  });

  it('sends nothing when nothing happened that day', async () => {
    // Act: the day after the recorded one has no alerts
    const { summary, sent } = await run(
      await recordedDay(),
      [{ id: 'everything' }],
      new Date('2026-11-24T07:00:00Z')
    );

    // Assess
    expect(summary).toMatchObject({ day: '2026-11-23', alerts: 0, events: 0, sent: {} });
    expect(sent.size).toBe(0);
  });

  it('skips a group already sent that day when the run is retried', async () => {
    // Prepare
    const store = await recordedDay();
    await run(store, [{ id: 'critical', minSeverity: 'critical' }]);

    // Act
    const { summary, sent } = await run(store, [
      { id: 'critical', minSeverity: 'critical' },
      { id: 'everything' },
    ]);

    // Assess
    expect(summary.alreadySent).toEqual(['critical']);
    expect([...sent.keys()]).toEqual(['everything']);
  });

  it('leaves out a record that is not an alert, with a warning', async () => {
    // Prepare
    const store = await recordedDay();
    await store.put('alerts/2026/11/22/broken.json', '{"id": 1}');
    const warnings: string[] = [];
    const { logger } = errorRecorder();

    // Act
    const summary = await sendDigests({
      store,
      publisher: recordingPublisher(),
      clock: { now: () => NEXT_MORNING },
      logger: { ...logger, warn: (message) => warnings.push(message) },
      groups: [{ id: 'everything' }],
    });

    // Assess
    expect(summary.alerts).toBe(6);
    expect(warnings).toEqual(['alert record left out of the digest']);
  });
});
