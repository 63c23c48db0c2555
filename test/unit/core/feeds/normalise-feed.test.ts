import { describe, expect, it } from 'vitest';
import { normaliseFeed, sensibleDate } from '../../../../lambdas/core/feeds/normalise-feed.ts';

const NOW = new Date('2024-11-30T00:00:00Z');

describe('Function: normaliseFeed', () => {
  it('never throws on output of the wrong shape', () => {
    // Prepare
    const odd = [
      null,
      42,
      'x',
      { items: 'nope' },
      { items: [null, 1, 'x', { title: { $: { type: 'html' } } }, { title: ['a', 'b'] }] },
      { title: { nested: true }, link: 12, items: [{ title: 'ok', link: { $: { href: '/p' } } }] },
    ];

    // Act
    const results = odd.map((o) => normaliseFeed(o, { url: 'https://x.example/rss' }, NOW));

    // Assess
    expect(results.slice(0, 4)).toEqual([[], [], [], []]);
    expect(results[4]?.map((i) => i.title)).toEqual(['a']);
    expect(results[5]?.[0]).toMatchObject({ title: 'ok', link: 'https://x.example/p' });
  });
});

describe('Function: sensibleDate', () => {
  it.each([
    ['Fri, 29 Nov 2024 10:00:00 GMT', '2024-11-29T10:00:00.000Z'],
    ['2024-11-29T12:00:00+02:00', '2024-11-29T10:00:00.000Z'],
    ['1989-12-31T23:59:59Z', undefined],
    ['2024-12-01T00:00:01Z', undefined],
    ['not a date', undefined],
    ['', undefined],
  ])('reads %j as %j', (raw, expected) => {
    // Act
    const date = sensibleDate(raw, NOW);

    // Assess
    expect(date).toBe(expected);
  });
});
