/**
 * The life of an event: redelivered items stay duplicates after a restart and after their event
 * closed, old reports lose their text but keep their facts, idle events close and are dropped,
 * and the state stays bounded and is never mutated.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import {
  emptyClusterState,
  MAX_EXTRA_ITEM_IDS,
} from '../../../../lambdas/core/events/event-state.ts';
import { expireEvents } from '../../../../lambdas/core/events/lifecycle.ts';
import { at, batch, deepFreeze, HOUR, kinds, report, roundTrip } from './fixtures.ts';

describe('Function: attach', () => {
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

      // Assess: the first and the newest reports kept, the one between by its id
      expect(state.events[0]?.reports).toHaveLength(2);
      expect(state.events[0]?.extraItemIds).toEqual([report('seedSecond').item.id]);
      expect(again.duplicate).toBe(true);
      expect(
        attach(state, report('seedSecond').item, report('seedSecond').result, now, options)
          .duplicate
      ).toBe(true);
    });

    it('keeps the newest reports of an event past what it records, so new figures still count', () => {
      // Prepare: an event that records two reports, then a rising toll
      const now = at('2024-11-29T20:00:00Z');
      const options = { maxReportsPerEvent: 1, maxRecordedReports: 2, maxAgeHours: 24 };
      let state = emptyClusterState();

      // Act
      for (const name of ['seedWorthy', 'seedSecond', 'tollRises'] as const) {
        const { item, result } = report(name);
        state = attach(state, item, result, now, options).state;
      }

      // Assess: the report that opened the event, and the toll that rose
      expect(state.events[0]?.reports.map((r) => r.itemId)).toEqual([
        report('seedWorthy').item.id,
        report('tollRises').item.id,
      ]);
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
      const options = { maxReportsPerEvent: 1, maxAgeHours: 24 };
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
});
