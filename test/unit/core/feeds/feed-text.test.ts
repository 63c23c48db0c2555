import { describe, expect, it } from 'vitest';
import { cleanText, truncate } from '../../../../lambdas/core/feeds/feed-text.ts';

describe('Function: cleanText', () => {
  it.each([
    ['<p>Hello <b>world</b></p>', 'Hello world'],
    ['a < b and c > d', 'a < b and c > d'],
    ['Fish &amp; chips &eacute; &#x263A;', 'Fish & chips é ☺'],
    ['line\none\r\n\ttwo', 'line one two'],
    ['<script>evil()</script>visible<!-- hidden -->', 'visible'],
    ['&lt;i&gt;escaped&lt;/i&gt; markup', 'escaped markup'],
    ['zero\u200bwidth\u202eright-to-left', 'zerowidthright-to-left'],
    ['bad \ud800 surrogate', 'bad surrogate'],
    ['می\u200cخواهم 👩\u200d💻', 'می\u200cخواهم 👩\u200d💻'],
  ])('cleans %j to %j', (raw, expected) => {
    // Act
    const text = cleanText(raw);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('Function: truncate', () => {
  it('cuts at a word boundary with an ellipsis, and leaves short text alone', () => {
    // Act
    const cut = truncate('the quick brown fox jumps over the lazy dog', 20);

    // Assess
    expect(cut).toBe('the quick brown fox…');
    expect(truncate('short', 20)).toBe('short');
  });
});
