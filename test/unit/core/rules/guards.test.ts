import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules, describeVerdicts, item } from './helpers.ts';

/** Per guard: the sentence it must silence, beside a real event it must leave alone. */
const GUARDS: { guard: string; silenced: string; stillAlerts: string }[] = [
  {
    guard: 'negation',
    silenced: 'Officials said soldiers did not attack the village and no one was hurt.',
    stillAlerts: 'Soldiers attacked the village at dawn, killing two farmers, officials said.',
  },
  {
    guard: 'denial',
    silenced: 'The military denied that its soldiers had fired on civilians in the town.',
    stillAlerts: 'Rebels denied responsibility for the attack that killed 12 soldiers at the base.',
  },
  {
    guard: 'modality',
    silenced:
      'The militants threatened to attack government offices if their demands were not met.',
    stillAlerts: 'The militants attacked government offices after their demands were not met.',
  },
  {
    guard: 'modality',
    silenced: 'The army chief said troops are ready to respond to any attack on the border.',
    stillAlerts: 'Troops responded after insurgents attacked a border post overnight.',
  },
  {
    guard: 'historical',
    silenced: 'Thousands gathered to commemorate the soldiers killed in the 1971 war.',
    stillAlerts: 'Two soldiers were killed in a militant attack on a border post on Tuesday.',
  },
  {
    guard: 'historical-year',
    silenced: 'Rebels last seized a town in the region in 2016, analysts said.',
    stillAlerts:
      'An air strike killed 29 soldiers, the largest toll since the army entered the region in 2016.',
  },
  {
    guard: 'aftermath',
    silenced: 'A court sentenced four militants to life in prison for the bombing of the market.',
    stillAlerts: 'A bombing at the market killed nine people on Saturday morning.',
  },
  {
    guard: 'deescalation',
    silenced: 'Government forces and rebels agreed to a 72-hour truce to allow aid into the city.',
    stillAlerts: 'Rebels violated the ceasefire and shelled government positions on Sunday.',
  },
  {
    guard: 'deescalation',
    silenced: 'Ten militants surrendered to security forces in the district on Monday.',
    stillAlerts: 'Ten militants were killed by security forces in the district on Monday.',
  },
  {
    guard: 'deescalation',
    silenced: 'The rebels and the army exchanged prisoners and dead fighters near the front.',
    stillAlerts: 'The rebels and the army exchanged fire near the front, leaving four dead.',
  },
  {
    guard: 'diplomacy',
    silenced:
      'The EU imposed sanctions on militia commanders responsible for attacks on civilians.',
    stillAlerts: 'Militia commanders led attacks on civilians in three villages, killing 14.',
  },
  {
    guard: 'sport',
    silenced: 'The striker was injured as the two sides clashed in a bad-tempered cup final.',
    stillAlerts: 'Two soldiers were injured as troops and militants clashed near the border.',
  },
  {
    guard: 'entertainment',
    silenced: 'The film follows soldiers who storm a village in the final battle scene.',
    stillAlerts: 'Soldiers stormed a village in a final battle with the rebels, killing 30.',
  },
  {
    guard: 'rhetoric',
    silenced: 'The opposition leader attacked the government over its defence budget and the army.',
    stillAlerts: 'Insurgents attacked an army base in the north, officials said.',
  },
  {
    guard: 'accident',
    silenced: 'Four soldiers were killed in a car crash on the highway near the barracks.',
    stillAlerts: 'Four soldiers were killed in an ambush on the highway near the barracks.',
  },
  {
    guard: 'industrial',
    silenced: 'Six people were killed and two injured when a chemical plant exploded on Thursday.',
    stillAlerts: 'Six people were killed and two injured when a car bomb exploded on Thursday.',
  },
  {
    guard: 'disaster',
    silenced: 'Floods killed 40 people and troops were deployed to rescue stranded families.',
    stillAlerts: 'Militants killed 40 people and troops were deployed to secure the villages.',
  },
  {
    guard: 'crime',
    silenced: 'Three people died after a hand grenade exploded during an attempted robbery.',
    stillAlerts: 'Three people died after militants hurled a hand grenade at a bus stop.',
  },
  {
    guard: 'arrest',
    silenced: 'Police arrested five suspects over the bombing of the market last month.',
    stillAlerts: 'Security forces killed two militants and arrested three others near the town.',
  },
  {
    guard: 'condemnation',
    silenced: 'The foreign ministry condemned the attacks by militants on the border.',
    stillAlerts: 'The UN condemned the attack in which gunmen killed 12 villagers.',
  },
  {
    guard: 'protest',
    silenced:
      'Protesters rallied outside the army headquarters against the detention of activists.',
    stillAlerts: 'Insurgents attacked the army headquarters with rockets and gunfire.',
  },
  {
    guard: 'testing',
    silenced:
      'The navy test-fired a new cruise missile that hit a target ship in the exercise area.',
    stillAlerts: 'A cruise missile hit a residential building in the port city, killing five.',
  },
];

describe('default rules: guards', () => {
  it.each(GUARDS)('guard $guard silences: $silenced', ({ guard, silenced }) => {
    // Act
    const rules = defaultRules();
    const result = classify(item(silenced), rules);
    const why = explain(item(silenced), rules);

    // Assess
    expect(result.escalation, why).toBe(false);
    expect(why).toMatch(/no alert/);
    if (result.score > 0 || why.includes('guard ')) expect(why).toContain(`guard ${guard}`);
  });

  it.each(GUARDS)('guard $guard leaves the real event alone: $stillAlerts', ({ stillAlerts }) => {
    // Act
    const rules = defaultRules();
    const result = classify(item(stillAlerts), rules);

    // Assess
    expect(result.escalation, explain(item(stillAlerts), rules)).toBe(true);
  });

  it('shows the guard that fired in the explanation', () => {
    // Prepare
    const text = 'Four soldiers were killed in a car crash on the highway near the barracks.';

    // Act
    const why = explain(item(text), defaultRules());

    // Assess
    expect(why).toContain('guard accident (discard) fired on "car crash"');
    expect(why).toContain('verdict: no alert');
  });

  it('does not let a ceasefire mentioned as context cancel an offensive', () => {
    // Prepare
    const report: Item = {
      id: 'context-ceasefire',
      title: 'Rebels breach the city',
      summary:
        'Rebels breached the city after two car bombs and clashes with government forces killed 50 people. ' +
        'The offensive came days after a ceasefire was agreed in a neighbouring country.',
    };

    // Act
    const result = classify(report, defaultRules());

    // Assess
    expect(result.escalation).toBe(true);
    expect(result.casualties?.killed).toBe(50);
  });

  it("ignores a year cue when the year is the item's own publication year", () => {
    // Prepare
    const text = 'Rebels seized two villages in the north in 2024, residents said.';
    const current: Item = { id: 'a', title: '', summary: text, published: '2024-11-29T10:00:00Z' };
    const later: Item = { id: 'b', title: '', summary: text, published: '2026-11-29T10:00:00Z' };

    // Act
    const now = classify(current, defaultRules());
    const then = classify(later, defaultRules());

    // Assess
    expect(now.escalation).toBe(true);
    expect(then.escalation).toBe(false);
  });
});

describeVerdicts('default rules: guards that yield', [
  {
    spot: 'crime guard yields to military-style attacks on security forces',
    alerts: [
      'Members of a drug cartel ambushed a police convoy on the highway, killing nine officers.',
      'Cartel gunmen ambushed an army patrol in the mountains, killing four soldiers.',
    ],
    traps: [
      'Police arrested two members of a drug cartel after a robbery at a jewellery store.',
      'A cartel shooting at a bar left three people dead, police said.',
    ],
  },
  {
    spot: 'protest guard yields to security forces killing protesters',
    alerts: [
      'Troops fired at protesters, killing five, witnesses said.',
      'Security forces opened fire on demonstrators with live ammunition, killing at least 12.',
      'Soldiers shot dead three protesters at a roadblock.',
    ],
    traps: [
      'Police fired tear gas at protesters outside parliament.',
      'Thousands of protesters rallied against the killing of a student by police last month.',
      'Riot police used water cannon to disperse marchers in the capital.',
    ],
  },
]);
