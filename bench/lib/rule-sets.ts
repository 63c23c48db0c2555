/**
 * Synthetic rule files in the project's rule format (lambdas/core/rules/schema.ts), with a
 * chosen number of terms: the same realistic conflict rules in every size, the rest made-up
 * words and phrases (some inflected with "~") in extra rules, as a user's long watch lists would be.
 */
import { prng } from './prng.ts';

const REAL_RULES: Array<{
  id: string;
  category: string;
  weight: number;
  any: string[];
  with?: string[][];
}> = [
  {
    id: 'air-strike',
    category: 'air-strike',
    weight: 2,
    any: [
      'air strike~',
      'airstrike~',
      'drone strike~',
      'drone attack~',
      'missile strike~',
      'bombing raid~',
    ],
  },
  {
    id: 'shelling',
    category: 'armed-clash',
    weight: 2,
    any: ['shell~', 'artillery fire', 'mortar fire', 'rocket fire', 'barrage~'],
  },
  {
    id: 'clashes',
    category: 'armed-clash',
    weight: 1.5,
    any: ['clash~', 'heavy fighting', 'gunfire', 'offensive', 'firefight~', 'ambush~'],
    with: [['forces', 'troops', 'fighters', 'militants', 'rebels', 'army', 'gunmen']],
  },
  {
    id: 'bombing',
    category: 'bombing',
    weight: 2,
    any: ['car bomb~', 'suicide bomb~', 'explosion~', 'blast~', 'improvised explosive device'],
  },
  {
    id: 'killed',
    category: 'casualties',
    weight: 1.5,
    any: ['kill~', 'dead', 'killed', 'wound~', 'injur~', 'casualties', 'death toll'],
    with: [['civilians', 'people', 'soldiers', 'fighters', 'children', '<num>']],
  },
  {
    id: 'seizure',
    category: 'territorial',
    weight: 1.5,
    any: ['seize~', 'capture~', 'advance~', 'overran', 'push~ into', 'took control'],
    with: [['town', 'city', 'village', 'outskirts', 'base', 'airport']],
  },
  {
    id: 'displacement',
    category: 'humanitarian',
    weight: 1,
    any: ['fled', 'flee~', 'displaced', 'refugee~', 'evacuat~'],
  },
];

const SYLLABLES = [
  'kar',
  'vo',
  'lin',
  'tes',
  'ma',
  'rid',
  'zen',
  'qu',
  'bor',
  'el',
  'nak',
  'thu',
  'pri',
  'sol',
  'dav',
  'ign',
  'ux',
  'mel',
  'orf',
  'tay',
];

const termsOf = (rule: { any: string[]; with?: string[][] }) =>
  rule.any.length + (rule.with ?? []).reduce((n, g) => n + g.length, 0);

/** Terms in the realistic part of every generated set. */
export const REAL_TERMS = REAL_RULES.reduce((n, r) => n + termsOf(r), 0);

/** Every term of a generated set, for the naive matcher. */
export interface GeneratedRules {
  readonly text: string;
  readonly terms: string[];
}

/** A rule file with exactly `terms` terms (at least REAL_TERMS), deterministic for a seed. */
export const ruleSetWithTerms = (terms: number, seed = 11): GeneratedRules => {
  if (terms < REAL_TERMS)
    throw new Error(`a generated rule set needs at least ${REAL_TERMS} terms`);
  const r = prng(seed);
  const word = () => {
    let w = '';
    const n = r.int(2, 4);
    for (let i = 0; i < n; i += 1) w += r.pick(SYLLABLES);
    return w;
  };
  const seen = new Set<string>();
  const extra: string[] = [];
  while (extra.length < terms - REAL_TERMS) {
    const base = r.next() < 0.3 ? `${word()} ${word()}` : word();
    const term = r.next() < 0.3 ? `${base}~` : base;
    if (seen.has(base)) continue;
    seen.add(base);
    extra.push(term);
  }
  const rules: Array<Record<string, unknown>> = REAL_RULES.map((rule) => ({ ...rule }));
  for (let i = 0; i * 25 < extra.length; i += 1) {
    rules.push({
      id: `watch-${i + 1}`,
      category: 'watch-list',
      weight: 1,
      any: extra.slice(i * 25, (i + 1) * 25),
    });
  }
  const file = {
    name: `bench-${terms}-terms`,
    threshold: 2,
    categories: {
      'air-strike': { label: 'Air strike', severity: 'high' },
      'armed-clash': { label: 'Armed clash', severity: 'medium' },
      bombing: { label: 'Bombing', severity: 'high' },
      casualties: { label: 'Casualties', severity: 'medium' },
      territorial: { label: 'Territorial change', severity: 'medium' },
      humanitarian: { label: 'Humanitarian', severity: 'low' },
      'watch-list': { label: 'Watch list', severity: 'low' },
    },
    rules,
  };
  const all = [
    ...REAL_RULES.flatMap((rule) => [...rule.any, ...(rule.with ?? []).flat()]),
    ...extra,
  ];
  // JSON is YAML: the same loader reads it.
  return { text: JSON.stringify(file, null, 1), terms: all };
};
