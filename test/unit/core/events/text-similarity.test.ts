import { describe, expect, it } from 'vitest';
import {
  contentWords,
  isNearCopy,
  jaccard,
  overlap,
  topicSimilarity,
} from '../../../../lambdas/core/events/text-similarity.ts';
import { report } from './fixtures.ts';

const text = (name: Parameters<typeof report>[0]) => {
  const { item } = report(name);
  return contentWords(`${item.title} ${item.summary ?? ''}`);
};

describe('Function: contentWords', () => {
  it('folds case and diacritics, drops stopwords and possessives, and stems plurals', () => {
    // Act
    const tokens = contentWords(
      'The insurgents breached Syria’s second-largest city, Alep̈po, on Friday'
    );

    // Assess
    expect(tokens).toEqual([
      'insurgent',
      'breached',
      'syria',
      'second',
      'largest',
      'city',
      'aleppo',
    ]);
  });
});

describe('Function: jaccard and overlap', () => {
  it.each([
    [['a', 'b'], ['a', 'b'], 1, 1],
    [['a', 'b'], ['c'], 0, 0],
    [['a', 'b', 'c', 'd'], ['a', 'b'], 0.5, 1],
    [[], [], 0, 0],
  ])('%j vs %j', (a, b, j, o) => {
    // Act + Assess
    expect(jaccard(new Set(a), new Set(b))).toBe(j);
    expect(overlap(new Set(a), new Set(b))).toBe(o);
  });
});

describe('Function: isNearCopy', () => {
  it('recognises a wire story republished with another headline', () => {
    // Prepare
    const original = report('seedWorthy').item;
    const copy = report('wireCopy').item;

    // Act + Assess
    expect(isNearCopy(contentWords(original.summary ?? ''), contentWords(copy.summary ?? ''))).toBe(
      true
    );
  });

  it('tells independently written reports of one event apart', () => {
    // Act + Assess
    expect(isNearCopy(text('seedWorthy'), text('seedSecond'))).toBe(false);
    expect(isNearCopy(text('seedSecond'), text('newCity'))).toBe(false);
  });

  it('does not judge short texts by wording alone', () => {
    // Act + Assess
    expect(
      isNearCopy(contentWords('Rebels breach Aleppo'), contentWords('Syrian rebels breach Aleppo'))
    ).toBe(false);
    expect(
      isNearCopy(contentWords('Rebels breach Aleppo'), contentWords('Rebels breach Aleppo'))
    ).toBe(true);
  });
});

describe('Function: topicSimilarity', () => {
  it('scores two outlets on one event above two events in different countries', () => {
    // Act
    const sameEvent = topicSimilarity(text('seedWorthy'), text('seedSecond'));
    const otherEvent = topicSimilarity(text('seedWorthy'), text('otherCountry'));

    // Assess
    expect(sameEvent).toBeGreaterThan(0.3);
    expect(otherEvent).toBeLessThan(0.1);
  });
});
