import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import {
  afterFailure,
  afterSuccess,
  afterUnchanged,
  DEFAULT_MAX_SEEN,
  type FeedState,
  initialFeedState,
  needsRecordingUnchanged,
  reviveFeedState,
  selectNew,
  stateKey,
  UNCHANGED_HEARTBEAT_MS,
} from '../../../../lambdas/core/feeds/feed-state.ts';

const URL_ = 'https://www.worthynews.example/feed/';
const T1 = new Date('2024-11-29T16:00:00Z');
const T2 = new Date('2024-11-29T16:05:00Z');

const item = (n: number): Item => ({
  id: `worthynews-${n}`,
  title: `Story ${n}`,
  feed: URL_,
});
const items = (from: number, to: number): Item[] => {
  const list: Item[] = [];
  for (let n = to; n >= from; n -= 1) list.push(item(n)); // newest first, like a feed
  return list;
};

describe('Module: feed-state', () => {
  describe('Function: stateKey', () => {
    it('is state/feeds/ plus 16 hex characters of the URL hash, stable and distinct', () => {
      // Act
      const key = stateKey(URL_);

      // Assess
      expect(key).toMatch(/^state\/feeds\/[0-9a-f]{16}\.json$/);
      expect(stateKey(URL_)).toBe(key);
      expect(stateKey(`${URL_}?x=1`)).not.toBe(key);
    });
  });

  describe('Function: selectNew', () => {
    it('finds every item new on the first poll, without an overflow warning', () => {
      // Act
      const result = selectNew(initialFeedState(URL_), items(1, 5));

      // Assess
      expect(result.fresh.map((i) => i.id)).toEqual(items(1, 5).map((i) => i.id));
      expect(result.overflow).toBe(false);
    });

    it('finds only the items not seen before, in feed order', () => {
      // Prepare
      const state = afterSuccess(initialFeedState(URL_), {
        validators: {},
        items: items(1, 5),
        now: T1,
      });

      // Act
      const result = selectNew(state, items(3, 8));

      // Assess
      expect(result.fresh.map((i) => i.id)).toEqual([
        'worthynews-8',
        'worthynews-7',
        'worthynews-6',
      ]);
      expect(result.overflow).toBe(false);
    });

    it('warns of an overflow when every item of a later poll is new', () => {
      // Prepare
      const state = afterSuccess(initialFeedState(URL_), {
        validators: {},
        items: items(1, 5),
        now: T1,
      });

      // Act
      const result = selectNew(state, items(20, 24));

      // Assess
      expect(result.fresh).toHaveLength(5);
      expect(result.overflow).toBe(true);
    });

    it('returns an item listed twice in one feed once', () => {
      // Act
      const result = selectNew(initialFeedState(URL_), [item(1), item(2), item(1)]);

      // Assess
      expect(result.fresh.map((i) => i.id)).toEqual(['worthynews-1', 'worthynews-2']);
    });

    it('finds nothing new and no overflow in an empty feed', () => {
      // Prepare
      const state = afterSuccess(initialFeedState(URL_), {
        validators: {},
        items: items(1, 2),
        now: T1,
      });

      // Act
      const result = selectNew(state, []);

      // Assess
      expect(result).toEqual({ fresh: [], overflow: false });
    });
  });

  describe('Function: afterSuccess', () => {
    it('records validators, times and health, newest ids first', () => {
      // Prepare
      const failed = afterFailure(initialFeedState(URL_), 'http 503 service unavailable', T1);

      // Act
      const state = afterSuccess(failed, {
        validators: { etag: '"abc"', lastModified: 'Fri, 29 Nov 2024 15:45:00 GMT' },
        items: items(1, 3),
        now: T2,
      });

      // Assess
      expect(state).toEqual({
        url: URL_,
        etag: '"abc"',
        lastModified: 'Fri, 29 Nov 2024 15:45:00 GMT',
        seen: ['worthynews-3', 'worthynews-2', 'worthynews-1'],
        lastSuccess: T2.toISOString(),
        lastAttempt: T2.toISOString(),
        consecutiveFailures: 0,
        lastError: 'http 503 service unavailable',
        lastStatus: 'ok',
      });
    });

    it('drops validators the new response did not send', () => {
      // Prepare
      const before = afterSuccess(initialFeedState(URL_), {
        validators: { etag: '"old"' },
        items: [],
        now: T1,
      });

      // Act
      const state = afterSuccess(before, { validators: {}, items: [], now: T2 });

      // Assess
      expect(state.etag).toBeUndefined();
      expect('etag' in state).toBe(false);
    });

    it(`bounds the seen list to ${DEFAULT_MAX_SEEN}, keeping the newest`, () => {
      // Prepare
      let state = initialFeedState(URL_);

      // Act
      for (let poll = 0; poll < 30; poll += 1) {
        state = afterSuccess(state, {
          validators: {},
          items: items(poll * 50 + 1, poll * 50 + 50),
          now: T1,
        });
      }

      // Assess
      expect(state.seen).toHaveLength(DEFAULT_MAX_SEEN);
      expect(state.seen[0]).toBe('worthynews-1500');
      expect(state.seen.at(-1)).toBe('worthynews-501');
    });

    it('keeps three times the feed length for a busy feed, so nothing still in it is re-announced', () => {
      // Prepare
      const first = afterSuccess(initialFeedState(URL_), {
        validators: {},
        items: items(1, 1500),
        now: T1,
      });

      // Act
      const second = afterSuccess(first, { validators: {}, items: items(101, 1600), now: T2 });
      const again = selectNew(second, items(101, 1600));

      // Assess
      expect(second.seen).toHaveLength(1600);
      expect(again.fresh).toEqual([]);
    });

    it('does not forget a busy feed after it comes back empty once', () => {
      // Prepare
      const busy = afterSuccess(initialFeedState(URL_), {
        validators: {},
        items: items(1, 1500),
        now: T1,
      });

      // Act
      const empty = afterSuccess(busy, { validators: {}, items: [], now: T2 });
      const back = selectNew(empty, items(1, 1500));

      // Assess
      expect(empty.seen).toHaveLength(1500);
      expect(back.fresh).toEqual([]);
    });

    it('round-trips through JSON unchanged', () => {
      // Prepare
      const state = afterSuccess(initialFeedState(URL_), {
        validators: { etag: '"e"' },
        items: items(1, 3),
        now: T1,
      });

      // Act
      const copy = JSON.parse(JSON.stringify(state)) as FeedState;

      // Assess
      expect(copy).toEqual(state);
    });
  });

  describe('Function: afterUnchanged', () => {
    it('keeps validators and seen ids and records a healthy poll', () => {
      // Prepare
      const before = afterFailure(
        afterSuccess(initialFeedState(URL_), {
          validators: { etag: '"e"' },
          items: items(1, 2),
          now: T1,
        }),
        'timed out after 15 s',
        T1
      );

      // Act
      const state = afterUnchanged(before, T2);

      // Assess
      expect(state).toMatchObject({
        etag: '"e"',
        seen: ['worthynews-2', 'worthynews-1'],
        lastSuccess: T2.toISOString(),
        consecutiveFailures: 0,
        lastStatus: 'unchanged',
      });
    });
  });

  describe('skipping writes that change only the times', () => {
    const healthy = () =>
      afterSuccess(initialFeedState(URL_), {
        validators: { etag: '"e"' },
        items: items(1, 3),
        now: T1,
      });

    it('returns the same state for a 304 within the heartbeat, a new one after it', () => {
      // Prepare
      const state = healthy();
      const later = new Date(T1.getTime() + UNCHANGED_HEARTBEAT_MS);

      // Act
      const soon = afterUnchanged(state, T2);
      const late = afterUnchanged(state, later);

      // Assess
      expect(soon).toBe(state);
      expect(needsRecordingUnchanged(state, T2)).toBe(false);
      expect(late).not.toBe(state);
      expect(needsRecordingUnchanged(state, later)).toBe(true);
      expect(late.lastSuccess).toBe(later.toISOString());
    });

    it('returns the same state for an unchanged 200 without validators, a new one when anything changed', () => {
      // Prepare
      const state = healthy();

      // Act
      const same = afterSuccess(state, {
        validators: { etag: '"e"' },
        items: items(1, 3),
        now: T2,
      });
      const newItem = afterSuccess(state, {
        validators: { etag: '"e"' },
        items: items(1, 4),
        now: T2,
      });
      const newEtag = afterSuccess(state, {
        validators: { etag: '"f"' },
        items: items(1, 3),
        now: T2,
      });

      // Assess
      expect(same).toBe(state);
      expect(newItem).not.toBe(state);
      expect(newEtag).not.toBe(state);
    });

    it('always records a recovery after a failure', () => {
      // Prepare
      const failed = afterFailure(healthy(), 'http 502 bad gateway', T1);

      // Act
      const recovered = afterUnchanged(failed, T2);

      // Assess
      expect(recovered).not.toBe(failed);
      expect(recovered).toMatchObject({ consecutiveFailures: 0, lastStatus: 'unchanged' });
    });
  });

  describe('Function: afterFailure', () => {
    it('counts consecutive failures and keeps validators and seen ids', () => {
      // Prepare
      const ok = afterSuccess(initialFeedState(URL_), {
        validators: { etag: '"e"' },
        items: items(1, 2),
        now: T1,
      });

      // Act
      const state = afterFailure(
        afterFailure(ok, 'http 500 internal server error', T1),
        'timed out',
        T2
      );

      // Assess
      expect(state).toMatchObject({
        etag: '"e"',
        seen: ['worthynews-2', 'worthynews-1'],
        lastSuccess: T1.toISOString(),
        lastAttempt: T2.toISOString(),
        consecutiveFailures: 2,
        lastError: 'timed out',
        lastStatus: 'error',
      });
    });
  });

  describe('Function: reviveFeedState', () => {
    it('falls back to defaults for missing or mistyped fields', () => {
      // Act
      const state = reviveFeedState(
        {
          seen: ['a', 2, 'b'],
          consecutiveFailures: -1,
          etag: 5,
          lastStatus: 'weird',
          lastError: 'x',
        },
        URL_
      );

      // Assess
      expect(state).toEqual({
        url: URL_,
        seen: ['a', 'b'],
        consecutiveFailures: 0,
        lastError: 'x',
      });
      expect(reviveFeedState('garbage', URL_)).toEqual(initialFeedState(URL_));
    });
  });
});
