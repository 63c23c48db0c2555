import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules, repoFile } from './helpers.ts';

// The two reference reports (test/fixtures/seeds).
const worthy = repoFile('test/fixtures/seeds/worthy-news-aleppo.txt');
const second = repoFile('test/fixtures/seeds/second-outlet-aleppo.txt');

const worthyLede = worthy.split('\n')[1] as string;
const worthyReport = worthy.slice(0, worthy.indexOf('Copyright'));
const secondLede = second.split('\n')[0] as string;
const teasers = worthy
  .slice(worthy.indexOf('Latest Stories'))
  .split('\n')
  .slice(1)
  .filter((t) => !t.startsWith('Syrian opposition groups have breached'));

const SEEDS: { name: string; item: Item; killed?: number; idlib: boolean }[] = [
  {
    name: 'Worthy News lede',
    item: { id: 'worthy-lede', title: 'Syrian opposition breaches Aleppo', summary: worthyLede },
    killed: 200,
    idlib: false,
  },
  {
    name: 'Worthy News full report',
    item: {
      id: 'worthy-full',
      title: 'Syrian opposition breaches Aleppo',
      summary: worthyLede,
      content: worthyReport,
    },
    killed: 200,
    idlib: true,
  },
  {
    name: 'second outlet lede',
    item: {
      id: 'second-lede',
      title: 'Insurgents launch offensive on Aleppo',
      summary: secondLede,
    },
    idlib: false,
  },
  {
    name: 'second outlet full report',
    item: {
      id: 'second-full',
      title: 'Insurgents launch offensive on Aleppo',
      summary: secondLede,
      content: second,
    },
    killed: 4,
    idlib: true,
  },
];

describe('the seed reports', () => {
  it.each(SEEDS)('$name is an escalation in Aleppo, Syria', ({ item, killed, idlib }) => {
    // Act
    const result = classify(item, defaultRules());

    // Assess
    expect(result.escalation, explain(item, defaultRules())).toBe(true);
    expect(result.places.slice(0, 1)).toEqual(['Aleppo']);
    expect(result.places).toContain('Syria');
    if (idlib) expect(result.places).toContain('Idlib');
    expect(result.casualties?.killed).toBe(killed);
    expect(result.categories).toContain('offensive');
    expect(['high', 'critical']).toContain(result.severity);
  });

  it('finds car bombs, the breach, air strikes and the figure in the first report', () => {
    // Act
    const result = classify(SEEDS[1]?.item as Item, defaultRules());

    // Assess
    expect(result.categories).toEqual(
      expect.arrayContaining(['bombing', 'offensive', 'air-strike', 'mass-casualties'])
    );
    expect(result.severity).toBe('critical');
    expect(result.actors).toContain('Hayat Tahrir al-Sham');
    const texts = result.matches.map((m) => m.text.toLowerCase());
    for (const phrase of ['car bombs', 'breached', 'air strikes']) {
      expect(texts.some((t) => t.includes(phrase))).toBe(true);
    }
  });

  it('treats the Israel-Hezbollah ceasefire as context, not as a de-escalation', () => {
    // Prepare
    const item = SEEDS[3]?.item as Item;

    // Act
    const why = explain(item, defaultRules());

    // Assess
    expect(why).toContain('verdict: ESCALATION');
    expect(classify(item, defaultRules()).escalation).toBe(true);
  });

  it('has the four unrelated teasers', () => {
    // Assess
    expect(teasers).toHaveLength(4);
  });

  it.each(teasers.map((t) => [t.slice(0, 50), t]))(
    'does not alert on the teaser "%s..."',
    (_s, t) => {
      // Prepare
      const item: Item = { id: 'teaser', title: t.slice(0, 80), summary: t };

      // Act
      const result = classify(item, defaultRules());

      // Assess
      expect(result.escalation).toBe(false);
      expect(result.score).toBe(0);
    }
  );
});
