import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { afterSuccess, type FeedState } from '../../../../lambdas/core/feeds/feed-state.ts';
import { nextSchedule } from '../../../../lambdas/core/feeds/poll-schedule.ts';
import {
  encodeShardState,
  initialShardFeed,
  mergeShardStates,
  reviveShardFeed,
  reviveShardState,
  SHARD_MIN_SEEN,
  type ShardFeed,
  seenKey,
  shardFeedFromLegacy,
} from '../../../../lambdas/core/feeds/shard-state.ts';

const SHARD = { count: 2, index: 1 };
const NOW = new Date('2024-11-29T18:00:00Z');

/** A 30-item feed of `url` at poll `n` (three new items a poll), with its guids and dates. */
const items = (url: string, n: number): Item[] =>
  Array.from({ length: 30 }, (_, i) => ({
    id: `${url}/news/2024/11/29/story-${3 * n - i}-a-fairly-long-slug-like-real-feeds-have`,
    title: `Story ${3 * n - i}`,
    feed: url,
    published: new Date(NOW.getTime() - (i + 1) * 20 * 60_000).toISOString(),
  }));

/** A feed's entry after `polls` polls of a typical 30-item feed. */
const typical = (url: string, polls: number): ShardFeed => {
  let entry = initialShardFeed(url);
  for (let n = 0; n < polls; n += 1) {
    const at = new Date(NOW.getTime() + n * 5 * 60_000);
    entry = {
      state: afterSuccess(entry.state, {
        validators: { etag: `W/"${url.length}-${n}-abcdef0123"`, lastModified: at.toUTCString() },
        items: items(url, n),
        now: at,
        maxSeen: SHARD_MIN_SEEN,
        key: seenKey,
      }),
      schedule: nextSchedule(entry.schedule, {
        outcome: 'changed',
        tick: at,
        now: at,
        consecutiveFailures: 0,
        published: items(url, n).map((i) => i.published),
      }),
    };
  }
  return entry;
};

describe('Module: shard-state', () => {
  it('round-trips a shard document: state, seen keys and schedule', () => {
    // Prepare
    const feeds = new Map([
      ['https://a.example/rss', typical('https://a.example/rss', 3)],
      ['https://b.example/rss', initialShardFeed('https://b.example/rss')],
    ]);

    // Act
    const text = encodeShardState(SHARD, feeds);
    const back = reviveShardState(JSON.parse(text));

    // Assess
    expect(back).toEqual(feeds);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ v: 1, shard: '2-1' });
    expect(doc.feeds['https://a.example/rss'].seen).toMatch(/^([A-Za-z0-9_-]{8}){36}$/);
    expect(encodeShardState(SHARD, back)).toBe(text);
  });

  it('keeps at least 100 seen keys a feed, 3x a busy feed, never forgetting ids the feed lists', () => {
    const entry = typical('https://a.example/rss', 40);
    expect(entry.state.seen).toHaveLength(SHARD_MIN_SEEN);
    expect(entry.state.seen.slice(0, 30)).toEqual(
      items('https://a.example/rss', 39).map((i) => seenKey(i.id))
    );
  });

  it('keeps a shard of 250 typical 30-item feeds small', () => {
    // Prepare
    const feeds = new Map<string, ShardFeed>();
    for (let f = 0; f < 250; f += 1) {
      const url = `https://outlet-${f}.example.com/rss/world/news.xml`;
      feeds.set(url, typical(url, 30));
    }

    // Act
    const bytes = Buffer.byteLength(encodeShardState(SHARD, feeds));

    // Assess: about 1.3 KB a feed (100 seen keys are 800 bytes of it)
    expect(bytes).toBeLessThan(350_000);
    expect(bytes).toBeGreaterThan(250_000);
  });

  it('revives junk as fresh state, entry by entry, never throwing', () => {
    // Prepare
    const junk = [null, 3, 'x', [], { feeds: [] }, { feeds: 'nope' }];

    // Act
    const revived = junk.map((value) => reviveShardState(value));
    const mixed = reviveShardState({
      feeds: {
        'https://a.example/rss': {
          seen: 'AAAAAAAAbbbb!!!!CCCCCCCCdd',
          etag: 5,
          consecutiveFailures: -1,
          lastStatus: 'sleeping',
          nextPollAt: 'soon',
          intervalMinutes: -3,
          skipHours: [1, 1, 30, 'x', 2],
          ttlMinutes: '60',
        },
        'https://b.example/rss': 'not an object',
      },
    });

    // Assess
    for (const feeds of revived) expect(feeds.size).toBe(0);
    expect(mixed.get('https://a.example/rss')).toEqual({
      state: {
        url: 'https://a.example/rss',
        seen: ['AAAAAAAA', 'CCCCCCCC'],
        consecutiveFailures: 0,
      },
      schedule: { skipHours: [1, 2] },
    });
    expect(mixed.get('https://b.example/rss')).toEqual(initialShardFeed('https://b.example/rss'));
    expect(reviveShardFeed({ seen: ['AAAAAAAA', 7, 'toolongforakey'] }, 'u').state.seen).toEqual([
      'AAAAAAAA',
    ]);
  });

  it('takes a per-feed state of the former layout with its ids hashed, due now', () => {
    const legacy: FeedState = {
      url: 'https://a.example/rss',
      etag: '"e1"',
      seen: ['guid-1', 'guid-2'],
      consecutiveFailures: 0,
      lastStatus: 'ok',
    };
    expect(shardFeedFromLegacy(legacy)).toEqual({
      state: { ...legacy, seen: [seenKey('guid-1'), seenKey('guid-2')] },
      schedule: {},
    });
  });

  it("merges another worker's document: my feeds take my values, the others keep theirs, removed feeds go", () => {
    // Prepare
    const a = 'https://a.example/rss';
    const b = 'https://b.example/rss';
    const gone = 'https://gone.example/rss';
    const theirs = new Map([
      [a, typical(a, 1)],
      [b, typical(b, 1)],
      [gone, typical(gone, 1)],
    ]);
    const mine = new Map([[a, typical(a, 2)]]);

    // Act
    const merged = mergeShardStates(theirs, mine, new Set([a, b]));

    // Assess
    expect([...merged.keys()]).toEqual([a, b]);
    expect(merged.get(a)).toBe(mine.get(a));
    expect(merged.get(b)).toBe(theirs.get(b));
  });
});
