/**
 * When an event raises an update: a wire copy is recorded but does not corroborate, a toll past a
 * step or a new city is material, context places and minor categories are not (`updateReasons`).
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { renderAlert } from '../../../../lambdas/core/delivery/render.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import {
  type EventSnapshot,
  emptyClusterState,
} from '../../../../lambdas/core/events/event-state.ts';
import { updateReasons } from '../../../../lambdas/core/events/lifecycle.ts';
import { at, batch, kinds, type Report, report, roundTrip } from './fixtures.ts';

describe('Function: attach', () => {
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
