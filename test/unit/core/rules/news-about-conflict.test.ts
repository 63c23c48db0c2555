import { describeHeadlines } from './headline-helpers.ts';

// News ABOUT a conflict that reports no new violent event (explainers, "what we know", live-blog
// shells, reactions, aid and arms decisions, anniversaries) stays quiet, even when its summary
// recalls the violence; each frame has a twin that does report an event. Every headline is invented.
describeHeadlines('default rules: news about a conflict with no new violent event', [
  {
    spot: 'explainers and analysis',
    alerts: [
      {
        title: 'Border town counts its dead after militant assault',
        summary: 'Militants killed 40 people on Saturday.',
      },
      'How a village party turned into a massacre as gunmen opened fire',
    ],
    quiet: [
      {
        title: 'What we know about the attack on the border town',
        summary: 'Militants killed 40 people on Saturday.',
      },
      'Why the rebels launched their offensive now',
      {
        title: 'Who are the militants behind the weekend attack?',
        summary: 'The group killed dozens of soldiers.',
      },
      'How the militant assault caught the army off guard',
      'The conflict in the region: a chronology',
      'Did a foreign power help plan the militant attack?',
    ],
  },
  {
    spot: 'reactions, condemnations and diplomacy',
    alerts: [
      'Rocket attack kills 12 as world leaders condemn escalation',
      'Army pounds rebel positions as allies pledge support',
    ],
    quiet: [
      {
        title: 'World leaders condemn militant attack on border town',
        summary: 'Gunmen killed dozens of civilians.',
      },
      'President stands with ally after rocket attacks',
      'Celebrity faces backlash over post about militant attack',
      'Vigil held for victims of weekend attack',
    ],
  },
  {
    spot: 'aid, arms and markets',
    alerts: ['Missile strike destroys aid warehouse, killing two workers'],
    quiet: [
      'Lawmaker voices support for sending long-range missiles to Ukraine',
      'Congress approves military aid package for ally',
      'Oil prices jump as fighting raises fears of wider war',
      'Airlines cancel flights after militant attack',
    ],
  },
  {
    spot: 'anniversaries, inquiries and old events',
    alerts: ['Militants attack anniversary parade, killing eight soldiers'],
    quiet: [
      '50 years after the war, veterans remember the surprise attack',
      'Ten years on, survivors commemorate the massacre',
      'Inquiry told special forces killed detainees',
    ],
  },
  {
    spot: 'live-blog shells',
    alerts: ['War live: missiles strike capital, killing at least 10'],
    quiet: ['War live: latest updates', 'Live: leaders meet for emergency talks'],
  },
]);
