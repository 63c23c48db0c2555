import { describe, expect, it } from 'vitest';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules, item } from './helpers.ts';

/** Per category: real-looking reports that must alert, and the traps beside them that must not. */
const CASES: { category: string; alerts: string[]; traps: string[] }[] = [
  {
    category: 'air-strike',
    alerts: [
      'Government warplanes pounded rebel-held villages south of the city on Monday, killing six.',
      'A drone strike on a vehicle in the tribal district killed three suspected militants.',
      'Air strikes hit a market in the provincial capital, residents said.',
    ],
    traps: [
      'The airline said its jets would fly the new route to Lisbon from March.',
      'Fighter jets roared over the capital during the independence day parade.',
      'A drone captured footage of the flooded valley after the storm.',
    ],
  },
  {
    category: 'shelling',
    alerts: [
      'Heavy shelling of the eastern suburbs continued overnight, a monitoring group said.',
      'Three rockets struck near the airport on Sunday, damaging two buildings.',
      'Mortar rounds landed near a school, wounding four children.',
    ],
    traps: [
      'North Korea test-fired two ballistic missiles into the sea, its neighbours said.',
      'The space agency will launch the rocket carrying a weather satellite next week.',
      'Her career took off like a rocket after the hit album.',
    ],
  },
  {
    category: 'bombing',
    alerts: [
      'A roadside bomb struck an army vehicle near the border town, killing two soldiers.',
      'A suicide bomber blew himself up at a checkpoint outside the ministry.',
      'Militants hurled a grenade at a police patrol in the old city, injuring three policemen.',
      'An improvised explosive device detonated as a convoy passed the bridge.',
    ],
    traps: [
      'A gas cylinder explosion in a restaurant kitchen killed three people.',
      'Fifteen people were killed when a fireworks warehouse exploded in the northern province.',
      'The band dropped a bombshell by announcing its split.',
      'A man threatened staff with a hand grenade during an attempted robbery at a bank.',
    ],
  },
  {
    category: 'armed-clash',
    alerts: [
      'Two militants were killed in an encounter with security forces in Pulwama district.',
      'Troops and rebel fighters clashed on the outskirts of the town, leaving 12 dead.',
      'Islamist militants ambushed a patrol in the desert, the army said.',
      'A fierce gun battle broke out between police and suspected insurgents near the highway.',
    ],
    traps: [
      'Arsenal clash with Chelsea in the cup final at Wembley on Saturday.',
      'Ministers clashed over the budget during a heated cabinet meeting.',
      'Five soldiers were killed when their helicopter crashed in bad weather.',
    ],
  },
  {
    category: 'offensive',
    alerts: [
      'Rebels seized control of two villages after the army withdrew, residents said.',
      'Government forces recaptured the strategic town from the insurgents on Sunday.',
      'The army launched a major offensive to retake the city from militants.',
    ],
    traps: [
      'The French group took control of the drinks company after a bidding war.',
      'The dollar regained some lost ground against the yen on Wednesday.',
      'The champions seized control of the title race with a win at home.',
    ],
  },
  {
    category: 'attack-on-civilians',
    alerts: [
      'Gunmen opened fire on worshippers at a mosque during Friday prayers.',
      'Armed men on motorbikes attacked a village, killing 23 people and burning homes.',
      'Bandits killed seven farmers in separate attacks on three villages.',
    ],
    traps: [
      'Police fired tear gas at protesters outside parliament.',
      'Gunmen robbed a bank in the city centre and escaped with cash, police said.',
    ],
  },
  {
    category: 'chemical-weapons',
    alerts: [
      'A suspected chemical attack on the rebel-held town killed dozens of people, rescuers said.',
      'Helicopters dropped barrels filled with chlorine gas on a residential district.',
    ],
    traps: [
      'A chlorine leak at a water treatment plant forced the evacuation of nearby homes.',
      'The television drama ends with a fictional chemical attack on the capital.',
    ],
  },
  {
    category: 'coup',
    alerts: [
      'Soldiers seized power in a military coup overnight and detained the president.',
      'Mutinous soldiers stormed the state broadcaster in an attempted coup.',
    ],
    traps: [
      'Tens of thousands rallied against the military coup on its first anniversary.',
      'The board ousted its chief executive in what shareholders called a boardroom coup.',
    ],
  },
  {
    category: 'invasion',
    alerts: [
      'Troops and tanks crossed the border at dawn in a full-scale invasion of the country.',
      'The government declared war on its neighbour after army positions came under fire.',
    ],
    traps: [
      'The mayor declared war on junk food in school canteens.',
      'Fans staged a pitch invasion after the final whistle.',
    ],
  },
];

describe('default rules: categories', () => {
  for (const c of CASES) {
    describe(`category ${c.category}`, () => {
      it.each(c.alerts)('alerts on: %s', (text) => {
        // Act
        const result = classify(item(text), defaultRules());

        // Assess
        expect(result.escalation).toBe(true);
        expect(result.categories).toContain(c.category);
        expect(result.severity).not.toBe('none');
      });
      it.each(c.traps)('does not alert on the trap: %s', (text) => {
        // Act
        const result = classify(item(text), defaultRules());

        // Assess
        expect(result.escalation).toBe(false);
        expect(result.severity).toBe('none');
      });
    });
  }

  it('alerts on terse South Asian incident reports', () => {
    // Prepare
    const reports = [
      'A CRPF jawan was injured when militants hurled a grenade at a security post in Srinagar.',
      'Maoists killed a villager suspecting him to be a police informer in Bijapur district.',
      'Three terrorists were killed during an intelligence-based operation in North Waziristan.',
      'A Border Security Force trooper was killed in cross-border firing along the border.',
      'Unidentified gunmen shot dead a former village head in Anantnag district.',
      'Two soldiers were martyred and three terrorists killed in an exchange of fire.',
      'A Naxalite was killed in an exchange of fire with the District Reserve Guard in Dantewada.',
      'Security forces neutralised three terrorists in Awaran.',
      'The Maoists set ablaze three vehicles engaged in road construction in Gadchiroli.',
      'A woman was killed when troops shelled forward villages along the Line of Control.',
    ];

    // Act
    const missed = reports.filter((r) => !classify(item(r), defaultRules()).escalation);

    // Assess
    expect(missed).toEqual([]);
  });

  it('reports matches as spans into the original field text', () => {
    // Prepare
    const text = 'Government warplanes pounded rebel-held villages on Monday.';

    // Act
    const result = classify(item(text, 'Warplanes pound villages'), defaultRules());

    // Assess
    expect(result.matches.length).toBeGreaterThan(0);
    for (const m of result.matches) {
      const source = m.field === 'title' ? 'Warplanes pound villages' : text;
      expect(source.slice(m.start, m.end)).toBe(m.text);
    }
  });
});
