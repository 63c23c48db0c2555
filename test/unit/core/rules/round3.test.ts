import { describe, it } from 'vitest';
import { describeVerdicts, expectQuietAndLoud, item, type VerdictCase } from './helpers.ts';

/**
 * Third pass on the default rules: general weak spots found by a blind measurement. Per weak
 * spot, reports that must alert and the ordinary-news traps beside them that must not. The
 * sentences are written for these tests (no dev or held-out rows).
 */
const CASES: VerdictCase[] = [
  {
    spot: 'firing by armed actors without a standard attack noun',
    alerts: [
      'Militants fired upon a road opening party of the paramilitary force near the camp.',
      'Suspected insurgents opened fire on a police patrol late on Monday.',
      'A police team came under fire from militants while searching the forest.',
      'An army convoy came under heavy fire from insurgents on the highway.',
      'Gunmen riding in on motorcycles, firing at residents, stormed the market.',
      'Maoist cadres fired at security forces conducting a search operation.',
      'Rebels fired upon villagers returning from the weekly market.',
      'A border patrol came under fire from across the border overnight.',
    ],
    traps: [
      'The chief executive came under fire from shareholders over his pay.',
      'The minister came under fire from opposition MPs over the budget.',
      'The coach fired upon his players a barrage of criticism after the defeat.',
      'The company fired at least 200 workers after the merger.',
      'The mayor came under fire from rebels in his own party over the budget.',
      'The opposition kept firing at the military government over delays.',
      'Reporters came under fire from the president at a news conference.',
    ],
  },
  {
    spot: 'drones used as weapons in other phrasing',
    alerts: [
      'Militants fired explosives from a drone at a police station overnight.',
      'A drone dropped a grenade at an army post, wounding two soldiers.',
      'A drone launched explosives at the checkpoint, police said.',
      'An armed drone fired a grenade at the market, injuring four people.',
      'A drone carrying explosives crashed into a house, injuring two.',
    ],
    traps: [
      'The retailer launched a drone delivery service in three cities.',
      'A drone dropped medicine and blood samples at the rural clinic.',
      'Farmers use drones to spray fertiliser over the fields.',
      'The company launched a new drone with a bigger payload of cameras.',
      'Customs officers seized a drone and explosives hidden in a lorry.',
    ],
  },
  {
    spot: 'raids on towns: storming and burning homes',
    alerts: [
      'Insurgents stormed a town in the north and torched dozens of homes.',
      'Fighters stormed the village at dawn and burned houses.',
      'Jihadists raided a village and set fire to homes and granaries.',
      'The village was stormed at night and dozens of homes were burned.',
    ],
    traps: [
      'Fans stormed the pitch after the final whistle.',
      'Protesters stormed the parliament building and set fire to the lobby.',
      'Burned homes are still visible in the town a year after the fighting.',
      'Police raided a village and seized drugs hidden in burned-out cars.',
      'Rioters stormed the town hall and burned cars outside.',
    ],
  },
  {
    spot: 'weapons tests are not attacks',
    alerts: [
      'A missile struck a residential building in the capital, killing three people.',
      'Rebels fired rockets at the airport, damaging a runway.',
      'Militants attacked troops during a military exercise, killing four soldiers.',
      'Rebels fired rockets at the capital during a military drill, killing two civilians.',
    ],
    traps: [
      'The country test-fired a ballistic missile that landed in the sea.',
      'The navy successfully tested a cruise missile launched from a warship.',
      'The army test fires a new rocket from an island in a routine training exercise.',
      'The missile landed outside the exclusive economic zone, the defence ministry said.',
      'The regime tests a hypersonic missile for the third time this year.',
      'The missile was launched from an island in a routine training exercise.',
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
  {
    spot: 'reconstruction after past fighting',
    alerts: [
      'Fighting between the army and rebels destroyed dozens of homes on Tuesday.',
      'Militants attacked a reconstruction site, killing four workers.',
      'Government forces restored control of the town after heavy fighting.',
    ],
    traps: [
      'The government pledged funds to rebuild homes destroyed in the fighting against the militants.',
      'A reconstruction programme will restore homes destroyed during the battle for the city.',
      'Donors pledged money for the rebuilding of schools damaged by shelling.',
      'The bank will finance reconstruction of bridges destroyed in the offensive.',
    ],
  },
  {
    spot: 'crime, not conflict',
    alerts: [
      'Militants opened fire at a school, killing six students, in a terror attack.',
      'Jihadists opened fire on worshippers in a mosque, killing 12.',
      'Gunmen killed 15 people at a bar in what police called a terror attack by insurgents.',
      'A police team came under fire from militants near the school, officials said.',
      'A lone gunman killed five soldiers at a checkpoint.',
    ],
    traps: [
      'A teenage gunman opened fire at his school, killing three pupils; police said there was no political motive.',
      'Police killed a suspected serial killer in a shootout on the outskirts of the city.',
      'Gang members opened fire at a bar, killing four people.',
      'Cartel gunmen shot dead five men at a bar in the city.',
      'Armed robbers shot dead a guard during a raid on a bank.',
      'A school shooter killed two students before he was arrested.',
      'A lone teenager carried out a mass shooting at a shopping centre, killing five.',
    ],
  },
];

describeVerdicts('default rules, third pass', CASES);

describe('default rules, third pass, items', () => {
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

  it('drops a shooting framed as crime elsewhere in the item', () => {
    expectQuietAndLoud(
      item(
        'A gunman opened fire at a shopping centre, killing four people. Police said there was no political motive.',
        'Shopping centre shooting'
      ),
      item(
        'Militants opened fire at a shopping centre, killing four people in a terror attack.',
        'Shopping centre attack'
      )
    );
  });
});

describeVerdicts('default rules, guards that yield', [
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
