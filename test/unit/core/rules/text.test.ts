import { describe, expect, it } from 'vitest';
import { fold } from '../../../../lambdas/core/rules/fold.ts';
import { tokenize } from '../../../../lambdas/core/rules/text.ts';

describe('folding and tokenising', () => {
  it('folds case, diacritics and curly quotes without moving offsets', () => {
    // Prepare
    const text = 'Türkiye’s “Ménaka” ÉCOLE';

    // Act
    const folded = fold(text);

    // Assess
    expect(folded).toBe('turkiye\'s "menaka" ecole');
    expect(folded).toHaveLength(text.length);
  });

  it('keeps offsets into the original text and drops the possessive', () => {
    // Prepare
    const text = 'Syria’s second-largest city, Aleppo, fell.';

    // Act
    const ts = tokenize('summary', text);

    // Assess
    expect(ts.words).toEqual(['syria', 'second', 'largest', 'city', 'aleppo', 'fell']);
    expect(ts.words.map((_, i) => text.slice(ts.starts[i], ts.ends[i]))).toEqual([
      'Syria',
      'second',
      'largest',
      'city',
      'Aleppo',
      'fell',
    ]);
  });

  it('keeps numbers with separators whole', () => {
    // Act
    const ts = tokenize('summary', 'forcing 1,141 people out; $671.7bn');

    // Assess
    expect(ts.words).toContain('1,141');
    expect(ts.words).toContain('671.7bn');
  });

  it.each([
    ['Two were killed. Three were hurt.', 2],
    ['U.S. troops and Col. B. Smith arrived in Feb. 2020 at the base.', 1],
    // A single letter before a period never ends a sentence (initials, p.m.): a known, safe miss.
    ['The blast hit at 6 p.m. Police arrived later.', 1],
    ['Line one\nLine two', 2],
    ['He said "it is over." Then he left.', 2],
  ])('splits %j into %d sentences', (text, count) => {
    // Act
    const ts = tokenize('summary', text);

    // Assess
    expect(ts.sentenceCount).toBe(count);
  });
});
