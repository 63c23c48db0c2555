import { describe, expect, it } from 'vitest';
import { extractCasualties } from '../../../../lambdas/core/rules/extract.ts';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { tokenize } from '../../../../lambdas/core/rules/text.ts';
import { defaultRules, item } from './helpers.ts';

const figures = (text: string) => extractCasualties([tokenize('summary', text)], () => true);

describe('casualty language: how reports word a toll', () => {
  it.each([
    // Tolls that rise, reach, climb, jump, top, stand at, hit.
    ['Death toll from the attack rises to 21', { killed: 21 }],
    ['The toll climbs to 700 after air strikes', { killed: 700 }],
    ['The number of dead has risen to 1,100 after the attack', { killed: 1100 }],
    ['The number of people killed in Gaza has risen to 1,100', { killed: 1100 }],
    ['Death toll reaches 300 after strikes on the city', { killed: 300 }],
    ['Death toll jumps to 50 in missile strike', { killed: 50 }],
    ['Death toll tops 1,000 after the incursion', { killed: 1000 }],
    ['Death toll stands at 45 after the bombing', { killed: 45 }],
    ['Death toll hits 90 in the shelling of the port', { killed: 90 }],
    ['Deaths from the strike rose to 30', { killed: 30 }],
    ['The death toll rose from 14 to 21 overnight', { killed: 21 }],
    ['The death toll rose by 7 to 21 overnight', { killed: 21 }],
    ['The number of wounded rose to 2,400', { injured: 2400 }],
    // Present and past tense verbs with a number object.
    ['Gunmen kill 40 people in a village', { killed: 40 }],
    ['Airstrike kills 3 Palestinians', { killed: 3 }],
    ['Militants stormed the town, killing at least 40', { killed: 40 }],
    ['Israeli strikes kill 12 and wound 30', { killed: 12, injured: 30 }],
    ['Three people die in a strike on the market', { killed: 3 }],
    // A number before the word.
    ['Shelling left 12 dead in the city', { killed: 12 }],
    ['Shelling left 12 people dead in the city', { killed: 12 }],
    ['12 were killed in the air strike', { killed: 12 }],
    ['12 have been killed in the air strike', { killed: 12 }],
    ['Over 250 bodies recovered from the site', { killed: 250 }],
    ['Twenty-nine bodies have been retrieved from the river', { killed: 29 }],
    // Qualifiers, words, separators, ranges (the lower bound).
    ['At least 40 people were killed in the attack', { killed: 40 }],
    ['More than 1,000 killed in the attack', { killed: 1000 }],
    ['Nearly 700 people have been killed in the strikes', { killed: 700 }],
    ['Three soldiers were killed in the ambush', { killed: 3 }],
    ['Rebels killed 20 to 30 soldiers in the ambush', { killed: 20 }],
    ['Between 20 and 30 people were killed', { killed: 20 }],
    // Killed apart from injured.
    ['Rebels killed 5 and wounded 12 in the attack', { killed: 5, injured: 12 }],
    ['Two suicide bombers detonated explosives, killing themselves', { killed: 2 }],
    // Other numbers beside the count.
    ['Israel calls up 300,000 reservists after an attack that killed 700', { killed: 700 }],
    ['Hamas fired 100 rockets, killing 2', { killed: 2 }],
    ['Attack on Route 60 kills 2', { killed: 2 }],
    ['Gunman with Kalashnikov 47 kills 3', { killed: 3 }],
    // Real headlines.
    ['Israel death toll rises to 700 as Hamas holds hostages', { killed: 700 }],
    ['Death toll from Hamas attack on Israel climbs to more than 1,200', { killed: 1200 }],
    ['Gaza death toll rises to 687', { killed: 687 }],
    ['Israel kills three Palestinians in Gaza, West Bank', { killed: 3 }],
    ['Over 250 bodies recovered from site of music festival', { killed: 250 }],
    ['Hamas attack kills at least 40 in kibbutz', { killed: 40 }],
  ])('%s -> %o', (text, expected) => {
    // Act
    const result = figures(text);

    // Assess
    expect(result).toEqual(expected);
  });

  it.each([
    ['A 16-year-old was killed in the raid'],
    ['A man aged 47 was killed in the raid'],
    ['A boy, 16, was killed in the raid'],
    ['No one was killed in the attack'],
    ['A man with a Kalashnikov 47 killed a policeman'],
    ['An attack on Route 60 killed a settler'],
    ['Two gunmen killed a police officer'],
    ['A strike hit 3 homes, killing a family'],
    ['Hamas threatens to kill 40 hostages'],
    ['The strike could have killed 300 people'],
    ['Militants were paid $5,000 for each soldier killed'],
    ['At 10:30 killed soldiers were carried out'],
    ['40% of those killed were children'],
    ['Hamas fired 100 rockets, and many were killed'],
    ['Death toll rises by 30 in the city'],
    ['Rockets hit 12 towns as the death toll rises'],
    ['Toll road prices rise to 5 dollars'],
    ['Families stay in one room, so they will live or die together'],
    ['The attack killed several people and wounded many others'],
  ])('gives no figure for: %s', (text) => {
    // Act
    const result = figures(text);

    // Assess
    expect(result).toEqual({});
  });
});

describe('casualty language through classify (default rules)', () => {
  it('gives "Gunmen kill 40 people" the figure and severity of "Gunmen killed 40 villagers"', () => {
    // Act
    const present = classify(item('Gunmen kill 40 people'), defaultRules());
    const past = classify(item('Gunmen killed 40 villagers'), defaultRules());

    // Assess
    expect(present.escalation).toBe(true);
    expect(present.casualties).toEqual({ killed: 40 });
    expect(past.casualties).toEqual({ killed: 40 });
    expect(present.severity).toBe(past.severity);
  });

  it('reads a risen toll as the killed figure', () => {
    // Prepare
    const text =
      'The death toll from the Russian missile strike on the apartment block in Kharkiv rises to 21';

    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.escalation).toBe(true);
    expect(result.casualties).toEqual({ killed: 21 });
  });

  it.each([
    ['Death toll from Hamas attack on Israel climbs to more than 1,200', { killed: 1200 }],
    ['Hamas attack kills at least 40 in kibbutz', { killed: 40 }],
    ['Rebels killed 5 soldiers and wounded 12 in the attack', { killed: 5, injured: 12 }],
  ])('classifies %s with %o', (text, expected) => {
    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.escalation).toBe(true);
    expect(result.casualties).toEqual(expected);
  });

  it('keeps a threat out of the figures', () => {
    // Act
    const result = classify(
      item('Gunmen stormed the village and vowed to kill 100 more people'),
      defaultRules()
    );

    // Assess
    expect(result.escalation).toBe(true);
    expect(result.casualties ?? {}).toEqual({});
  });
});
