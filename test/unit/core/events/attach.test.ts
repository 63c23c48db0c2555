/**
 * Which event a report joins and what it sends: a first report opens an event with a new alert,
 * reports of one event join it in any order, reports of another event stay apart.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { casualtyFigures, eventSnapshot } from '../../../../lambdas/core/events/aggregates.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import {
  type ClusterState,
  emptyClusterState,
  parseClusterState,
} from '../../../../lambdas/core/events/event-state.ts';
import { at, batch, kinds, type ReportName, report, roundTrip } from './fixtures.ts';

/** The two seed reports attached in one poll, in each arrival order. */
const seedsBothWays = () => ({
  forward: batch(emptyClusterState(), ['seedWorthy', 'seedSecond'], at('2024-11-29T18:00:00Z')),
  backward: batch(emptyClusterState(), ['seedSecond', 'seedWorthy'], at('2024-11-29T18:00:00Z')),
});

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
      const { forward, backward } = seedsBothWays();

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
      const { forward, backward } = seedsBothWays();

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
      // Act: old news is let through here, to see the grouping alone
      const { state, alerts } = batch(
        emptyClusterState(),
        ['seedWorthy', 'weekLater'],
        at('2024-12-07T09:05:00Z'),
        { maxAgeHours: 24 * 9 }
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

  describe('invalid input', () => {
    it('fails on options out of range', () => {
      // Prepare
      const { item, result } = report('seedWorthy');
      const now = at('2024-11-29T18:00:00Z');

      // Act + Assess
      expect(() => attach(emptyClusterState(), item, result, now, { windowHours: 0 })).toThrow(
        'windowHours must be a number of hours above 0, got 0'
      );
      expect(() => attach(emptyClusterState(), item, result, now, { joinThreshold: 2 })).toThrow(
        InvalidInputError
      );
      expect(() =>
        attach(emptyClusterState(), item, result, now, { maxAgeHours: Number.POSITIVE_INFINITY })
      ).toThrow('maxAgeHours must be a number of hours above 0, got Infinity');
      expect(() => attach(emptyClusterState(), item, result, now, { casualtySteps: [] })).toThrow(
        'casualtySteps must be a list of numbers above 0, got []'
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
  });
});
