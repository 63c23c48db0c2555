import { describeVerdicts, type VerdictCase } from './helpers.ts';

/**
 * Armed violence told without the standard attack words, with the default rules: per phrasing,
 * terse incident reports that must alert and the ordinary-news traps beside them that must not.
 * The sentences are written for these tests (no dev or held-out rows).
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
];

describeVerdicts('default rules: armed violence in other words', CASES);
