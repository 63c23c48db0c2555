/**
 * Deterministic synthetic news items for the bench: about 1 KB of JSON each, a mix of
 * armed-conflict reports (about one in five) and ordinary news, some of which borrows the
 * vocabulary of war ("price war", "battle for the title") the way real headlines do.
 */
import type { Item } from '../../lambdas/core/common/types.ts';
import { type Prng, prng } from './prng.ts';

const CONFLICT_PLACES = [
  'Aleppo',
  'Idlib',
  'Kharkiv',
  'Donetsk',
  'Zaporizhzhia',
  'Gaza City',
  'Rafah',
  'Khartoum',
  'El Fasher',
  'Goma',
  'Mogadishu',
  'Sanaa',
  'Marib',
  'Mosul',
  'Tripoli',
  'Bamako',
  'Timbuktu',
  'Port-au-Prince',
  'Kabul',
  'Maiduguri',
];
const ORDINARY_PLACES = [
  'London',
  'Paris',
  'Frankfurt',
  'Tokyo',
  'Ohio',
  'Sydney',
  'Toronto',
  'Madrid',
  'Milan',
  'Seoul',
  'Nairobi',
  'Sao Paulo',
];
const ACTORS = [
  'government forces',
  'rebel fighters',
  'the Rapid Support Forces',
  'Russian troops',
  'Ukrainian forces',
  'militants',
  'Houthi fighters',
  'al-Shabab militants',
  'armed groups',
  'opposition fighters',
  'the army',
  'gunmen',
];
const COMPANIES = [
  'Mitsubishi Motors',
  'Allied Domecq',
  'Northwind Foods',
  'Contoso Bank',
  'Fabrikam Steel',
  'Tailspin Airlines',
  'Litware Systems',
  'Adventure Works',
];
const TEAMS = ['Arsenal', 'Leeds', 'Ajax', 'Porto', 'Celtic', 'Lyon', 'Benfica', 'Wolves'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

type Template = (r: Prng) => string;

const conflictTitles: Template[] = [
  (r) => `Air strike on ${r.pick(CONFLICT_PLACES)} market kills at least ${r.int(5, 90)}`,
  (r) => `Shelling of ${r.pick(CONFLICT_PLACES)} kills ${r.int(2, 40)} civilians, officials say`,
  (r) => `Heavy fighting erupts as ${r.pick(ACTORS)} advance on ${r.pick(CONFLICT_PLACES)}`,
  (r) => `Car bomb in ${r.pick(CONFLICT_PLACES)} kills ${r.int(3, 60)}, wounds dozens`,
  (r) => `Drone attack hits power station near ${r.pick(CONFLICT_PLACES)}`,
  (r) => `Clashes between ${r.pick(ACTORS)} and ${r.pick(ACTORS)} leave ${r.int(10, 200)} dead`,
  (r) => `Troops seize key town outside ${r.pick(CONFLICT_PLACES)} after days of artillery fire`,
];
const conflictSentences: Template[] = [
  (r) =>
    `${cap(r.pick(ACTORS))} shelled residential districts of ${r.pick(CONFLICT_PLACES)} on ${r.pick(DAYS)}, killing ${r.int(2, 80)} civilians and wounding ${r.int(5, 150)} others, local health officials said.`,
  (r) =>
    `An air strike hit a crowded market in ${r.pick(CONFLICT_PLACES)}, killing at least ${r.int(5, 90)} people, according to a war monitor.`,
  (r) =>
    `Witnesses described heavy gunfire and explosions as ${r.pick(ACTORS)} pushed into the outskirts of ${r.pick(CONFLICT_PLACES)}.`,
  (r) =>
    `The offensive marks the most serious escalation in the region since a ceasefire collapsed ${r.int(2, 11)} months ago.`,
  (r) =>
    `Hospitals in ${r.pick(CONFLICT_PLACES)} said they were overwhelmed, with ${r.int(20, 300)} wounded brought in overnight.`,
  (_r) =>
    `Thousands of families fled towards the border as artillery fire intensified, the UN refugee agency said.`,
  (r) =>
    `A spokesman for ${r.pick(ACTORS)} said the attack was retaliation for a drone strike that killed ${r.int(2, 20)} of its fighters.`,
];
const ordinaryTitles: Template[] = [
  (r) => `${r.pick(COMPANIES)} shares rise ${r.int(2, 19)}% on profit upgrade`,
  (r) => `${r.pick(TEAMS)} win battle for the title after late goal against ${r.pick(TEAMS)}`,
  (r) => `Supermarkets in ${r.pick(ORDINARY_PLACES)} launch price war as inflation eases`,
  (r) => `Central bank holds rates at ${r.int(1, 6)}.${r.int(0, 9)}%`,
  (r) => `Storm warning issued for ${r.pick(ORDINARY_PLACES)} as heavy rain sweeps in`,
  (r) => `${r.pick(COMPANIES)} to cut ${r.int(1, 45)},000 jobs over five years`,
  (r) => `Film festival in ${r.pick(ORDINARY_PLACES)} opens with record attendance`,
  (r) => `New rail line between ${r.pick(ORDINARY_PLACES)} and ${r.pick(ORDINARY_PLACES)} delayed`,
];
const ordinarySentences: Template[] = [
  (r) =>
    `Shares in ${r.pick(COMPANIES)} rose ${r.int(2, 19)}% in early trading after the firm reported higher than expected quarterly profits and raised its full-year forecast.`,
  (_r) =>
    `The central bank kept its main interest rate unchanged, saying inflation had eased but remained above its target of 2%.`,
  (r) =>
    `${r.pick(TEAMS)} fired ${r.int(5, 20)} shots on goal before a late header settled the match in front of ${r.int(20, 60)},000 fans.`,
  (r) =>
    `Forecasters said up to ${r.int(30, 120)} mm of rain could fall across ${r.pick(ORDINARY_PLACES)} by ${r.pick(DAYS)}, with flooding possible on low-lying roads.`,
  (r) =>
    `The company said the restructuring would be completed by the end of next year and that talks with unions would begin on ${r.pick(DAYS)}.`,
  (_r) =>
    `Analysts expect the price war between the big chains to squeeze margins, although shoppers will benefit in the short term.`,
  (r) =>
    `Organisers said tickets for the ${r.int(3, 12)}-day event had sold out within hours, with visitors from ${r.int(20, 80)} countries.`,
  (r) =>
    `Officials in ${r.pick(ORDINARY_PLACES)} said the project had been delayed by rising costs and a shortage of skilled workers.`,
];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const paragraph = (r: Prng, templates: Template[], minChars: number): string => {
  const parts: string[] = [];
  let size = 0;
  while (size < minChars) {
    const sentence = r.pick(templates)(r);
    parts.push(sentence);
    size += sentence.length + 1;
  }
  return parts.join(' ');
};

const OUTLETS = ['Worthy News', 'Daily Ledger', 'Coastal Times', 'Metro Wire', 'Northern Post'];

/** One item: roughly 1 KB as a JSON line. `conflict` picks the vocabulary. */
export const makeItem = (r: Prng, n: number, conflict: boolean, feed?: string): Item => {
  const outlet = r.pick(OUTLETS);
  const title = (conflict ? r.pick(conflictTitles) : r.pick(ordinaryTitles))(r);
  const sentences = conflict ? conflictSentences : ordinarySentences;
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40);
  const published = new Date(Date.UTC(2026, 10, 1) + n * 37_000).toISOString();
  return {
    id: `https://${outlet.toLowerCase().replace(/ /g, '')}.example/${n}-${slug}`,
    title,
    summary: paragraph(r, sentences, 220),
    content: paragraph(r, sentences, 440),
    link: `https://${outlet.toLowerCase().replace(/ /g, '')}.example/news/${n}-${slug}`,
    published,
    source: outlet,
    ...(feed ? { feed } : {}),
  };
};

/** `count` items from `seed`; about `conflictShare` of them conflict reports. */
export const generateItems = (count: number, seed = 7, conflictShare = 0.2): Item[] => {
  const r = prng(seed);
  const items: Item[] = [];
  for (let n = 0; n < count; n += 1) items.push(makeItem(r, n, r.next() < conflictShare));
  return items;
};

export const toJsonLines = (items: readonly Item[]): string =>
  items.map((item) => `${JSON.stringify(item)}\n`).join('');
