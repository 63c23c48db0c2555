import { describe, expect, it } from 'vitest';
import type { FeedReport } from '../../../lambdas/pipeline/poll.ts';
import {
  DEFAULT_STALE_AFTER_FAILURES,
  summarisePoll,
} from '../../../lambdas/pipeline/poll-summary.ts';

const report = (url: string, fields: Partial<FeedReport>): FeedReport => ({
  url,
  status: 'ok',
  items: 0,
  new: 0,
  warnings: [],
  bytes: 0,
  consecutiveFailures: 0,
  ...fields,
});

describe('Function: summarisePoll', () => {
  it('counts feeds by outcome and not due, adds up new items and lists the items objects once each', () => {
    // Prepare
    const feeds = [
      report('https://a.example/rss', { items: 5, new: 2, itemsKey: 'items/s.jsonl' }),
      report('https://b.example/rss', { status: 'unchanged' }),
      report('https://c.example/rss', { status: 'error', error: 'gone', consecutiveFailures: 1 }),
      report('https://d.example/rss', { items: 3, new: 3, itemsKey: 'items/s.jsonl' }),
    ];

    // Act
    const summary = summarisePoll({ feeds, itemsKeys: ['items/s.jsonl'], notDue: 7 });

    // Assess
    expect(summary).toEqual({
      feeds: 4,
      notDue: 7,
      ok: 2,
      unchanged: 1,
      errors: 1,
      newItems: 5,
      stale: [],
      itemsKeys: ['items/s.jsonl'],
    });
  });

  it('counts a feed as stale from the given number of failures in a row, 12 by default', () => {
    // Prepare
    const feeds = [
      report('https://a.example/rss', { status: 'error', consecutiveFailures: 11 }),
      report('https://b.example/rss', { status: 'error', consecutiveFailures: 12 }),
    ];

    // Act
    const byDefault = summarisePoll({ feeds, itemsKeys: [], notDue: 0 });
    const stricter = summarisePoll({ feeds, itemsKeys: [], notDue: 0 }, 3);

    // Assess
    expect(DEFAULT_STALE_AFTER_FAILURES).toBe(12);
    expect(byDefault.stale).toEqual(['https://b.example/rss']);
    expect(stricter.stale).toEqual(['https://a.example/rss', 'https://b.example/rss']);
  });
});
