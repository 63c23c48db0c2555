import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import {
  type ClusterState,
  type EventReport,
  emptyClusterState,
  inCanonicalOrder,
  parseClusterState,
} from '../../../../lambdas/core/events/event-state.ts';
import { at, batch, report, roundTrip } from './fixtures.ts';

describe('Function: parseClusterState', () => {
  describe('state read back from the store', () => {
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
        'cluster state version 2 is not supported (expected 1): restore its previous version'
      );
      expect(() => parseClusterState(null)).toThrow(InvalidInputError);
    });
  });
});

describe('Function: inCanonicalOrder', () => {
  const reportAt = (itemId: string, time: string): EventReport => ({
    itemId,
    outlet: 'Worthy News',
    title: 'Car bombs hit Aleppo',
    time,
    severity: 'high',
    categories: [],
    places: [],
    rules: [],
    titleTokens: [],
    summaryTokens: [],
  });

  it('orders reports by time, then by item id, and leaves its input as it was', () => {
    // Prepare
    const reports = [
      reportAt('b', '2024-11-29T14:00:00.000Z'),
      reportAt('c', '2024-11-29T13:00:00.000Z'),
      reportAt('a', '2024-11-29T14:00:00Z'),
    ];

    // Act
    const ordered = inCanonicalOrder(reports);

    // Assess
    expect(ordered.map((r) => r.itemId)).toEqual(['c', 'a', 'b']);
    expect(reports.map((r) => r.itemId)).toEqual(['b', 'c', 'a']);
  });
});
