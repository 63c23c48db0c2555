import { describeHeadlines } from './headline-helpers.ts';

// Armed conflict apart from crime, policing, riots and accidents, decided from the words of the
// item (actors, weapons, context), never from where it happened. Each crime, riot or accident
// headline has a conflict twin in the same words. Every headline is invented.
describeHeadlines('default rules: armed conflict apart from crime, policing, riots and accidents', [
  {
    spot: 'police shot or shooting: policing, unless armed actors are in the story',
    alerts: [
      'Militants ambush police patrol, killing three officers',
      'Insurgents storm police post, killing four policemen',
      'Suicide bomber kills 9 at police station in the northwest',
    ],
    quiet: [
      "Sheriff's deputy shot dead in his patrol car; gunman sought",
      'Police officer shot and wounded during traffic stop',
      'Police chase gunman through city centre after bar shooting',
      'Officers will not face charges over fatal shooting of protester',
    ],
  },
  {
    spot: 'a lone gunman and criminal gangs are crime; armed men raiding villages are not',
    alerts: [
      'Gunmen kill 12 villagers in raid on farming settlement',
      'Armed men abduct 30 students from boarding school',
    ],
    quiet: [
      'Gunman kills five at shopping mall before turning gun on himself',
      {
        title: 'Family of four found shot dead in suburban home',
        summary: 'Police said the victims were found by a relative.',
      },
      'Four gunmen at large after fatal shooting in city centre',
      'Car-theft gangs target luxury vehicles across the capital',
      'Teenager stabbed to death in knife attack outside school',
    ],
  },
  {
    spot: 'riots, brawls and scuffles',
    alerts: ['Troops open fire on rioters with live ammunition, killing six'],
    quiet: [
      'Brawl at beer festival leaves three injured',
      'Rioters torch cars and attack police in overnight unrest',
      'Fans clash with police after cup final',
    ],
  },
  {
    spot: 'accidents, however deadly',
    alerts: ['Warplanes strike convoy, killing 20 soldiers'],
    quiet: [
      'Two pilots killed after planes collide at air race',
      'Soldier killed in training accident at army base',
      'Bus crash kills 14 soldiers on mountain road',
    ],
  },
  {
    spot: 'words of fighting used for other fights',
    alerts: ['Army battles insurgents for control of northern town'],
    quiet: [
      'Army reservist battles squatter who took over his home',
      'Campaigners battle against plans for new airport',
      'Mother fighting for her life after attack by ex-partner',
    ],
  },
]);
