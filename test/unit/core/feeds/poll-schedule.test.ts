import { describe, expect, it } from 'vitest';
import {
  checkScheduleBounds,
  DEFAULT_SCHEDULE_BOUNDS,
  type FeedSchedule,
  isDue,
  maxAgeOf,
  nextSchedule,
  paceOf,
  retryAfterTime,
  type ScheduleInput,
  skipHoursOf,
  ttlMinutesOf,
} from '../../../../lambdas/core/feeds/poll-schedule.ts';

const TICK = new Date('2024-11-29T18:00:00Z');
const NOW = new Date('2024-11-29T18:00:20Z');
const minutesAfterTick = (iso: string | undefined) =>
  (Date.parse(iso ?? '') - TICK.getTime()) / 60_000;

const scheduleAfter = (previous: FeedSchedule, input: Partial<ScheduleInput>) =>
  nextSchedule(previous, {
    outcome: 'unchanged',
    tick: TICK,
    now: NOW,
    consecutiveFailures: 0,
    ...input,
  });

/** Publication times `gapMinutes` apart, the newest at `newest`. */
const dated = (count: number, gapMinutes: number, newest = NOW.getTime()) =>
  Array.from({ length: count }, (_, i) => new Date(newest - i * gapMinutes * 60_000).toISOString());

describe('Module: poll-schedule', () => {
  describe('Function: nextSchedule, bounds and pace', () => {
    it('halves the interval of an undated feed that changed and grows it by half when unchanged, within 5 to 60 minutes', () => {
      expect(scheduleAfter({ intervalMinutes: 20 }, { outcome: 'changed' }).intervalMinutes).toBe(
        10
      );
      expect(scheduleAfter({ intervalMinutes: 6 }, { outcome: 'changed' }).intervalMinutes).toBe(5);
      expect(scheduleAfter({ intervalMinutes: 20 }, {}).intervalMinutes).toBe(30);
      expect(scheduleAfter({ intervalMinutes: 50 }, {}).intervalMinutes).toBe(60);
      const first = scheduleAfter({}, { outcome: 'changed' });
      expect(first).toMatchObject({ intervalMinutes: 5, nextPollAt: '2024-11-29T18:05:00.000Z' });
    });

    it('polls a dated feed about four times per gap between its items, bounded', () => {
      const every = (gap: number) =>
        scheduleAfter({}, { outcome: 'changed', published: dated(30, gap) }).intervalMinutes;
      expect(every(10)).toBe(5);
      expect(every(60)).toBe(15);
      expect(every(8 * 60)).toBe(60);
    });

    it('keeps the pace across a 304 and slows a feed quiet for far longer than its pace', () => {
      // Prepare
      const paced = scheduleAfter({}, { outcome: 'changed', published: dated(30, 20) });

      // Act
      const unchanged = scheduleAfter(paced, {});
      const quiet = nextSchedule(paced, {
        outcome: 'unchanged',
        tick: new Date(NOW.getTime() + 10 * 3600_000),
        now: new Date(NOW.getTime() + 10 * 3600_000),
        consecutiveFailures: 0,
      });

      // Assess
      expect(paced).toMatchObject({ intervalMinutes: 5, gapMinutes: 20 });
      expect(unchanged).toMatchObject({ intervalMinutes: 5, gapMinutes: 20 });
      expect(quiet.intervalMinutes).toBe(9.38);
    });

    it('takes configured bounds, and refuses bounds that make no sense', () => {
      const bounds = { minMinutes: 1, maxMinutes: 10 };
      expect(scheduleAfter({ intervalMinutes: 8 }, { bounds }).intervalMinutes).toBe(10);
      expect(
        scheduleAfter({ intervalMinutes: 1.5 }, { outcome: 'changed', bounds }).intervalMinutes
      ).toBe(1);
      expect(checkScheduleBounds(DEFAULT_SCHEDULE_BOUNDS)).toEqual({
        minMinutes: 5,
        maxMinutes: 60,
      });
      expect(() => checkScheduleBounds({ minMinutes: 0, maxMinutes: 60 })).toThrow(/positive/);
      expect(() => checkScheduleBounds({ minMinutes: 10, maxMinutes: 5 })).toThrow(/at least/);
    });

    it('backs off a failing feed exponentially up to the longest interval', () => {
      const waits = [1, 2, 3, 4, 5, 9].map((failures) =>
        minutesAfterTick(
          scheduleAfter({}, { outcome: 'failed', consecutiveFailures: failures }).nextPollAt
        )
      );
      expect(waits).toEqual([5, 10, 20, 40, 60, 60]);
    });
  });

  describe('Function: nextSchedule, what servers and feeds ask', () => {
    it('polls no sooner than Cache-Control max-age, and no later than the longest interval', () => {
      const cached = scheduleAfter({}, { hints: { maxAgeSeconds: 1800 } });
      const long = scheduleAfter({}, { hints: { maxAgeSeconds: 86_400 } });
      expect(Date.parse(cached.nextPollAt ?? '')).toBe(NOW.getTime() + 1800_000);
      expect(minutesAfterTick(long.nextPollAt)).toBe(60);
    });

    it('honours Retry-After in seconds or as an HTTP date, on a failure and wherever sent', () => {
      const seconds = scheduleAfter(
        {},
        {
          outcome: 'failed',
          consecutiveFailures: 1,
          hints: { retryAfter: '1200' },
        }
      );
      const date = scheduleAfter({}, { hints: { retryAfter: 'Fri, 29 Nov 2024 18:45:00 GMT' } });
      const junk = scheduleAfter({}, { hints: { retryAfter: 'soon' } });
      expect(Date.parse(seconds.nextPollAt ?? '')).toBe(NOW.getTime() + 1200_000);
      expect(date.nextPollAt).toBe('2024-11-29T18:45:00.000Z');
      expect(minutesAfterTick(junk.nextPollAt)).toBe(7.5);
    });

    it("honours the feed's ttl, kept across polls that read no body", () => {
      const read = scheduleAfter({}, { outcome: 'changed', feed: { ttlMinutes: 30 } });
      const notModified = scheduleAfter(read, {});
      expect(Date.parse(read.nextPollAt ?? '')).toBe(NOW.getTime() + 30 * 60_000);
      expect(notModified.ttlMinutes).toBe(30);
      expect(Date.parse(notModified.nextPollAt ?? '')).toBe(NOW.getTime() + 30 * 60_000);
    });

    it("moves the next poll out of the feed's skipHours (UTC)", () => {
      const skipped = scheduleAfter({}, { outcome: 'changed', feed: { skipHours: [18, 19, 20] } });
      const allDay = scheduleAfter(
        {},
        {
          outcome: 'changed',
          feed: { skipHours: Array.from({ length: 24 }, (_, h) => h) },
        }
      );
      expect(skipped).toMatchObject({
        nextPollAt: '2024-11-29T21:00:00.000Z',
        skipHours: [18, 19, 20],
      });
      expect(allDay.nextPollAt).toBe('2024-11-29T18:05:00.000Z');
    });
  });

  describe('Function: isDue', () => {
    it('is due when never scheduled, at or just after its time, or with an unreadable time', () => {
      expect(isDue({}, TICK)).toBe(true);
      expect(isDue({ nextPollAt: '2024-11-29T18:00:25.000Z' }, TICK)).toBe(true);
      expect(isDue({ nextPollAt: '2024-11-29T18:01:00.000Z' }, TICK)).toBe(false);
      expect(isDue({ nextPollAt: 'yesterday-ish' }, TICK)).toBe(true);
    });
  });

  describe('Readers of headers and feed fields', () => {
    it('reads max-age unless caching is refused', () => {
      expect(maxAgeOf('public, max-age=300')).toBe(300);
      expect(maxAgeOf('max-age=300, no-cache')).toBeUndefined();
      expect(maxAgeOf('private')).toBeUndefined();
      expect(maxAgeOf(undefined)).toBeUndefined();
    });

    it('reads Retry-After, ttl and skipHours defensively', () => {
      expect(retryAfterTime('60', NOW)?.toISOString()).toBe('2024-11-29T18:01:20.000Z');
      expect(retryAfterTime('2024-11-29', NOW)).toBeUndefined();
      expect(ttlMinutesOf(' 60 ')).toBe(60);
      expect(ttlMinutesOf('0')).toBeUndefined();
      expect(ttlMinutesOf('an hour')).toBeUndefined();
      expect(skipHoursOf(['3', '24', 'x', '3', '25'])).toEqual([0, 3]);
    });

    it('reads a pace from at least two dated items, ignoring undated and future ones', () => {
      expect(paceOf([undefined, '2024-11-29T17:00:00Z'], NOW)).toBeUndefined();
      expect(
        paceOf(['2024-11-29T17:00:00Z', '2024-11-29T17:30:00Z', '2099-01-01T00:00:00Z'], NOW)
      ).toEqual({ gapMinutes: 30, newest: Date.parse('2024-11-29T17:30:00Z') });
    });
  });
});
