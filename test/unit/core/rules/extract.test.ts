import { describe, expect, it } from 'vitest';
import { extractCasualties, readNumber } from '../../../../lambdas/core/rules/extract.ts';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { tokenize } from '../../../../lambdas/core/rules/text.ts';
import { defaultRules, item } from './helpers.ts';

const figures = (text: string) => {
  const ts = tokenize('summary', text);
  return extractCasualties([ts], () => true);
};

describe('casualty extraction (ACLED conventions)', () => {
  it.each([
    ['clashes that have killed some 200 people', { killed: 200 }],
    ['More than 180 combatants on both sides had been killed in the fighting', { killed: 180 }],
    ['at least 19 civilians had also been killed in air strikes', { killed: 19 }],
    ['The attack killed dozens of people, medics said', { killed: 12 }],
    ['Tens of soldiers were killed in the ambush', { killed: 10 }],
    ['Hundreds of people were killed in the assault', { killed: 100 }],
    ['Scores of fighters were killed, the army said', { killed: 20 }],
    ['Between 10 and 15 people were killed in the raid', { killed: 10 }],
    ['The bombing killed 10-15 people', { killed: 10 }],
    ['Rockets killed twenty-one villagers overnight', { killed: 21 }],
    ['Nearly two dozen police were wounded', { injured: 24 }],
    ['killing five police and wounding eight paramilitary troops', { killed: 5, injured: 8 }],
    ['At least 12 people were killed and two others were injured', { killed: 12, injured: 2 }],
    ['Fifteen people were killed and more than a dozen injured', { killed: 15, injured: 12 }],
    ['Militants attacked a checkpoint, leaving at least seven dead', { killed: 7 }],
    ['bringing the death toll to six in the recent clashes', { killed: 6 }],
    ['At least 86 people were killed and 230 others were wounded', { killed: 86, injured: 230 }],
  ])('%s -> %o', (text, expected) => {
    // Act
    const result = figures(text);

    // Assess
    expect(result).toEqual(expected);
  });

  it.each([
    ['A landmine killed or wounded at least 26 civilians'],
    ['Warplanes targeted the region, killing and wounding 30 civilians'],
    ['The fighting left dozens of casualties on each side'],
    ['Several soldiers were killed in the ambush'],
    ['Two hours after the blast, the road reopened'],
    ['Thousands gathered to mourn the soldiers killed in the war'],
  ])('gives no figure for: %s', (text) => {
    // Act
    const result = figures(text);

    // Assess
    expect(result).toEqual({});
  });

  it('takes the largest single figure across sentences, never a sum', () => {
    // Prepare
    const text =
      'Clashes have killed some 200 people. More than 180 combatants had been killed in the fighting. ' +
      'At least 19 civilians had also been killed in air strikes.';

    // Act
    const result = figures(text);

    // Assess
    expect(result).toEqual({ killed: 200 });
  });

  it('reads only the sentences that carry a match in a classification', () => {
    // Prepare
    const text =
      'Rebels attacked an army base on Friday, killing 14 soldiers. ' +
      'More than half a million people have died in the war since it began.';

    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.casualties).toEqual({ killed: 14 });
  });

  it.each([
    [['1,141', 'people'], 1141],
    [['a', 'dozen', 'people'], 12],
    [['two', 'hundred', 'people'], 200],
    [['dozens', 'of'], 12],
  ] as const)('reads the number %j as %d', (words, value) => {
    // Act
    const r = readNumber(words, 0);

    // Assess
    expect(r?.value).toBe(value);
  });

  it('reads a word that names a property of every JavaScript object as a word, not a number', () => {
    // Prepare: "constructor" once read as a number whose value was a function, and the toll was lost
    const text = 'Twelve people were killed. The constructor killed';

    // Act
    const result = figures(text);

    // Assess
    expect(result).toEqual({ killed: 12 });
    expect(readNumber(['constructor', 'people'], 0)).toBeUndefined();
    expect(readNumber(['a', 'constructor'], 0)).toBeUndefined();
  });

  it.each([[['2016']], [['15', 'km']], [['6', 'missiles']], [['several', 'people']]] as const)(
    'does not read %j as a count of people',
    (words) => {
      // Act
      const r = readNumber(words, 0);

      // Assess
      expect(r).toBeUndefined();
    }
  );
});

describe('places and actors', () => {
  it.each([
    ['Rebels shelled Aleppo on Monday, killing three.', ['Aleppo', 'Syria']],
    ['Rebels shelled Halab on Monday, killing three.', ['Aleppo', 'Syria']],
    ['Insurgents advanced on Saragab after clashes with the army.', ['Saraqab', 'Syria']],
    ['Militants attacked a checkpoint in Pulwama, killing two soldiers.', ['Pulwama', 'India']],
    ['Gunmen attacked a village in Borno State, killing 20 people.', ['Borno', 'Nigeria']],
  ])('%s -> places %j', (text, places) => {
    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.escalation).toBe(true);
    expect(result.places).toEqual(places);
  });

  it('names the armed groups it knows, under their canonical names', () => {
    // Prepare
    const text = 'HTS fighters and Al Shabaab militants attacked a government base.';

    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.actors).toEqual(['Hayat Tahrir al-Sham', 'Al-Shabaab']);
  });
});
