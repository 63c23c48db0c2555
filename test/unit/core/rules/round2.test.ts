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
 * Second pass on the default rules: general weak spots found by a blind measurement. Per weak
 * spot, terse incident reports that must alert and the ordinary-news traps beside them that must
 * not. The sentences are written for these tests (no dev or held-out rows).
 */
const CASES: VerdictCase[] = [
  {
    spot: 'killings by armed actors without a standard attack noun',
    alerts: [
      'Suspected Maoists abducted and killed a former village head in the district on Tuesday night.',
      'CPI-Maoist cadres killed a former sarpanch after branding him a police informer.',
      'Militants hacked to death a villager they accused of being a police informer.',
      'Insurgents beheaded a priest in the remote village, police said.',
      'Settlers lynched a farmer near the village on Friday.',
      'Unidentified assailants lynched a tribal youth suspected of being an informer.',
      'Assailants executed two teachers after stopping their bus on the highway.',
      "Maoists executed a villager in a 'praja court' in the forest area.",
      'The Taliban publicly executed two men accused of spying.',
      'A former village head was abducted and killed by suspected Maoists.',
      'A man was lynched by settlers near the village.',
      'Militants executed a kidnapped police officer.',
      'Soldiers executed three men in the village, witnesses said.',
      'The army shot dead two villagers during a search operation.',
      'Gunmen shot dead a shopkeeper in the market on Sunday.',
    ],
    traps: [
      'The company executed a share buyback worth two billion dollars.',
      'The film tells the story of a soldier who executed a perfect plan.',
      'The prisoner was executed by lethal injection after his last appeal failed.',
      'Two men convicted of murder were executed by hanging at the central jail.',
      'The army executed the relief plan with help from aid agencies.',
      'The striker executed a perfect free kick to win the match.',
      "The film's hero is lynched by a mob in the final scene.",
      'The security forces executed a flawless evacuation of the embassy.',
    ],
  },
  {
    spot: 'terse reports naming regional security units',
    alerts: [
      'FC personnel repulsed an attack on their check post in the district.',
      'STF personnel killed a Maoist in the forests of the district.',
      'An Assam Rifles jawan was injured when militants fired at a patrol.',
    ],
    traps: [
      'The STF chief said the force would recruit 500 constables this year.',
      'FC Barcelona attacked from the first minute and scored three goals.',
    ],
  },
  {
    spot: 'a killing in an operation framed as a success',
    alerts: [
      'Security forces foiled an infiltration bid along the Line of Control, killing two intruders.',
      'SFs foiled an infiltration bid along the LoC, killing two infiltrators.',
      'The army foiled an infiltration bid in the sector, killing two militants.',
      'Troops foiled an infiltration attempt in the sector and killed three intruders.',
    ],
    traps: [
      'The telecoms group foiled a hostile takeover bid by its rival.',
      'Police foiled a bid to smuggle gold through the airport.',
      'A homeowner shot dead an intruder who broke into his house at night.',
      'The junta attacked the UN report as biased.',
    ],
  },
  {
    spot: 'arson and communal armed violence, exchanges of fire',
    alerts: [
      'Houses were torched and armed men attacked residents in the village.',
      'A mob torched several houses and attacked residents with sharp weapons.',
      'Gunfire was exchanged between armed groups in the town overnight.',
      'Armed groups exchanged gunfire in the foothills on Thursday night.',
      'Several houses and cars were set on fire as gunfire was exchanged between rival militias.',
      'Police and militants exchanged fire for two hours.',
      'There was an exchange of fire between troops and insurgents near the border.',
      'Exchanges of fire between the two armed volunteer groups continued through the night.',
      'Attackers set fire to houses and cars in the village.',
      'Settlers attacked villagers and set fire to cars.',
    ],
    traps: [
      'Vandals set fire to a car parked outside the stadium.',
      'A fire destroyed three houses after an electrical short circuit, officials said.',
      'The two leaders exchanged words during a fiery televised debate.',
      'Rivals exchanged barbs on social media over the transfer.',
      'There was a fierce exchange of fire between the two candidates during the debate.',
      'The two tycoons exchanged fire in a bitter takeover battle.',
      'Protesters torched an effigy of the president outside parliament.',
      'Fans set fire to seats in the stadium after the defeat.',
    ],
  },
  {
    spot: 'improvised weapons: dropped explosives, petrol bombs, grenades',
    alerts: [
      'Militants used drones to drop explosives on a police station.',
      'Unidentified men dropped explosives from a drone on an army camp.',
      'Protesters hurled petrol bombs at a police post.',
      'Unknown persons hurled petrol bombs at the residence of a party leader.',
      'Youths hurled Molotov cocktails at the party office.',
      'Miscreants threw a Molotov cocktail at a police outpost.',
      'Assailants hurled crude bombs at a rival group, injuring four.',
      'Militants lobbed a grenade at a security forces bunker.',
      'Quadcopters dropped IEDs on the police post.',
      'A petrol bomb attack on the house of a local leader left two injured.',
      'Crude bombs were hurled at a party office.',
    ],
    traps: [
      'Police seized petrol bombs and crude bombs from an abandoned house.',
      'Prosecutors dropped charges against the bomb hoax suspect.',
      'The bar is famous for a cocktail menu named after Soviet diplomats such as Molotov.',
      'Aircraft dropped aid packages and leaflets over the flooded villages.',
      'Military drones dropped leaflets urging residents to leave.',
      'Troops fired tear gas at protesters who threw stones and petrol bombs.',
      'An IED was detected and defused by the bomb disposal squad.',
    ],
  },
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
    spot: 'legal proceedings about past attacks',
    alerts: [
      'Militants attacked a court complex in the city, killing two policemen.',
      'Police registered a case against Maoists who killed a villager on Monday.',
      'Militants shot dead a man who had testified in court against the group.',
      'Gunmen killed a lawyer outside the district court on Tuesday.',
      'Two policemen escorting the accused to court were killed when militants ambushed their vehicle.',
      'Militants attacked a prison van carrying convicted militants, killing three guards.',
      'The NIA filed a chargesheet in the 2021 attack case, hours after militants killed two policemen in a fresh attack.',
    ],
    traps: [
      'The NIA filed a chargesheet against the accused in the 2021 attack case.',
      'Police filed a charge sheet against five accused in the grenade attack case.',
      'The agency filed a chargesheet against four militants for the attack on an army camp.',
      'A court sentenced seven militants to death for the cafe attack that killed 22 people.',
      'The court acquitted all accused in the blast case for lack of evidence.',
      'A grand jury indicted two men over the attack on the embassy.',
      'The special court framed charges against 12 accused in the IED blast case.',
      'The trial of four men accused of the ambush on the convoy began on Monday.',
      'The NIA court sentenced a Maoist to life imprisonment for an ambush on CRPF personnel.',
      'The high court upheld the death sentence of three militants for the attacks on the city.',
    ],
  },
];

describeVerdicts('default rules, second pass', CASES);

describe('default rules, second pass, items', () => {
  it('puts a coup without the word coup in the coup category', () => {
    // Prepare
    const rules = defaultRules();
    // Act
    const result = classify(item('Soldiers ousted the president and dissolved parliament.'), rules);
    // Assess
    expect(result.categories).toContain('coup');
  });

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
});
