import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import {
  afterSuccess,
  DEFAULT_MAX_SEEN,
  initialFeedState,
  selectNew,
} from '../../../../lambdas/core/feeds/feed-state.ts';

const URL_ = 'https://wire.example/rss';
const toItems = (ids: readonly string[]): Item[] => ids.map((id) => ({ id, title: `t ${id}` }));

describe('Property: feed state', () => {
  it('never re-announces an item still in the feed, and announces each new id once', () => {
    fc.assert(
      fc.property(
        // A feed as a sliding window over a stream of ids, polled several times.
        fc.array(fc.tuple(fc.nat({ max: 400 }), fc.integer({ min: 0, max: 1500 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (polls) => {
          let state = initialFeedState(URL_);
          const announced = new Set<string>();
          let start = 0;
          let longest = 0;
          for (const [advance, length] of polls) {
            start += advance;
            const ids = Array.from({ length }, (_, i) => `id-${start + length - 1 - i}`);
            const feed = toItems(ids);
            const { fresh } = selectNew(state, feed);
            const repeated = fresh.filter((item) => announced.has(item.id));
            expect(repeated).toEqual([]);
            for (const item of fresh) announced.add(item.id);
            state = afterSuccess(state, {
              validators: {},
              items: feed,
              now: new Date(Date.UTC(2024, 10, 29, 0, announced.size)),
            });
            longest = Math.max(longest, length);
            expect(state.seen.length).toBeLessThanOrEqual(Math.max(DEFAULT_MAX_SEEN, 3 * longest));
            expect(selectNew(state, feed).fresh).toEqual([]);
          }
        }
      ),
      { numRuns: 60 }
    );
  });

  it('survives a JSON round trip between polls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 50 }),
        (ids) => {
          const state = afterSuccess(initialFeedState(URL_), {
            validators: { etag: '"x"' },
            items: toItems(ids),
            now: new Date('2024-11-29T00:00:00Z'),
          });
          const copy = JSON.parse(JSON.stringify(state));
          expect(copy).toEqual(state);
          expect(selectNew(copy, toItems(ids)).fresh).toEqual([]);
        }
      )
    );
  });
});
