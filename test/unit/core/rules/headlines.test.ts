import { describeHeadlines } from './headline-helpers.ts';

// The register of live feeds: headline grammar, present tense, states and armies as actors, the
// verbs of military operations, short titles whose summary is empty or a photo credit. Each
// register gets figurative twins that must stay quiet. Every headline is invented.
describeHeadlines('default rules on live-feed headlines', [
  {
    spot: 'a state as the actor of force, present tense',
    alerts: [
      'Russia strikes cities across Ukraine in overnight barrage',
      'Azerbaijan pounds breakaway region for a second day',
      'Israel kills four Palestinians in raid on refugee camp',
      'Pakistan retaliates with strikes on militant hideouts',
      'Myanmar pummels rebel-held villages from the air',
    ],
    quiet: [
      'Ireland blitzes Scotland 36-14 to reach Rugby World Cup quarterfinal',
      'Japan strikes trade deal with Australia',
      'China hits back at US tariffs',
      'India hits record high as markets rally',
      'Brazil strikes late to beat Argentina',
      'France kills pension reform bill',
      'Canada shoots down proposal for new pipeline',
      'Italy bombs out of the European Championship',
      "Hollywood strikes' impact felt in Georgia town",
      'Liverpool massacre Leeds to go top',
      'Country is at war with itself over judicial reform',
    ],
  },
  {
    spot: 'an operation, assault or air attacks launched',
    alerts: [
      'Turkey launches operation against Kurdish militants in northern Iraq',
      'Ethiopia launches assault on rebel-held towns in the north',
      'Sudan army launches air attacks on Khartoum suburbs',
      'Militants launch surprise attack on border posts',
    ],
    quiet: [
      'Police launch operation against drug gangs in capital',
      'Senator launches attack on rival over border policy',
      'Hackers launch cyber attack on Ukrainian banks',
      'Carmaker launches new electric model',
    ],
  },
  {
    spot: 'ground taken, retaken or breached',
    alerts: [
      'Ukraine says it has retaken strategic village near front line',
      'Armored columns breach defensive line in the south',
      'Rebels capture army tanks after overnight battle',
      'Army recaptures border town from insurgents',
    ],
    quiet: [
      'Startup captures market share from rivals',
      'Opposition retakes majority in parliament',
    ],
  },
  {
    spot: 'weapons in the air: shoot-downs, barrages, bombs that hit',
    alerts: [
      'US military shoots down armed drone over Syria',
      'Mortar shells hit market in besieged city',
      'Bombs hit refugee camp as families shelter',
      'Sirens warn of rockets fired towards the coast',
      'Aid convoy hit in air attack near the capital',
    ],
    quiet: ['Regulator shoots down merger proposal', 'Drone show lights up the harbour'],
  },
  {
    spot: 'explosions that went off or rocked a place',
    alerts: [
      'Explosions rock the capital as rebels advance',
      'Watch: moment a blast goes off near the army checkpoint',
    ],
    quiet: [
      'Gas explosion rocks apartment block',
      'Blast from the past: band reunites for a final tour',
      'Sonic boom rocks the city as jets break the sound barrier',
    ],
  },
  {
    spot: 'hostages, war, siege and the toll of a conflict',
    alerts: [
      'Militants take dozens hostage in raid on border town',
      'Country declares state of war after militants cross border',
      'Government orders complete siege of rebel-held city',
      'Death toll rises to 300 as fighting rages in the capital',
      'Clash at the border between India and China leaves soldiers dead',
      'At least 40 killed in attack on wedding, others abducted',
    ],
    quiet: [
      'Film about a hostage crisis tops the box office',
      'Minister declares war on potholes',
      'Senator keeps blockade on military nominations',
      'Death toll from floods rises to 40',
    ],
  },
  {
    spot: 'a short title with an empty summary or a photo credit as its summary',
    alerts: [
      'Drone strike kills nine at market',
      {
        title: 'Junta bombs village, dozens dead',
        summary: '(Photo by Staff/AFP via Getty Images)',
      },
      { title: 'Gunmen storm army post', summary: '' },
    ],
    quiet: [
      {
        title: 'Prime minister visits flood zone',
        summary: '(Photo by Staff/AFP via Getty Images)',
      },
      'Storm batters coast, killing three',
    ],
  },
]);
