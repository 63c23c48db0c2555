import { describe, expect, it } from 'vitest';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import {
  defaultRules,
  describeVerdicts,
  expectQuietAndLoud,
  item,
  type VerdictCase,
} from './helpers.ts';

/**
 * War words used figuratively (sports, weapon compounds, business), with the default rules: the
 * traps that must stay quiet, beside the reports that must alert.
 * The sentences are written for these tests (no dev or held-out rows).
 */
const CASES: VerdictCase[] = [
  {
    spot: 'sports vocabulary beyond football',
    alerts: [],
    traps: [
      "Starc's opening spell ambushed the top order as the hosts were bowled all out for 143.",
      "The visitors' bowlers ambushed the batting line-up before lunch.",
      'The seamer attacked the stumps and took three wickets in four overs.',
      'The batsman launched a blistering attack on the spinners, hitting six sixes.',
      'The All Blacks forwards battered the defence and scored a try in the corner.',
      'Nadal attacked the net relentlessly and broke serve twice in the second set.',
      'Carlsen launched a kingside attack and won in 34 moves.',
      'The grandmaster sacrificed a knight to open a devastating attack on the black king.',
      'The esports squad stormed the enemy base to clinch the Valorant final.',
      'The quarterback was ambushed by a blitz and fumbled on the first play.',
    ],
  },
  {
    spot: 'compound and figurative uses of weapon words',
    alerts: [],
    traps: [
      'Water-bombing planes dropped fire retardant on the blaze near the town.',
      'Firefighters used water bombing helicopters to douse the flames near the village.',
      'Her dog photo-bombed the wedding picture.',
      'Psychologists warn that love-bombing is a manipulation tactic.',
      'The shop sells bath bombs and scented candles.',
      'A bomb cyclone is expected to hit the coast with hurricane-force winds.',
      'The sequel was a box-office bomb, losing 80 million dollars.',
      "A drone show lit up the sky over the harbour on New Year's Eve.",
      'Traders watched the strike price of the call options.',
      'The activist entered the tenth day of a hunger strike.',
      'The two companies hope to strike a deal by Friday.',
      'Militant union leaders attacked the pay offer.',
      'The minister was ambushed by reporters outside parliament.',
      'Two companies were locked in a fierce battle for control of the market.',
      "Shell's profits rocketed as oil prices hit a record.",
      'The striker fired a missile into the top corner.',
    ],
  },
  {
    spot: 'business and finance metaphors',
    alerts: [
      'Rebels ambushed an army convoy, killing nine soldiers.',
      'Civilians were caught in the crossfire as troops and militants fought in the town.',
      'Rebels shot dead nine soldiers in an ambush; oil investors are worried.',
    ],
    traps: [
      'The start-up ambush left incumbents caught off guard by the new pricing.',
      'Savers are caught in the crossfire of a rates fight between the big banks.',
      'Smaller retailers were caught in the crossfire of the supermarket price war.',
      'The chief financial officer was caught in the crossfire of a boardroom battle.',
      'Bond traders launched an assault on the currency after the budget.',
      'Incumbents caught off guard by a fintech ambush have cut fees.',
      'Lenders clash over mortgage pricing as a price war heats up.',
      'Farmers are caught in the crossfire of the trade war between the two powers.',
    ],
  },
];

describeVerdicts('default rules: figurative uses', CASES);

describe('default rules: figurative uses, items', () => {
  const TITLED: { title: string; summary: string; alert: boolean }[] = [
    {
      title: 'Anderson ambushes Australia',
      summary: 'The swing bowler took five wickets as the hosts collapsed to 120 all out.',
      alert: false,
    },
    {
      title: 'Raiders ambush Broncos',
      summary: 'The quarterback threw three touchdowns in the fourth quarter.',
      alert: false,
    },
    {
      title: 'Rebels ambush army convoy',
      summary:
        'Rebels ambushed an army convoy on the highway. The army tries to retake the district before the rains.',
      alert: true,
    },
    {
      title: 'Cricket team bus attacked',
      summary:
        'Gunmen opened fire on a bus carrying the visiting cricket team, killing six policemen. The batsmen were heading to the stadium for the third day.',
      alert: true,
    },
  ];
  for (const { title, summary, alert } of TITLED) {
    it(`${alert ? 'alerts' : 'stays quiet'} on the titled report "${title}"`, () => {
      // Prepare
      const rules = defaultRules();
      // Act
      const result = classify(item(summary, title), rules);
      // Assess
      expect(result.escalation, JSON.stringify(result.matches)).toBe(alert);
    });
  }

  it('alerts on a sports title only when an armed attack is also reported', () => {
    expectQuietAndLoud(
      item(
        'England seamers took four wickets before lunch on the second day.',
        'Bowlers ambush the top order'
      ),
      item(
        'Gunmen opened fire on a bus carrying the cricket team, killing six policemen.',
        'Cricket team bus attacked'
      )
    );
  });

  it('drops a business metaphor named only in the title', () => {
    expectQuietAndLoud(
      item(
        'Regional banks were caught in the crossfire as the big lenders cut rates again.',
        'Price war: savers win as banks battle'
      ),
      item(
        'Civilians were caught in the crossfire as troops fought rebels in the town.',
        'Fighting in the north'
      )
    );
  });
});
