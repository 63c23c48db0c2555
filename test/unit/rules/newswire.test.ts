import { describe, expect, it } from 'vitest';
import { classify, explain } from '../../../lambdas/core/rules/index.ts';
import { defaultRules, item } from './helpers.ts';

// Wire-style sentences written for these tests (not from the dev set): incident reports that must
// alert, and ordinary or hard-negative news (agreements, arrests, disasters, sport, business,
// politics with the vocabulary of war) that must not.
const INCIDENTS = [
  'Heavy fighting broke out in the capital as peace talks stalled.',
  'Clashes between troops and rebels erupted amid peace talks in the region, killing nine.',
  'Two militants were killed in an encounter with security forces in Pulwama district.',
  'A CRPF jawan was injured when militants hurled a grenade at a security post in Srinagar.',
  'Maoists killed a villager suspecting him to be a police informer in Bijapur district.',
  'Three TTP terrorists were killed during an intelligence-based operation in North Waziristan.',
  'Pakistani troops violated the ceasefire along the LoC in Poonch sector, targeting Indian posts with mortar shells.',
  'A Border Security Force trooper was killed in cross-border firing by Pakistan Rangers in Jammu.',
  'Unidentified gunmen shot dead a former village head in Anantnag district.',
  'Two soldiers were martyred and three terrorists killed in an exchange of fire in Khyber district.',
  'Militants attacked a police checkpoint in Dera Ismail Khan, injuring four policemen.',
  'A Naxalite was killed in an exchange of fire with the District Reserve Guard in Dantewada.',
  'Suspected ULFA-I cadres triggered a blast near an oil pipeline in Tinsukia district.',
  'An IED blast killed two soldiers in Kupwara.',
  'A policeman was shot dead by terrorists in Baramulla.',
  'A Hizbul Mujahideen commander was killed in a gunfight with security forces in Shopian.',
  'Terrorists lobbed a grenade at a police station in Tral; no one was injured.',
  'Two BLA militants were killed as security forces raided a hideout in Kech district.',
  'Security forces neutralised three terrorists in Awaran.',
  'A soldier was martyred as terrorists opened fire on a check post in Bajaur.',
  'The Maoists set ablaze three vehicles engaged in road construction in Gadchiroli.',
  'A woman was killed when Pakistani troops shelled forward villages along the LoC in Rajouri.',
  'Three civilians were injured when militants fired upon a wedding party in Imphal East.',
  'Security forces killed two Lashkar-e-Toiba militants in Kulgam on Tuesday.',
  'An Army porter was killed and two soldiers injured in a landmine explosion in Poonch.',
  'Five Frontier Corps personnel were killed when their vehicle was targeted with a remote-controlled bomb in Kech.',
  'Militants abducted and killed a local trader in Bandipora.',
  "A police constable was shot at by suspected militants in Srinagar's downtown and was critically wounded.",
  'Two Maoists were killed in a gunfight with the CoBRA battalion in Sukma.',
  'Suspected insurgents ambushed an Assam Rifles patrol in Chandel district, killing three personnel.',
  'Four soldiers were killed when terrorists attacked an army convoy in North Waziristan.',
  'Taliban fighters overran a district headquarters in Badakhshan province after heavy fighting.',
  'Gunmen stormed a hotel in Mogadishu, killing at least 15 people.',
  'Russian forces shelled residential areas of Kharkiv overnight, killing four civilians, officials said.',
  'Houthi rebels launched a drone attack on an oil facility in Saudi Arabia.',
  'Jihadists killed 12 soldiers in an attack on an army post in northern Burkina Faso.',
  'An explosion ripped through a crowded market in Kabul, killing seven people; no group claimed responsibility.',
  'Rebels seized the town of Bunagana after clashes with the army.',
  'The army launched a major offensive to retake the city from insurgents.',
  'A suicide bomber detonated his vest at a checkpoint, wounding five police officers.',
  'Israeli airstrikes hit targets in Gaza overnight.',
  'Mortar shells landed on a school in the capital, wounding six children.',
  'Soldiers mutinied and seized power in a coup, detaining the president.',
  'Armed men on motorbikes attacked a village, killing 23 people and burning homes.',
  'Israeli tanks shelled the outskirts of the town overnight, the health ministry said.',
  'Fighting between the army and the RSF in the capital has killed at least 56 civilians.',
  'Two police officers were killed when gunmen ambushed their vehicle in the restive south.',
  'A bomb planted on a motorcycle exploded near a bus station, injuring 11 people.',
  'Unknown assailants hacked five villagers to death in the eastern province.',
  'Al-Shabaab fighters overran an army base near the town of Adale after a suicide car bombing.',
  'Jihadists attacked a convoy carrying supplies, killing 17 soldiers.',
  'Rebel fighters shot down a military helicopter near the front line.',
  'The insurgents captured the district centre after two days of fighting.',
  'Myanmar junta airstrikes killed at least 30 villagers in Sagaing region.',
  'Security forces killed 15 gunmen in a raid on a bandit hideout.',
  'A Turkish drone strike killed three PKK members in northern Iraq.',
  'Attackers set fire to houses and shot residents as they fled the village.',
  'Heavy clashes broke out between rival armed factions in the capital on Monday night.',
  'Pro-government militias attacked a camp for displaced people, killing at least 20.',
  'Ukrainian forces said they had repelled a Russian assault near the village overnight.',
  'Soldiers opened fire on a crowd in the northern city, killing four demonstrators.',
  'An Israeli strike on a house in Gaza killed eight members of one family.',
  'A car packed with explosives was detonated outside a military compound.',
  'The group claimed responsibility for the attack on the army checkpoint.',
  'Gunmen kidnapped 30 students from a boarding school in the northwest.',
  'A landmine blast killed three children herding goats near the border.',
  'Forces loyal to the general took over the presidential palace and state television.',
  "Missiles struck the city's power grid, cutting electricity to thousands.",
  'The army said it had retaken the town from separatist rebels after a week of fighting.',
];

const NOT_INCIDENTS = [
  'Rival airlines joined forces in fighting the new airport tax.',
  'A soldier died of a heart attack during the parade.',
  'Market forces killed off the merger, analysts said.',
  'The army veteran died of cancer at the age of 92.',
  'Police fired tear gas to disperse protesters in Lahore.',
  'The army chief said troops are ready to respond to any attack.',
  'Ten militants surrendered to security forces in Manipur on Monday.',
  'The government and rebels signed a ceasefire agreement in Juba.',
  'Ten people were killed when a bus plunged into a gorge in Himachal Pradesh.',
  'Manchester United clash with Liverpool at Old Trafford on Sunday.',
  'Troops were deployed for flood relief in Assam after heavy rains.',
  'Five soldiers were killed when their helicopter crashed in bad weather.',
  'An earthquake killed 30 people in eastern Turkey.',
  'Police arrested two militants and recovered arms and ammunition in Sopore.',
  'A court sentenced four militants to life in prison for the 2008 attacks.',
  'The defence minister inaugurated a new artillery regiment.',
  'North Korea test-fired two ballistic missiles into the sea.',
  'The militants threatened to attack government offices if their demands were not met.',
  'Thousands marched in Dhaka to commemorate those killed in the 1971 war.',
  'Prisoners were exchanged between the two sides under the deal brokered by Qatar.',
  "The striker's brace sealed a crushing victory as City blasted United 4-1.",
  'A gas cylinder explosion at a restaurant killed three people.',
  'Critics blasted the report as a whitewash.',
  'The film depicts a suicide bombing in 1990s Algeria.',
  'Peace talks between the government and the rebels resumed in Oslo.',
  "The senator attacked the president's budget plan.",
  'The company launched a hostile takeover bid for its rival.',
  'A fire at a chemical factory killed eight workers.',
  'Floods killed 40 people and displaced thousands in the province.',
  'Government forces and rebels agreed to a 72-hour truce to allow aid deliveries.',
  'The military denied that its soldiers had fired on civilians.',
  'Gunmen robbed a bank and escaped with cash, police said.',
  'The army will hold military exercises near the border next week.',
  "Hackers attacked the bank's servers in a cyber attack.",
  'The central bank raised interest rates to fight inflation.',
  "Apple's new phone is a hit with consumers, analysts say.",
  'The prime minister survived a no-confidence vote after a fierce debate.',
  'The striker was shot down by critics after missing the penalty.',
  'Workers went on strike over pay at the car plant.',
  'A fire at a garment factory killed 12 workers.',
  'A bus carrying pilgrims overturned, killing 22 passengers.',
  'Rebels and the army agreed to extend the truce by a month.',
  'Police detained dozens of opposition activists ahead of the rally.',
  'The UN Security Council condemned the violence and called for talks.',
  'The government imposed a curfew after clashes between rival fans.',
  'The opposition accused the government of waging war on the poor.',
  'Floods and landslides killed 15 people in the hill district.',
  'The court jailed a former soldier for the 2014 massacre of villagers.',
  'Militants released 20 hostages after negotiations mediated by elders.',
  'Veterans marked the 80th anniversary of the D-Day landings.',
  'The defence ministry signed a deal to buy 24 fighter jets.',
  'The army chief warned that any attack would be met with force.',
  'A lion attacked a ranger in the national park.',
  "The movie's battle scenes were shot in the desert.",
  'Thousands of troops took part in joint military exercises.',
  'The minister blasted rival parties for attacking his record.',
  'A train derailed near the station, injuring 40 passengers.',
  "Hackers launched a cyber attack on the ministry's website.",
  'Protesters clashed with police in the capital, and several were injured.',
  'A gas explosion destroyed a block of flats, killing five residents.',
  'Shares plunged after the company reported heavy losses.',
  'The team captain was injured in a clash with a defender.',
  'Storm damage forced the army to evacuate coastal villages.',
  'Scientists warned that the virus could kill millions if unchecked.',
  'Police raided the offices of the football club as part of a fraud inquiry.',
  'The army of volunteers cleaned up the beach after the festival.',
  'Tax officials launched a raid on offshore accounts used by wealthy investors.',
  'The Salvation Army said demand for food parcels had doubled this winter.',
  'Union leaders attacked the plan to cut pensions for rail workers.',
  'The forces of globalisation have hit manufacturing towns hard, a report says.',
  'Her debut novel about a soldier killed in Afghanistan won the book prize.',
  "The band's new album is a battle cry for a generation.",
  'Shares in the defence contractor rose after it won an order for armoured vehicles.',
  'A fan was stabbed outside the stadium after the derby, police said.',
  "The actor was shot in the film's opening scene.",
  "Britain's armed forces minister visited troops in Estonia.",
  'Troops will be deployed to help drive fuel tankers during the strike.',
  'The former soldier was killed in a motorbike crash on the A1.',
  'Killer whale attacks on yachts off Spain are increasing, scientists say.',
  'The government is fighting a legal battle to deport the men.',
  'Two men were arrested after shots were fired outside a nightclub.',
  'Prices exploded as demand outstripped supply at the auction.',
  'The bomb disposal squad carried out a controlled explosion on a suspicious package.',
  'The veteran striker fired his side into the final with a hat-trick.',
  'The minister came under fire for his remarks about the war in Iraq.',
  'Computer viruses attacked millions of machines in a new wave of infections.',
  'A man was killed and two injured when a crane collapsed at a building site.',
  "The opposition launched an offensive against the government's immigration policy.",
  'Rebel MPs fought the bill in a dramatic late-night vote.',
  'The chief executive was ousted in a boardroom coup.',
  'The company said it had declared war on counterfeit goods.',
  'A nuclear power plant was shut down after a fire in a turbine hall.',
  'Thousands of soldiers marched in the victory day parade in Moscow.',
  'Iran said it had successfully launched a satellite into orbit.',
  'A police officer was injured while arresting a suspect in a shop.',
  'The film about the Battle of Britain topped the box office.',
  'The defence secretary announced 10,000 job cuts in the armed forces.',
  'Four people were killed in a shooting at a nightclub in Texas, police said.',
  'The army sent helicopters to rescue villagers stranded by the floods.',
  'Opposition forces won a majority of seats in the election.',
  "The home side's attack was led by the Brazilian forward.",
  'Tanks rolled through the capital in a rehearsal for the national day parade.',
  'Israeli and Palestinian negotiators met in Cairo for talks on a prisoner exchange.',
];

const HEADLINE_INCIDENTS = [
  'Russian missile strike kills 12 in Kharkiv',
  'Airstrikes pound Gaza as death toll rises',
  'Blast kills 5 in Quetta market',
  'Gunmen kill 12 villagers in central Nigeria',
  'Suicide bomber hits mosque in Peshawar',
  'Two militants killed in Pulwama encounter',
  'Rebels seize key town in eastern Congo',
  'Army retakes city from Islamic State',
  'Israel strikes Hezbollah targets in southern Lebanon',
  "Drone attack hits oil depot in Russia's Belgorod",
  'Mortar fire kills three children in Donetsk',
  'Coup in Niger: soldiers detain president',
  'Landmine kills four soldiers in Mali',
  'Houthis fire missiles at ships in Red Sea',
  'Fighting rages in Khartoum as ceasefire collapses',
];

const HEADLINE_OTHERS = [
  'Oil prices surge as Middle East tensions rise',
  'Israel and Hamas agree to ceasefire deal',
  'UN warns of famine in Gaza',
  'Peace talks resume in Doha',
  'Protesters clash with police in Nairobi',
  'Earthquake kills 300 in Afghanistan',
  'Floods kill dozens in Pakistan',
  'Premier League: Arsenal clash with Chelsea ends in draw',
  'Stocks rally as Fed holds rates',
  'Army chief sacked in reshuffle',
];

describe('default rules on wire-style text', () => {
  it.each(INCIDENTS)('alerts on: %s', (text) => {
    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.escalation, explain(item(text), defaultRules())).toBe(true);
  });

  it.each(NOT_INCIDENTS)('stays quiet on: %s', (text) => {
    // Act
    const result = classify(item(text), defaultRules());

    // Assess
    expect(result.escalation, explain(item(text), defaultRules())).toBe(false);
  });

  it.each(HEADLINE_INCIDENTS)('alerts on the headline: %s', (title) => {
    // Act
    const result = classify({ id: 'headline', title }, defaultRules());

    // Assess
    expect(result.escalation).toBe(true);
  });

  it.each(HEADLINE_OTHERS)('stays quiet on the headline: %s', (title) => {
    // Act
    const result = classify({ id: 'headline', title }, defaultRules());

    // Assess
    expect(result.escalation).toBe(false);
  });
});
