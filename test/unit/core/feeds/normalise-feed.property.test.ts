import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../../lambdas/core/common/errors.ts';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { cleanText } from '../../../../lambdas/core/feeds/feed-text.ts';
import { normaliseFeed } from '../../../../lambdas/core/feeds/normalise-feed.ts';
import { parseFeed } from '../../../../lambdas/core/feeds/parse-feed.ts';

const NOW = new Date('2024-11-30T00:00:00Z');
const FEED = { url: 'https://feeds.example/rss' };

const hasControlChars = (text: string): boolean =>
  [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 32 || (code >= 0x7f && code <= 0x9f);
  });

/** What every normalised item must satisfy, whatever the input. */
const expectValidItem = (item: Item): void => {
  expect(typeof item.id).toBe('string');
  expect(item.id.length).toBeGreaterThan(0);
  expect(item.id.length).toBeLessThanOrEqual(500);
  expect(item.title.length).toBeGreaterThan(0);
  expect(item.title).toBe(item.title.trim());
  expect(hasControlChars(item.title)).toBe(false);
  if (item.summary !== undefined) expect(hasControlChars(item.summary)).toBe(false);
  if (item.link !== undefined) expect(item.link).toMatch(/^https?:\/\/[^\s]+$/);
  if (item.published !== undefined) {
    const ms = Date.parse(item.published);
    expect(item.published).toBe(new Date(ms).toISOString());
    expect(ms).toBeGreaterThanOrEqual(Date.UTC(1990, 0, 1));
    expect(ms).toBeLessThanOrEqual(NOW.getTime() + 86_400_000);
  }
  expect(item.feed).toBe(FEED.url);
};

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '<b>bold</b>',
    '&amp;lt;script&amp;gt;',
    'javascript:alert(1)',
    '/relative/link',
    'Fri, 29 Nov 2024 10:00:00 GMT',
    '9999-99-99',
    '\u202eevil',
    '\u0000\u0007\u001b'
  )
);

describe('Property: feed normalisation', () => {
  it('normaliseFeed never throws and only yields valid items, whatever rss-parser hands it', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            title: fc.anything(),
            link: fc.oneof(fc.anything(), anyText),
            items: fc.array(
              fc.oneof(
                fc.anything(),
                fc.record(
                  {
                    title: fc.oneof(anyText, fc.anything()),
                    link: fc.oneof(anyText, fc.anything()),
                    guid: fc.oneof(anyText, fc.anything()),
                    id: anyText,
                    content: anyText,
                    summary: anyText,
                    isoDate: anyText,
                    pubDate: anyText,
                  },
                  { requiredKeys: [] }
                )
              ),
              { maxLength: 20 }
            ),
          },
          { requiredKeys: [] }
        ),
        (output) => {
          const items = normaliseFeed(output, FEED, NOW);
          for (const item of items) expectValidItem(item);
        }
      ),
      { numRuns: 300 }
    );
  });

  it('parseFeed resolves with valid items or rejects with a FeedError for any item text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            title: anyText,
            link: anyText,
            date: anyText,
            description: anyText,
            raw: fc.boolean(),
          }),
          { maxLength: 8 }
        ),
        async (entries) => {
          const body = entries
            .map((e) => {
              const put = (s: string) => (e.raw ? s : escapeXml(s));
              return `<item><title>${put(e.title)}</title><link>${put(e.link)}</link><pubDate>${put(e.date)}</pubDate><description>${put(e.description)}</description></item>`;
            })
            .join('');
          const text = `<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>${body}</channel></rss>`;
          try {
            const items = await parseFeed(text, FEED, NOW);
            for (const item of items) expectValidItem(item);
          } catch (err) {
            expect(err).toBeInstanceOf(FeedError);
          }
        }
      ),
      { numRuns: 200 }
    );
  });

  it('parseFeed rejects any non-feed text with a FeedError, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 500 }), async (text) => {
        try {
          const items = await parseFeed(text, FEED, NOW);
          for (const item of items) expectValidItem(item);
        } catch (err) {
          expect(err).toBeInstanceOf(FeedError);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('cleanText yields trimmed single-spaced text without control characters, quickly', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.string({ unit: 'binary', maxLength: 5000 })), (raw) => {
        const started = performance.now();
        const text = cleanText(raw);
        expect(performance.now() - started).toBeLessThan(200);
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/\s{2}/);
        expect(hasControlChars(text)).toBe(false);
      }),
      { numRuns: 500 }
    );
  });

  it('cleanText stays fast on pathological markup', () => {
    // Prepare
    const nasty = [
      '<script>'.repeat(20_000),
      '<'.repeat(100_000),
      '<a '.repeat(50_000),
      '&'.repeat(100_000),
      '<!--'.repeat(25_000),
    ];

    // Act
    const started = performance.now();
    for (const raw of nasty) cleanText(raw);

    // Assess
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
