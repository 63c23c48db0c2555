import { describe, expect, it } from 'vitest';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules, describeVerdicts, item, type VerdictCase } from './helpers.ts';

/**
 * Coups told without the word coup, with the default rules: reports that must alert and the
 * traps beside them (sports, elections, history) that must not.
 * The sentences are written for these tests (no dev or held-out rows).
 */
const CASES: VerdictCase[] = [
  {
    spot: 'coups phrased without the word coup',
    alerts: [
      'Soldiers seized power in the capital and detained the president.',
      'The army took power on Wednesday, dissolving the government and suspending the constitution.',
      'Military officers removed the president from power in a televised address.',
      'Soldiers ousted the president and dissolved parliament.',
      'The military detained the president and suspended the constitution.',
      'Army officers detained the president and announced the suspension of the constitution.',
      'A group of officers appeared on state television to announce they had taken power.',
      'The army announced on state television that it had taken over the government.',
      'Soldiers seized control of the country and closed the borders.',
      'A military takeover was under way in the capital, with soldiers detaining ministers.',
    ],
    traps: [
      'Liverpool seized power in the second half with two quick goals.',
      'The opposition party took power after winning the election.',
      'The new president took power in a constitutional transfer after the vote.',
      'A power outage hit the capital after a storm.',
      'The army took power in 1962 and ruled for decades.',
      'The junta, which seized power two years ago, promised elections next spring.',
      'Activist shareholders ousted the chairman and took control of the board.',
      'Federer seized power in the second set with a string of aces.',
      'The military-backed government took power after the president resigned.',
      'Troops were deployed to maintain order after the president dissolved parliament.',
      'Since taking power, the military government has jailed hundreds of activists.',
      'The general, who took power in a 1999 coup, won a third term in the election.',
      'Analysts say the army could seize power if the crisis deepens.',
      "The army took over the government's flood relief effort in the south.",
      "Troops took control of the country's main airport to run the evacuation flights.",
    ],
  },
];

describeVerdicts('default rules: coups', CASES);

describe('default rules: coups, items', () => {
  it('puts a coup without the word coup in the coup category', () => {
    // Prepare
    const rules = defaultRules();
    // Act
    const result = classify(item('Soldiers ousted the president and dissolved parliament.'), rules);
    // Assess
    expect(result.categories).toContain('coup');
  });
});
