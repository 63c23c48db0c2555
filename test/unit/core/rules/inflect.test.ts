import { describe, expect, it } from 'vitest';
import { expandTerm, inflect } from '../../../../lambdas/core/rules/inflect.ts';

describe('inflection and terms', () => {
  it.each([
    ['strike', ['strike', 'strikes', 'striking']],
    ['kill', ['kill', 'kills', 'killed', 'killing']],
    ['kidnap', ['kidnapped', 'kidnapping']],
    ['captur', ['capture', 'captures', 'captured', 'capturing']],
    ['ambush', ['ambushes', 'ambushed', 'ambushing']],
    ['militia', ['militias']],
  ])('inflects %s~ into %j (and more)', (word, forms) => {
    // Act
    const result = inflect(word);

    // Assess
    expect(result).toEqual(expect.arrayContaining(forms));
  });

  it('expands multi-word terms and number classes', () => {
    // Act
    const air = expandTerm('air strike~').map((s) => s.join(' '));
    const year = expandTerm('since <year>');

    // Assess
    expect(air).toEqual(expect.arrayContaining(['air strike', 'air strikes', 'air striking']));
    expect(year).toEqual([['since', '<year>']]);
  });
});
