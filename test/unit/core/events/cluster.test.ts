import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { renderAlert } from '../../../../lambdas/core/delivery/render.ts';
import { casualtyFigures, eventSnapshot } from '../../../../lambdas/core/events/alert.ts';
import {
  type AttachResult,
  attach,
  type ClusterState,
  type EventSnapshot,
  emptyClusterState,
  expireEvents,
  MAX_EXTRA_ITEM_IDS,
  parseClusterState,
  stripDateline,
  updateReasons,
} from '../../../../lambdas/core/events/cluster.ts';
import { deepFreeze, type Report, type ReportName, report, roundTrip } from './fixtures.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

/** Attaches reports one after another with one `now`, as one poll's batch does. */
const batch = (state: ClusterState, names: readonly ReportName[], now: Date) => {
  const alerts: Alert[] = [];
  const results: AttachResult[] = [];
  let current = state;
  for (const name of names) {
    const { item, result } = report(name);
    const attached = attach(current, item, result, now);
    current = attached.state;
    results.push(attached);
    if (attached.alert) alerts.push(attached.alert);
  }
  return { state: current, alerts, results };
};

const kinds = (alerts: readonly Alert[]) => alerts.map((a) => a.kind);

describe('Function: attach', () => {
  describe('a first escalation', () => {
    it('opens an event and returns a new alert with what, where, how bad, sources and rules', () => {
      // Prepare
      const { item, result } = report('seedWorthy');

      // Act
      const { state, alert, eventId, duplicate } = attach(
        emptyClusterState(),
        item,
        result,
        at('2024-11-29T14:05:00Z')
      );

      // Assess
      const expectedId = `evt-${createHash('sha256').update(item.id).digest('hex').slice(0, 12)}`;
      expect(duplicate).toBe(false);
      expect(eventId).toBe(expectedId);
      expect(state.events).toHaveLength(1);
      expect(alert).toEqual({
        id: `${expectedId}:1`,
        kind: 'new',
        eventId: expectedId,
        severity: 'critical',
        headline: 'Syrian opposition breaches Aleppo after car bombs, clashes kill some 200',
        summary: item.summary,
        categories: ['city-breached', 'bombing', 'armed-clash', 'offensive', 'air-strike'],
        places: ['Aleppo', 'Syria'],
        casualties: { killed: { min: 200, max: 200 } },
        sources: [
          {
            outlet: 'Worthy News',
            title: item.title,
            link: item.link,
            time: '2024-11-29T14:00:00.000Z',
            itemId: item.id,
          },
        ],
        rules: ['armed-clash', 'car-bomb', 'city-breached', 'mass-casualties'],
        reasons: [],
        firstSeen: '2024-11-29T14:00:00.000Z',
        lastSeen: '2024-11-29T14:00:00.000Z',
      });
    });

    it('leaves the state untouched for an item that is not an escalation', () => {
      // Prepare
      const start = batch(emptyClusterState(), ['seedWorthy'], at('2024-11-29T14:05:00Z')).state;
      const { item, result } = report('teaser');

      // Act
      const attached = attach(start, item, result, at('2024-11-29T15:00:00Z'));

      // Assess
      expect(attached.state).toBe(start);
      expect(attached.alert).toBeUndefined();
      expect(attached.eventId).toBeUndefined();
      expect(attached.duplicate).toBe(false);
    });

    it('uses the time it was attached when the item has no usable publication date', () => {
      // Prepare
      const { item, result } = report('seedWorthy');
      const now = at('2024-11-29T15:00:00Z');

      // Act
      const undated = attach(emptyClusterState(), { ...item, published: undefined }, result, now);
      const future = attach(
        emptyClusterState(),
        { ...item, published: '2031-01-01T00:00:00Z' },
        result,
        now
      );

      // Assess
      expect(undated.alert?.firstSeen).toBe(now.toISOString());
      expect(future.alert?.firstSeen).toBe(now.toISOString());
    });

    it('keeps only http(s) links and strips control characters from what it records', () => {
      // Prepare
      const { item, result } = report('seedWorthy');
      const hostile = {
        ...item,
        title: 'Car bombs\u0007 hit\r\nAleppo\u200B after clashes',
        link: 'javascript:alert(1)',
        source: 'Worthy\u0000 News',
      };

      // Act
      const { alert } = attach(emptyClusterState(), hostile, result, at('2024-11-29T15:00:00Z'));

      // Assess
      expect(alert?.headline).toBe('Car bombs hit Aleppo after clashes');
      expect(alert?.sources[0]?.link).toBeUndefined();
      expect(alert?.sources[0]?.outlet).toBe('Worthy News');
    });
  });

  describe('the two seed reports of one event', () => {
    const orders: ReadonlyArray<readonly [string, readonly ReportName[]]> = [
      ['Worthy News first', ['seedWorthy', 'seedSecond']],
      ['Second Outlet first', ['seedSecond', 'seedWorthy']],
    ];

    it.each(orders)('give one new alert and one update in one poll (%s)', (_, names) => {
      // Act
      const { state, alerts } = batch(emptyClusterState(), names, at('2024-11-29T18:00:00Z'));

      // Assess
      expect(state.events).toHaveLength(1);
      expect(kinds(alerts)).toEqual(['new', 'update']);
      expect(alerts[1]?.id).toBe(`${alerts[0]?.eventId}:2`);
      expect(alerts[1]?.reasons[0]).toMatch(/^first independent corroboration: /);
    });

    it.each(orders)(
      'give one new alert and one update across two polls with a restart (%s)',
      (_, names) => {
        // Prepare
        const [first, second] = names as [ReportName, ReportName];
        const poll1 = batch(emptyClusterState(), [first], at('2024-11-29T18:00:00Z'));

        // Act
        const restarted = parseClusterState(roundTrip(poll1.state));
        const poll2 = batch(restarted, [second], at('2024-11-29T18:05:00Z'));

        // Assess
        expect(kinds([...poll1.alerts, ...poll2.alerts])).toEqual(['new', 'update']);
        expect(poll2.state.events).toHaveLength(1);
        expect(poll2.alerts[0]?.eventId).toBe(poll1.alerts[0]?.eventId);
      }
    );

    it('say the same about the event whatever order they arrive in', () => {
      // Act
      const forward = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );
      const backward = batch(
        emptyClusterState(),
        ['seedSecond', 'seedWorthy'],
        at('2024-11-29T18:00:00Z')
      );

      // Assess
      const last = (alerts: Alert[]) => alerts[alerts.length - 1];
      const facts = (alert: Alert | undefined) => ({
        severity: alert?.severity,
        categories: alert?.categories,
        places: alert?.places,
        casualties: alert?.casualties,
        sources: alert?.sources,
        rules: alert?.rules,
        firstSeen: alert?.firstSeen,
        lastSeen: alert?.lastSeen,
      });
      expect(facts(last(forward.alerts))).toEqual(facts(last(backward.alerts)));
      expect(facts(last(forward.alerts))).toEqual({
        severity: 'critical',
        categories: ['bombing', 'offensive', 'armed-clash', 'air-strike', 'city-breached'],
        places: ['Aleppo', 'Idlib', 'Syria'],
        casualties: { killed: { min: 12, max: 200 } },
        sources: [
          expect.objectContaining({ outlet: 'Worthy News', time: '2024-11-29T14:00:00.000Z' }),
          expect.objectContaining({ outlet: 'Second Outlet', time: '2024-11-29T17:30:00.000Z' }),
        ],
        rules: [
          'air-strike',
          'armed-clash',
          'car-bomb',
          'city-breached',
          'mass-casualties',
          'offensive',
        ],
        firstSeen: '2024-11-29T14:00:00.000Z',
        lastSeen: '2024-11-29T17:30:00.000Z',
      });
      expect(forward.state.events[0]?.notified).toEqual(backward.state.events[0]?.notified);
    });

    it('explain the update: corroboration, and a higher toll or a new place, in one message', () => {
      // Act
      const forward = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );
      const backward = batch(
        emptyClusterState(),
        ['seedSecond', 'seedWorthy'],
        at('2024-11-29T18:00:00Z')
      );

      // Assess
      expect(forward.alerts[1]?.reasons).toEqual([
        'first independent corroboration: Second Outlet confirms Worthy News',
        'new place: Idlib',
      ]);
      expect(backward.alerts[1]?.reasons).toEqual([
        'first independent corroboration: Worthy News confirms Second Outlet',
        'killed now reported up to 200 (was 12), past 100',
        'new place: Idlib',
        'new category: city-breached',
        'severity up from high to critical',
      ]);
    });
  });

  describe('any arrival order', () => {
    it('gives one event, one new alert and the same facts (property over permutations)', () => {
      // Prepare
      const names: ReportName[] = ['seedWorthy', 'seedSecond', 'wireCopy', 'tollRises', 'newCity'];
      const facts = (state: ClusterState) => {
        const event = state.events[0];
        return {
          snapshot: event ? eventSnapshot(event.reports) : undefined,
          casualties: event ? casualtyFigures(event.reports) : undefined,
          items: event?.reports.map((r) => r.itemId),
          span: [event?.firstSeen, event?.lastSeen],
        };
      };
      const reference = facts(batch(emptyClusterState(), names, at('2024-11-30T19:00:00Z')).state);

      // Act + Assess
      fc.assert(
        fc.property(
          fc.shuffledSubarray(names, { minLength: 5, maxLength: 5 }),
          fc.boolean(),
          (order, restart) => {
            let state = emptyClusterState();
            const alerts: Alert[] = [];
            order.forEach((name, i) => {
              const polled = batch(state, [name], at(`2024-11-30T19:0${i}:00Z`));
              state = restart ? roundTrip(polled.state) : polled.state;
              alerts.push(...polled.alerts);
            });
            expect(state.events).toHaveLength(1);
            expect(kinds(alerts).filter((k) => k === 'new')).toHaveLength(1);
            expect(alerts[0]?.kind).toBe('new');
            expect(facts(state)).toEqual(reference);
          }
        ),
        { numRuns: 60 }
      );
    });
  });

  describe('a wire copy from a third outlet', () => {
    it('is recorded on the event without an alert after both seeds', () => {
      // Act
      const { state, alerts, results } = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond', 'wireCopy'],
        at('2024-11-29T19:30:00Z')
      );

      // Assess
      expect(kinds(alerts)).toEqual(['new', 'update']);
      expect(results[2]?.alert).toBeUndefined();
      expect(results[2]?.eventId).toBe(alerts[0]?.eventId);
      const copy = state.events[0]?.reports.find((r) => r.outlet === 'Levant Daily');
      expect(copy?.copyOf).toBe(report('seedWorthy').item.id);
    });

    it('does not count as the independent corroboration', () => {
      // Act
      const { alerts, results } = batch(
        emptyClusterState(),
        ['seedWorthy', 'wireCopy', 'seedSecond'],
        at('2024-11-29T19:30:00Z')
      );

      // Assess
      expect(results[1]?.alert).toBeUndefined();
      expect(kinds(alerts)).toEqual(['new', 'update']);
      expect(alerts[1]?.reasons[0]).toBe(
        'first independent corroboration: Second Outlet confirms Worthy News'
      );
      expect(alerts[1]?.sources.map((s) => s.outlet)).toEqual([
        'Worthy News',
        'Second Outlet',
        'Levant Daily',
      ]);
      expect(alerts[1]?.sources.map((s) => s.copyOf)).toEqual([
        undefined,
        undefined,
        report('seedWorthy').item.id,
      ]);
      expect(renderAlert(alerts[1] as Alert).email).toMatch(/Levant Daily.*copy of a wire story/);
    });

    it('treats the earlier-published report as the original even when its copy arrives first', () => {
      // Act
      const { state, alerts } = batch(
        emptyClusterState(),
        ['wireCopy', 'seedWorthy'],
        at('2024-11-29T19:30:00Z')
      );

      // Assess
      expect(kinds(alerts)).toEqual(['new']);
      expect(state.events[0]?.notified.corroborated).toBe(false);
      const byOutlet = new Map(state.events[0]?.reports.map((r) => [r.outlet, r.copyOf]));
      expect(byOutlet.get('Worthy News')).toBeUndefined();
      expect(byOutlet.get('Levant Daily')).toBe(report('seedWorthy').item.id);
    });
  });

  describe('a later report of the same event', () => {
    it('raises an update when the toll crosses a step (500)', () => {
      // Prepare
      const seeds = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );

      // Act
      const later = batch(roundTrip(seeds.state), ['tollRises'], at('2024-11-30T11:05:00Z'));

      // Assess
      expect(kinds(later.alerts)).toEqual(['update']);
      const update = later.alerts[0];
      expect(update?.id).toBe(`${seeds.alerts[0]?.eventId}:3`);
      expect(update?.reasons).toContain('killed now reported up to 514 (was 200), past 500');
      expect(update?.headline).toBe(report('tollRises').item.title);
      expect(update?.casualties).toEqual({ killed: { min: 12, max: 514 } });
      expect(update?.lastSeen).toBe('2024-11-30T11:00:00.000Z');
    });

    it('raises an update when it names a new city', () => {
      // Prepare
      const seeds = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );

      // Act
      const later = batch(seeds.state, ['newCity'], at('2024-11-30T18:05:00Z'));

      // Assess
      expect(kinds(later.alerts)).toEqual(['update']);
      expect(later.alerts[0]?.reasons).toContain('new place: Hama');
      expect(later.alerts[0]?.places).toContain('Hama');
    });

    it('is recorded without an alert when it only mentions places for context or adds minor categories', () => {
      // Prepare: a full article naming a capital, a neighbour and a news agency's country
      const seeds = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );
      const { item, result } = report('tollRises');
      const id = 'https://monitor-wire.example/syria/aleppo-analysis';
      const background: Report = {
        item: {
          ...item,
          id,
          title: 'Insurgents tighten grip on Aleppo as fighting spreads',
          summary:
            'Insurgents consolidated positions in Aleppo on Saturday amid clashes and shelling, a war monitor said.',
          content:
            'Insurgents consolidated positions in Aleppo on Saturday. Officials in Damascus vowed to respond, ' +
            'Türkiye’s Anadolu Agency reported, while Israel and Lebanon watched the ceasefire.',
        },
        result: {
          ...result,
          id,
          severity: 'high',
          categories: ['armed-clash', 'shelling', 'offensive'],
          places: ['Aleppo', 'Damascus', 'Syria', 'Turkey', 'Israel', 'Lebanon'],
          casualties: undefined,
        },
      };

      // Act
      const attached = attach(
        seeds.state,
        background.item,
        background.result,
        at('2024-11-30T11:05:00Z')
      );

      // Assess
      expect(attached.alert).toBeUndefined();
      expect(attached.eventId).toBe(seeds.alerts[0]?.eventId);
      expect(attached.state.events[0]?.reports.map((r) => r.itemId)).toContain(id);
    });

    it('is recorded without an alert when nothing crosses a step', () => {
      // Prepare
      const seeds = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );
      const { item, result } = report('tollRises');
      const modest: Report = {
        item: {
          ...item,
          id: 'https://monitor-wire.example/syria/aleppo-toll-260',
          title: 'Aleppo offensive toll rises to 260, monitor says',
        },
        result: {
          ...result,
          id: 'https://monitor-wire.example/syria/aleppo-toll-260',
          categories: ['offensive', 'air-strike'],
          casualties: { killed: 260 },
        },
      };

      // Act
      const attached = attach(seeds.state, modest.item, modest.result, at('2024-11-30T11:05:00Z'));

      // Assess
      expect(attached.alert).toBeUndefined();
      expect(attached.duplicate).toBe(false);
      expect(attached.state.events[0]?.reports.map((r) => r.itemId)).toContain(modest.item.id);
      expect(attached.state.events[0]?.sinceAlert).toEqual([modest.item.id]);
    });
  });

  describe('a different event', () => {
    it('in the same city a week later opens a new event with a new alert', () => {
      // Prepare
      const seeds = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );

      // Act
      const weekLater = batch(roundTrip(seeds.state), ['weekLater'], at('2024-12-07T09:05:00Z'));

      // Assess
      expect(kinds(weekLater.alerts)).toEqual(['new']);
      expect(weekLater.alerts[0]?.eventId).not.toBe(seeds.alerts[0]?.eventId);
      expect(weekLater.alerts[0]?.id).toMatch(/^evt-[0-9a-f]{12}:1$/);
      // Idle for more than window + retention (72 h + 96 h): dropped from the state.
      expect(weekLater.state.events.map((e) => e.id)).toEqual([weekLater.alerts[0]?.eventId]);
    });

    it('in the same city a week later stays apart even when both arrive in one poll', () => {
      // Act
      const { state, alerts } = batch(
        emptyClusterState(),
        ['seedWorthy', 'weekLater'],
        at('2024-12-07T09:05:00Z')
      );

      // Assess
      expect(kinds(alerts)).toEqual(['new', 'new']);
      expect(state.events).toHaveLength(2);
    });

    it('in another country at the same time opens its own event', () => {
      // Act
      const { state, alerts } = batch(
        emptyClusterState(),
        ['seedWorthy', 'otherCountry', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );

      // Assess
      expect(kinds(alerts)).toEqual(['new', 'new', 'update']);
      expect(state.events).toHaveLength(2);
      expect(alerts[2]?.eventId).toBe(alerts[0]?.eventId);
    });
  });

  describe('redelivered items', () => {
    it('are duplicates: no alert and the same state', () => {
      // Prepare
      const seeds = batch(
        emptyClusterState(),
        ['seedWorthy', 'seedSecond'],
        at('2024-11-29T18:00:00Z')
      );
      const { item, result } = report('seedSecond');

      // Act
      const again = attach(seeds.state, item, result, at('2024-11-29T18:10:00Z'));

      // Assess
      expect(again.duplicate).toBe(true);
      expect(again.alert).toBeUndefined();
      expect(again.state).toBe(seeds.state);
      expect(again.eventId).toBe(seeds.alerts[0]?.eventId);
    });

    it('are duplicates after a restart and after their event closed', () => {
      // Prepare
      const first = batch(emptyClusterState(), ['seedWorthy'], at('2024-11-29T14:05:00Z'));
      const closed = expireEvents(roundTrip(first.state), at('2024-12-03T00:00:00Z'));
      const { item, result } = report('seedWorthy');

      // Act
      const again = attach(closed, item, result, at('2024-12-03T00:00:00Z'));

      // Assess
      expect(closed.events[0]?.status).toBe('closed');
      expect(again.duplicate).toBe(true);
      expect(again.alert).toBeUndefined();
    });

    it('are duplicates when the event holds more reports than it records', () => {
      // Prepare
      const now = at('2024-11-29T20:00:00Z');
      const options = { maxReportsPerEvent: 1, maxRecordedReports: 2 };
      let state = emptyClusterState();
      for (const name of ['seedWorthy', 'seedSecond', 'wireCopy'] as const) {
        const { item, result } = report(name);
        state = attach(state, item, result, now, options).state;
      }
      const { item, result } = report('wireCopy');

      // Act
      const again = attach(state, item, result, now, options);

      // Assess
      expect(state.events[0]?.reports).toHaveLength(2);
      expect(state.events[0]?.extraItemIds).toEqual([item.id]);
      expect(again.duplicate).toBe(true);
    });
  });

  describe('purity and bounds', () => {
    it('keeps at most MAX_EXTRA_ITEM_IDS ids beyond the recorded reports of a long event', () => {
      // Prepare: one event fed far more reports than it records.
      const options = { maxReportsPerEvent: 1, maxRecordedReports: 1 };
      const { item, result } = report('seedSecond');
      let state = attach(
        emptyClusterState(),
        item,
        result,
        at('2024-11-29T20:00:00Z'),
        options
      ).state;

      // Act
      for (let i = 0; i < MAX_EXTRA_ITEM_IDS + 50; i += 1) {
        const copy = { ...item, id: `${item.id}#${i}` };
        state = attach(
          state,
          copy,
          { ...result, id: copy.id },
          at('2024-11-29T20:00:00Z'),
          options
        ).state;
      }

      // Assess
      expect(state.events).toHaveLength(1);
      expect(state.events[0]?.extraItemIds.length).toBe(MAX_EXTRA_ITEM_IDS);
      expect(state.events[0]?.extraItemIds.at(-1)).toBe(`${item.id}#${MAX_EXTRA_ITEM_IDS + 49}`);
    });

    it('never mutates the state or the inputs it is given', () => {
      // Prepare
      const seeds = batch(emptyClusterState(), ['seedWorthy'], at('2024-11-29T18:00:00Z'));
      const frozen = deepFreeze(seeds.state);
      const snapshot = JSON.stringify(frozen);
      const { item, result } = deepFreeze(report('seedSecond'));

      // Act
      const attached = attach(frozen, item, result, at('2024-11-29T18:05:00Z'));

      // Assess
      expect(attached.alert?.kind).toBe('update');
      expect(JSON.stringify(frozen)).toBe(snapshot);
    });

    it('keeps the facts of older reports when it drops their text', () => {
      // Prepare
      const options = { maxReportsPerEvent: 1 };
      let state = emptyClusterState();
      const alerts: Alert[] = [];

      // Act
      for (const name of ['seedWorthy', 'seedSecond', 'tollRises'] as const) {
        const { item, result } = report(name);
        const attached = attach(state, item, result, at('2024-11-30T11:05:00Z'), options);
        state = attached.state;
        if (attached.alert) alerts.push(attached.alert);
      }

      // Assess
      expect(kinds(alerts)).toEqual(['new', 'update', 'update']);
      expect(alerts[2]?.casualties).toEqual({ killed: { min: 12, max: 514 } });
      expect(alerts[2]?.sources).toHaveLength(3);
      const reports = state.events[0]?.reports ?? [];
      expect(reports.map((r) => r.titleTokens.length > 0)).toEqual([false, false, true]);
    });

    it('closes idle events after the window and drops them after the retention', () => {
      // Prepare
      const { state } = batch(emptyClusterState(), ['seedWorthy'], at('2024-11-29T14:05:00Z'));
      const touched = Date.parse('2024-11-29T14:05:00Z');

      // Act
      const open = expireEvents(state, new Date(touched + 72 * HOUR));
      const closed = expireEvents(state, new Date(touched + 72 * HOUR + 1));
      const kept = expireEvents(state, new Date(touched + (72 + 96) * HOUR));
      const dropped = expireEvents(state, new Date(touched + (72 + 96) * HOUR + 1));

      // Assess
      expect(open).toBe(state);
      expect(closed.events[0]?.status).toBe('closed');
      expect(closed.events[0]?.reports[0]?.titleTokens).toEqual([]);
      expect(kept.events).toHaveLength(1);
      expect(dropped.events).toHaveLength(0);
    });

    it('stays bounded over a year of weekly events', () => {
      // Prepare
      const { item, result } = report('weekLater');
      let state = emptyClusterState();
      let largest = 0;

      // Act
      for (let week = 0; week < 52; week += 1) {
        const time = new Date(Date.parse('2025-01-01T09:00:00Z') + week * 7 * 24 * HOUR);
        const attached = attach(
          state,
          { ...item, id: `${item.id}-${week}`, published: time.toISOString() },
          { ...result, id: `${item.id}-${week}` },
          time
        );
        state = attached.state;
        largest = Math.max(largest, state.events.length);
      }

      // Assess
      expect(largest).toBeLessThanOrEqual(2);
    });
  });

  describe('invalid input', () => {
    it('fails on options out of range', () => {
      // Prepare
      const { item, result } = report('seedWorthy');
      const now = at('2024-11-29T18:00:00Z');

      // Act + Assess
      expect(() => attach(emptyClusterState(), item, result, now, { windowHours: 0 })).toThrow(
        'windowHours must be a positive number of hours, got 0'
      );
      expect(() => attach(emptyClusterState(), item, result, now, { joinThreshold: 2 })).toThrow(
        InvalidInputError
      );
    });

    it('fails on a classification of another item', () => {
      // Prepare
      const { item } = report('seedWorthy');
      const { result } = report('seedSecond');

      // Act + Assess
      expect(() => attach(emptyClusterState(), item, result, at('2024-11-29T18:00:00Z'))).toThrow(
        /does not belong to item/
      );
    });

    it('reads stored state written before later fields existed', () => {
      // Prepare
      const first = batch(emptyClusterState(), ['seedWorthy'], at('2024-11-29T18:00:00Z'));
      const stored = roundTrip(first.state) as unknown as { events: Record<string, unknown>[] };
      for (const event of stored.events) {
        delete event.sinceAlert;
        delete event.extraItemIds;
      }
      const { item, result } = report('seedSecond');

      // Act
      const parsed = attach(parseClusterState(stored), item, result, at('2024-11-29T18:05:00Z'));
      const unparsed = attach(
        stored as unknown as ClusterState,
        item,
        result,
        at('2024-11-29T18:05:00Z')
      );

      // Assess
      expect(parsed.alert?.kind).toBe('update');
      expect(unparsed.alert?.kind).toBe('update');
    });

    it('fails on stored state of an unknown version', () => {
      // Act + Assess
      expect(() => parseClusterState({ version: 2, events: [] })).toThrow(
        'cluster state version 2 is not supported (expected 1); delete it to start afresh'
      );
      expect(() => parseClusterState(null)).toThrow(InvalidInputError);
    });
  });
});

describe('Function: updateReasons', () => {
  const base: EventSnapshot = {
    severity: 'high',
    categories: ['offensive'],
    places: ['Aleppo', 'Syria'],
    killed: 12,
    corroborated: false,
    outlets: ['Worthy News'],
  };

  it.each([
    ['a toll that stays within its step', { killed: 45 }, []],
    ['a toll that crosses 50', { killed: 50 }, ['killed now reported up to 50 (was 12), past 50']],
    [
      'a toll that jumps several steps',
      { killed: 1200 },
      ['killed now reported up to 1200 (was 12), past 1000'],
    ],
    ['a first injured figure past 10', { injured: 40 }, ['injured now reported up to 40, past 10']],
    ['a first injured figure under 10', { injured: 3 }, []],
    ['a place already known, spelled in another case', { places: ['aleppo', 'Syria'] }, []],
    ['a new country', { places: ['Aleppo', 'Syria', 'Turkey'] }, ['new place: Turkey']],
    [
      'a new category',
      { categories: ['offensive', 'city-breached'] },
      ['new category: city-breached'],
    ],
    ['a higher severity', { severity: 'critical' as const }, ['severity up from high to critical']],
    ['a lower severity', { severity: 'medium' as const }, []],
    [
      'a second independent outlet',
      { corroborated: true, outlets: ['Worthy News', 'Second Outlet'] },
      ['first independent corroboration: Second Outlet confirms Worthy News'],
    ],
  ] as const)('%s', (_, change, expected) => {
    // Act
    const reasons = updateReasons(base, { ...base, ...change } as EventSnapshot);

    // Assess
    expect(reasons).toEqual(expected);
  });

  it('does not repeat the corroboration once it was sent', () => {
    // Prepare
    const corroborated = { ...base, corroborated: true, outlets: ['Worthy News', 'Second Outlet'] };

    // Act
    const reasons = updateReasons(corroborated, {
      ...corroborated,
      outlets: ['Worthy News', 'Second Outlet', 'Monitor Wire'],
    });

    // Assess
    expect(reasons).toEqual([]);
  });
});

describe('Function: stripDateline', () => {
  it.each([
    ['DAMASCUS/JERUSALEM (Worthy News) – Syrian opposition groups', 'Syrian opposition groups'],
    ['KYIV, Ukraine (AP) — Russian drones struck', 'Russian drones struck'],
    ['BEIRUT, Nov 29 (Reuters) - Israeli jets hit', 'Israeli jets hit'],
    ['ALEPPO, Syria — Insurgents pushed', 'Insurgents pushed'],
    ['US forces strike militia sites - officials', 'US forces strike militia sites - officials'],
    ['Syrian insurgents launched an offensive', 'Syrian insurgents launched an offensive'],
  ])('%s', (input, expected) => {
    // Act + Assess
    expect(stripDateline(input)).toBe(expected);
  });
});
