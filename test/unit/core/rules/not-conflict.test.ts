import { describe, it } from 'vitest';
import { describeVerdicts, expectQuietAndLoud, item, type VerdictCase } from './helpers.ts';

/**
 * Reports of violence that are no new armed attack (trials of past attacks, rebuilding after past
 * fighting, weapons tests, crime), with the default rules: they must stay quiet, beside the
 * conflict reports that must alert.
 * The sentences are written for these tests (no dev or held-out rows).
 */
const CASES: VerdictCase[] = [
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

describeVerdicts('default rules: not armed conflict', CASES);

describe('default rules: not armed conflict, items', () => {
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
