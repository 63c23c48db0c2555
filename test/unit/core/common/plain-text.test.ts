import { describe, expect, it } from 'vitest';
import { oneLine, truncate } from '../../../../lambdas/core/common/plain-text.ts';
import { gsm7Septets } from '../../../../lambdas/core/delivery/transliterate.ts';

describe('Function: truncate', () => {
  it('cuts at a word boundary and marks the cut', () => {
    // Act
    const out = truncate('Syrian opposition breaches Aleppo after car bombs', 30);

    // Assess
    expect(out).toBe('Syrian opposition breaches...');
  });

  it('leaves text that fits alone', () => {
    // Act + Assess
    expect(truncate('Aleppo', 6)).toBe('Aleppo');
  });

  it('respects a custom measure', () => {
    // Act
    const out = truncate(
      '[a] [b] [c] [d] [e]',
      12,
      (s) => gsm7Septets(s) ?? Number.POSITIVE_INFINITY
    );

    // Assess
    expect(gsm7Septets(out)).toBeLessThanOrEqual(12);
    expect(out.endsWith('...')).toBe(true);
  });
});

describe('Function: oneLine', () => {
  it('removes control and invisible characters and collapses whitespace', () => {
    // Act + Assess
    expect(oneLine('  Car\u0000 bombs\u0085\n\n hit\u00A0Aleppo\uFEFF ')).toBe(
      'Car bombs hit Aleppo'
    );
  });

  it('removes bidirectional embeddings, overrides and isolates', () => {
    // Act + Assess
    expect(oneLine('\u202Eexe.\u202Cgnp \u2067a\u2069\u202A\u202B\u202D\u2066\u2068')).toBe(
      'exe.gnp a'
    );
  });
});
