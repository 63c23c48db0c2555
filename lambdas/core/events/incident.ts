/**
 * Incidents apart: the kind of site a report says was hit (a school, a hospital, a market, a
 * power plant, an apartment block ...). Two reports from one city on one day that name different
 * kinds of site, and no kind in common, report different incidents: a strike on a school and a
 * strike on a shopping centre are two events, each with its own figures, sources and alerts,
 * even when the place, the day and the wording match. A report naming no site (most wire
 * headlines about an offensive) can join any event of its place. Pure.
 */

/**
 * Site kinds and the words that name them, matched on lower-cased text at word boundaries.
 * Deliberately narrow: a word that often names something other than the target (a "home"
 * front, a "station" in a TV credit) is left out, since a false site splits one incident in two.
 */
const SITE_KINDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['school', /\b(?:schools?|kindergartens?|universit(?:y|ies)|schoolchildren)\b/],
  ['hospital', /\b(?:hospitals?|clinics?|maternity ward|medical cent(?:re|er)s?)\b/],
  [
    'market',
    /\b(?:markets?|marketplace|bazaars?|shopping (?:cent(?:re|er)|mall)s?|malls?|supermarkets?)\b/,
  ],
  ['worship', /\b(?:mosques?|church(?:es)?|synagogues?|temples?|shrines?|cathedrals?)\b/],
  [
    'energy',
    /\b(?:power (?:plants?|stations?|grid|lines?)|substations?|energy (?:facilit(?:y|ies)|infrastructure)|refiner(?:y|ies)|(?:oil|fuel) depots?|dams?)\b/,
  ],
  [
    'transport',
    /\b(?:(?:railway|train|bus) stations?|airports?|sea ?ports?|harbou?rs?|bridges?)\b/,
  ],
  [
    'residential',
    /\b(?:apartment (?:blocks?|buildings?|complex)|residential (?:buildings?|blocks?|areas?|districts?)|blocks? of flats|high-rises?|tower blocks?)\b/,
  ],
  [
    'military',
    /\b(?:(?:military|army|air|naval) bases?|barracks|military academy|checkpoints?|convoys?|outposts?|garrisons?)\b/,
  ],
  ['gathering', /\b(?:festivals?|concerts?|weddings?|funerals?|parades?)\b/],
  ['hospitality', /\b(?:hotels?|caf(?:e|é)s?|restaurants?|nightclubs?)\b/],
  ['camp', /\b(?:refugee camps?|displacement camps?|camps? for (?:the )?displaced)\b/],
  [
    'authority',
    /\b(?:police stations?|ministry|ministries|parliament|government (?:buildings?|headquarters)|prisons?|courthouses?)\b/,
  ],
];

/** The kinds of site a text names, sorted. */
export const siteKinds = (text: string): string[] => {
  const lower = text.toLowerCase();
  return SITE_KINDS.filter(([, words]) => words.test(lower)).map(([kind]) => kind);
};

/**
 * True when two sets of site kinds say the reports are about different incidents: both name a
 * site and they share none.
 */
export const differentSites = (a: readonly string[], b: readonly string[]): boolean =>
  a.length > 0 && b.length > 0 && !a.some((kind) => b.includes(kind));
