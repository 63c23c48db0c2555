/**
 * The rule file format and its validation, on an already parsed document: the YAML front
 * (load-yaml.ts: CLI, CDK app, tests) and the JSON front (load-json.ts: the Lambdas) read the text
 * and say where a path is (file:line:col, or the JSON path). Every problem is collected with its
 * location, the rule or guard id and what is wrong; nothing stops at the first one. This module
 * must not import a parser: the Lambda bundles load it.
 *
 * Top-level keys:
 *   name        string                      the rule set's name
 *   threshold   number > 0                  score at or above which an item escalates
 *   lexicons    { name: [term, ...] }       reusable term lists, referenced as "@name" in any list
 *   categories  { id: { label, severity } } severity = the category's base tier
 *   rules       [ { id, category, weight, any, with?, within?, unless?, fields?, note? } ]
 *   guards      [ { id, kind, terms, unless?, scope, effect?, fields?, rules?, categories?, except?, note? } ]
 *   severity    { killed: {n: tier}, injured: {n: tier}, massCasualties: n, broadScale: n }
 *   places      { Country: { aliases?: [...], places?: { Place: [alias, ...] } } }
 *   actors      { Name: [alias, ...] }
 *
 * A term is one or more words separated by spaces. A word ending in "~" is inflected by the
 * documented stemmer (see compile.ts: strike~ -> strike, strikes, striked, striking ...;
 * irregular forms such as "struck" are listed explicitly). "<num>" matches any number token and
 * "<year>" any year 1900..2099. Matching is by whole words after folding (case, diacritics, quotes).
 */
import { SEVERITIES, type Severity } from '../common/types.ts';

export const FIELDS = ['title', 'summary', 'content'] as const;
export type Field = (typeof FIELDS)[number];

export const GUARD_KINDS = [
  'negation',
  'modality',
  'historical',
  'deescalation',
  'false-friend',
  'discard',
] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];

export type Scope =
  | { readonly kind: 'before' | 'after' | 'around'; readonly words: number }
  | { readonly kind: 'sentence' }
  | { readonly kind: 'item' };

export interface CategorySpec {
  readonly id: string;
  readonly label: string;
  readonly severity: Severity;
}

export interface RuleSpec {
  readonly id: string;
  readonly category: string;
  readonly weight: number;
  /** The anchor group: any of these terms. */
  readonly any: readonly string[];
  /** Further groups: each needs one of its terms within `within` of the anchor. */
  readonly with: readonly (readonly string[])[];
  /** Words between anchor and each `with` term, or the same sentence. */
  readonly within: number | 'sentence';
  /** None of these in the anchor's sentence. */
  readonly unless: readonly string[];
  readonly fields: readonly Field[];
  readonly note?: string;
}

export interface GuardSpec {
  readonly id: string;
  readonly kind: GuardKind;
  readonly terms: readonly string[];
  /** A cue does not count when one of these is in the cue's sentence. */
  readonly unless: readonly string[];
  readonly scope: Scope;
  /** drop: the matched occurrence does not count; veto: the whole item cannot escalate. */
  readonly effect: 'drop' | 'veto';
  /** Where a cue counts (e.g. only the title, for headline frames); undefined: every field. */
  readonly fields?: readonly Field[];
  readonly rules?: readonly string[];
  readonly categories?: readonly string[];
  readonly except?: readonly string[];
  readonly note?: string;
}

export interface SeveritySpec {
  readonly killed: readonly (readonly [number, Severity])[];
  readonly injured: readonly (readonly [number, Severity])[];
  /** Killed at or above this adds the mass-casualties category. */
  readonly massCasualties: number;
  /** This many distinct categories raise the tier by one. */
  readonly broadScale: number;
}

export interface PlaceSpec {
  readonly name: string;
  /** Undefined for a country. */
  readonly country?: string;
  readonly aliases: readonly string[];
}

export interface ActorSpec {
  readonly name: string;
  readonly aliases: readonly string[];
}

export interface RuleFileSpec {
  readonly name: string;
  readonly threshold: number;
  readonly categories: readonly CategorySpec[];
  readonly rules: readonly RuleSpec[];
  readonly guards: readonly GuardSpec[];
  readonly severity: SeveritySpec;
  readonly places: readonly PlaceSpec[];
  readonly actors: readonly ActorSpec[];
}

/** Where a value is in the parsed document: keys and list indexes, e.g. `['rules', 3, 'any']`. */
export type DataPath = readonly (string | number)[];

/**
 * Names where the value at a path is, for messages: `rules.yaml:12:5` (the YAML front) or
 * `rules.json: rules[3].any` (the JSON front). The empty path is the document as a whole.
 */
export type Locate = (path: DataPath) => string;

/** A validated rule file: the spec when there were no problems, and the problems. */
export interface RuleFileCheck {
  readonly spec?: RuleFileSpec;
  readonly problems: readonly string[];
}

interface Ctx {
  readonly problems: string[];
  loc(path: DataPath): string;
}

const TOP_KEYS = [
  'name',
  'version',
  'threshold',
  'lexicons',
  'categories',
  'rules',
  'guards',
  'severity',
  'places',
  'actors',
];
const RULE_KEYS = ['id', 'category', 'weight', 'any', 'with', 'within', 'unless', 'fields', 'note'];
const GUARD_KEYS = [
  'id',
  'kind',
  'terms',
  'unless',
  'scope',
  'effect',
  'fields',
  'rules',
  'categories',
  'except',
  'note',
];
const ID = /^[a-z0-9][a-z0-9-]*$/;
const WORD = /^(<num>|<year>|[^\s~<>@]+~?)$/;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Validates a parsed rule file (the value JSON.parse or the YAML parser gave). `locate` names
 * where a path is in the text. Returns the spec (when there were no problems) and every problem.
 */
export function validateRuleFile(root: unknown, locate: Locate): RuleFileCheck {
  const problems: string[] = [];
  if (!isObj(root)) {
    problems.push(`${locate([])}: a rule file must be a mapping with rules, got ${describe(root)}`);
    return { problems };
  }
  const spec = validate(root, { problems, loc: locate });
  return problems.length === 0 ? { spec, problems } : { problems };
}

type Problem = (path: DataPath, what: string, owner?: string) => void;

/** A `fields` list (title, summary, content); undefined when absent or wrong (reported). */
function parseFields(
  value: unknown,
  path: DataPath,
  owner: string,
  p: Problem
): Field[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((f) => !FIELDS.includes(f as Field))
  ) {
    p(path, `fields must be a list of ${FIELDS.join(', ')}, got ${describe(value)}`, owner);
    return undefined;
  }
  return value as Field[];
}

function validate(root: Record<string, unknown>, ctx: Ctx): RuleFileSpec {
  const p = (path: DataPath, what: string, owner?: string): void => {
    ctx.problems.push(`${ctx.loc(path)}: ${owner ? `${owner}: ` : ''}${what}`);
  };
  for (const key of Object.keys(root)) {
    if (!TOP_KEYS.includes(key))
      p([key], `unknown key '${key}' (expected one of ${TOP_KEYS.join(', ')})`);
  }
  const name = typeof root.name === 'string' && root.name.trim() ? root.name : 'rules';
  if (root.name !== undefined && typeof root.name !== 'string') {
    p(['name'], `name must be a string, got ${describe(root.name)}`);
  }
  const threshold = root.threshold;
  if (typeof threshold !== 'number' || !(threshold > 0)) {
    p(['threshold'], `threshold must be a number above 0, got ${describe(threshold)}`);
  }

  // Lexicons.
  const lexicons = new Map<string, string[]>();
  if (root.lexicons !== undefined) {
    if (!isObj(root.lexicons))
      p(['lexicons'], 'lexicons must be a mapping of name to a list of terms');
    else {
      for (const [lex, list] of Object.entries(root.lexicons)) {
        lexicons.set(lex, termList(list, ['lexicons', lex], `lexicon '${lex}'`, ctx, null));
      }
    }
  }
  const expand = (terms: string[], path: DataPath, owner: string): string[] => {
    const out: string[] = [];
    terms.forEach((t, i) => {
      if (t.startsWith('@')) {
        const lex = lexicons.get(t.slice(1));
        if (!lex) p([...path, i], `unknown lexicon '${t}' (define it under lexicons)`, owner);
        else out.push(...lex);
      } else out.push(t);
    });
    return out;
  };

  // Categories.
  const categories: CategorySpec[] = [];
  if (!isObj(root.categories) || Object.keys(root.categories).length === 0) {
    p(['categories'], 'categories must be a non-empty mapping of id to { label, severity }');
  } else {
    for (const [id, c] of Object.entries(root.categories)) {
      const owner = `category '${id}'`;
      if (!ID.test(id))
        p(['categories', id], 'ids use lower case letters, digits and hyphens', owner);
      if (!isObj(c)) {
        p(['categories', id], 'must be a mapping with label and severity', owner);
        continue;
      }
      const sev = c.severity;
      if (typeof sev !== 'string' || !SEVERITIES.includes(sev as Severity) || sev === 'none') {
        p(
          ['categories', id, 'severity'],
          `severity must be one of low, medium, high, critical, got ${describe(sev)}`,
          owner
        );
      }
      categories.push({
        id,
        label: typeof c.label === 'string' ? c.label : id,
        severity: (sev as Severity) ?? 'low',
      });
    }
  }
  const categoryIds = new Set(categories.map((c) => c.id));

  // Rules.
  const rules: RuleSpec[] = [];
  const ruleIds = new Set<string>();
  if (!Array.isArray(root.rules) || root.rules.length === 0) {
    p(['rules'], 'rules must be a non-empty list');
  } else {
    root.rules.forEach((r: unknown, i: number) => {
      const path: DataPath = ['rules', i];
      if (!isObj(r)) {
        p(path, `each rule must be a mapping, got ${describe(r)}`);
        return;
      }
      const id = typeof r.id === 'string' ? r.id : `#${i + 1}`;
      const owner = `rule '${id}'`;
      if (typeof r.id !== 'string' || !ID.test(r.id)) {
        p(
          [...path, 'id'],
          `id must use lower case letters, digits and hyphens, got ${describe(r.id)}`,
          owner
        );
      } else if (ruleIds.has(r.id)) p([...path, 'id'], 'duplicate rule id', owner);
      ruleIds.add(id);
      for (const key of Object.keys(r)) {
        if (!RULE_KEYS.includes(key))
          p(
            [...path, key],
            `unknown key '${key}' (expected one of ${RULE_KEYS.join(', ')})`,
            owner
          );
      }
      if (typeof r.category !== 'string' || !categoryIds.has(r.category)) {
        p(
          [...path, 'category'],
          `category must be one of the categories defined, got ${describe(r.category)}`,
          owner
        );
      }
      if (typeof r.weight !== 'number' || !(r.weight > 0)) {
        p([...path, 'weight'], `weight must be a number above 0, got ${describe(r.weight)}`, owner);
      }
      const any = expand(
        termList(r.any, [...path, 'any'], owner, ctx, 'required'),
        [...path, 'any'],
        owner
      );
      const withGroups: string[][] = [];
      if (r.with !== undefined) {
        if (!Array.isArray(r.with))
          p([...path, 'with'], 'with must be a list of term lists', owner);
        else {
          r.with.forEach((g: unknown, gi: number) => {
            const gp: DataPath = [...path, 'with', gi];
            // A bare "@lexicon" string is accepted as a group.
            const list = typeof g === 'string' ? [g] : g;
            withGroups.push(expand(termList(list, gp, owner, ctx, 'required'), gp, owner));
          });
        }
      }
      let within: number | 'sentence' = 'sentence';
      if (r.within !== undefined) {
        if (r.within === 'sentence') within = 'sentence';
        else if (typeof r.within === 'number' && Number.isInteger(r.within) && r.within > 0)
          within = r.within;
        else
          p(
            [...path, 'within'],
            `within must be a whole number of words above 0 or 'sentence', got ${describe(r.within)}`,
            owner
          );
      }
      const unless = expand(
        termList(r.unless, [...path, 'unless'], owner, ctx, null),
        [...path, 'unless'],
        owner
      );
      const fields = parseFields(r.fields, [...path, 'fields'], owner, p) ?? [...FIELDS];
      rules.push({
        id,
        // Checked above: a wrong value is already a problem, and converting it could throw
        // (an object whose toString is not a function).
        category: typeof r.category === 'string' ? r.category : '',
        weight: typeof r.weight === 'number' ? r.weight : Number.NaN,
        any,
        with: withGroups,
        within,
        unless,
        fields,
        ...(typeof r.note === 'string' ? { note: r.note } : {}),
      });
    });
  }

  // Guards.
  const guards: GuardSpec[] = [];
  const guardIds = new Set<string>();
  if (root.guards !== undefined && !Array.isArray(root.guards))
    p(['guards'], 'guards must be a list');
  if (Array.isArray(root.guards)) {
    root.guards.forEach((g: unknown, i: number) => {
      const path: DataPath = ['guards', i];
      if (!isObj(g)) {
        p(path, `each guard must be a mapping, got ${describe(g)}`);
        return;
      }
      const id = typeof g.id === 'string' ? g.id : `#${i + 1}`;
      const owner = `guard '${id}'`;
      if (typeof g.id !== 'string' || !ID.test(g.id)) {
        p(
          [...path, 'id'],
          `id must use lower case letters, digits and hyphens, got ${describe(g.id)}`,
          owner
        );
      } else if (guardIds.has(g.id) || ruleIds.has(g.id)) p([...path, 'id'], 'duplicate id', owner);
      guardIds.add(id);
      for (const key of Object.keys(g)) {
        if (!GUARD_KEYS.includes(key))
          p(
            [...path, key],
            `unknown key '${key}' (expected one of ${GUARD_KEYS.join(', ')})`,
            owner
          );
      }
      if (typeof g.kind !== 'string' || !GUARD_KINDS.includes(g.kind as GuardKind)) {
        p(
          [...path, 'kind'],
          `kind must be one of ${GUARD_KINDS.join(', ')}, got ${describe(g.kind)}`,
          owner
        );
      }
      const terms = expand(
        termList(g.terms, [...path, 'terms'], owner, ctx, 'required'),
        [...path, 'terms'],
        owner
      );
      const unless = expand(
        termList(g.unless, [...path, 'unless'], owner, ctx, null),
        [...path, 'unless'],
        owner
      );
      const scope = parseScope(g.scope, [...path, 'scope'], owner, p);
      let effect: 'drop' | 'veto' = 'drop';
      if (g.effect !== undefined) {
        if (g.effect === 'drop' || g.effect === 'veto') effect = g.effect;
        else
          p(
            [...path, 'effect'],
            `effect must be 'drop' or 'veto', got ${describe(g.effect)}`,
            owner
          );
      }
      const refs = (key: 'rules' | 'categories' | 'except'): string[] | undefined => {
        const v = g[key];
        if (v === undefined) return undefined;
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
          p([...path, key], `${key} must be a list of ids`, owner);
          return undefined;
        }
        v.forEach((x: string, xi: number) => {
          const known =
            key === 'categories'
              ? categoryIds.has(x)
              : key === 'rules'
                ? ruleIds.has(x)
                : ruleIds.has(x) || categoryIds.has(x);
          if (!known)
            p(
              [...path, key, xi],
              `unknown ${key === 'categories' ? 'category' : 'rule or category'} '${x}'`,
              owner
            );
        });
        return v as string[];
      };
      const fields = parseFields(g.fields, [...path, 'fields'], owner, p);
      const rulesRef = refs('rules');
      const catsRef = refs('categories');
      const exceptRef = refs('except');
      guards.push({
        id,
        kind: (g.kind as GuardKind) ?? 'negation',
        terms,
        unless,
        scope,
        effect,
        ...(fields ? { fields } : {}),
        ...(rulesRef ? { rules: rulesRef } : {}),
        ...(catsRef ? { categories: catsRef } : {}),
        ...(exceptRef ? { except: exceptRef } : {}),
        ...(typeof g.note === 'string' ? { note: g.note } : {}),
      });
    });
  }

  const severity = parseSeverity(root.severity, p);
  const places = parsePlaces(root.places, p, ctx);
  const actors = parseActors(root.actors, p, ctx);
  return {
    name,
    threshold: typeof threshold === 'number' ? threshold : 1,
    categories,
    rules,
    guards,
    severity,
    places,
    actors,
  };
}

function termList(
  v: unknown,
  path: DataPath,
  owner: string,
  ctx: Ctx,
  required: 'required' | null
): string[] {
  const p = (pp: DataPath, what: string): void => {
    ctx.problems.push(`${ctx.loc(pp)}: ${owner}: ${what}`);
  };
  if (v === undefined) {
    if (required) p(path, `${String(path[path.length - 1])} must be a non-empty list of terms`);
    return [];
  }
  if (!Array.isArray(v) || (required && v.length === 0)) {
    p(
      path,
      `${String(path[path.length - 1])} must be a non-empty list of terms, got ${describe(v)}`
    );
    return [];
  }
  const out: string[] = [];
  v.forEach((t: unknown, i: number) => {
    if (typeof t !== 'string' || t.trim() === '') {
      p([...path, i], `a term must be a non-empty string, got ${describe(t)}`);
      return;
    }
    if (!t.startsWith('@')) {
      const bad = t
        .trim()
        .split(/\s+/)
        .find((w) => !WORD.test(w));
      if (bad !== undefined) {
        p(
          [...path, i],
          `term '${t}' has a bad word '${bad}' ('~' only at a word's end; '<num>' and '<year>' are the only classes)`
        );
        return;
      }
    }
    out.push(t);
  });
  return out;
}

function parseScope(
  v: unknown,
  path: DataPath,
  owner: string,
  p: (path: DataPath, what: string, owner?: string) => void
): Scope {
  if (v === 'sentence' || v === 'item') return { kind: v };
  if (isObj(v)) {
    const keys = Object.keys(v);
    const key = keys[0];
    const n = key !== undefined ? v[key] : undefined;
    if (
      keys.length === 1 &&
      (key === 'before' || key === 'after' || key === 'around') &&
      typeof n === 'number' &&
      Number.isInteger(n) &&
      n > 0
    ) {
      return { kind: key, words: n };
    }
  }
  p(
    path,
    `scope must be 'sentence', 'item' or { before|after|around: words }, got ${describe(v)}`,
    owner
  );
  return { kind: 'sentence' };
}

function tiers(
  v: unknown,
  path: DataPath,
  p: (path: DataPath, what: string, owner?: string) => void
): [number, Severity][] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    p(path, 'must be a mapping of a figure to a tier, e.g. { 1: medium, 10: high }', 'severity');
    return [];
  }
  const out: [number, Severity][] = [];
  for (const [k, s] of Object.entries(v)) {
    const n = Number(k);
    if (!Number.isFinite(n) || n < 0) p([...path, k], `'${k}' is not a figure`, 'severity');
    else if (typeof s !== 'string' || !SEVERITIES.includes(s as Severity) || s === 'none') {
      p([...path, k], `tier must be low, medium, high or critical, got ${describe(s)}`, 'severity');
    } else out.push([n, s as Severity]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function parseSeverity(
  v: unknown,
  p: (path: DataPath, what: string, owner?: string) => void
): SeveritySpec {
  if (v === undefined) return { killed: [], injured: [], massCasualties: 10, broadScale: 3 };
  if (!isObj(v)) {
    p(['severity'], 'severity must be a mapping');
    return { killed: [], injured: [], massCasualties: 10, broadScale: 3 };
  }
  const num = (key: string, dflt: number): number => {
    const n = v[key];
    if (n === undefined) return dflt;
    if (typeof n !== 'number' || !(n > 0)) {
      p(['severity', key], `${key} must be a number above 0, got ${describe(n)}`, 'severity');
      return dflt;
    }
    return n;
  };
  return {
    killed: tiers(v.killed, ['severity', 'killed'], p),
    injured: tiers(v.injured, ['severity', 'injured'], p),
    massCasualties: num('massCasualties', 10),
    broadScale: num('broadScale', 3),
  };
}

function stringList(
  v: unknown,
  path: DataPath,
  owner: string,
  p: (path: DataPath, what: string, owner?: string) => void
): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    p(path, `aliases must be a list of names, got ${describe(v)}`, owner);
    return [];
  }
  return v as string[];
}

function parsePlaces(
  v: unknown,
  p: (path: DataPath, what: string, owner?: string) => void,
  _ctx: Ctx
): PlaceSpec[] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    p(['places'], 'places must be a mapping of country to { aliases, places }');
    return [];
  }
  const out: PlaceSpec[] = [];
  for (const [country, c] of Object.entries(v)) {
    const owner = `place '${country}'`;
    if (c !== null && !isObj(c)) {
      p(['places', country], 'must be a mapping with aliases and places', owner);
      continue;
    }
    const cc = c ?? {};
    for (const key of Object.keys(cc)) {
      if (key !== 'aliases' && key !== 'places')
        p(['places', country, key], `unknown key '${key}' (expected aliases, places)`, owner);
    }
    out.push({
      name: country,
      aliases: stringList(cc.aliases, ['places', country, 'aliases'], owner, p),
    });
    if (cc.places !== undefined) {
      if (!isObj(cc.places))
        p(['places', country, 'places'], 'places must be a mapping of place to aliases', owner);
      else {
        for (const [place, aliases] of Object.entries(cc.places)) {
          out.push({
            name: place,
            country,
            aliases: stringList(
              aliases,
              ['places', country, 'places', place],
              `place '${place}'`,
              p
            ),
          });
        }
      }
    }
  }
  return out;
}

function parseActors(
  v: unknown,
  p: (path: DataPath, what: string, owner?: string) => void,
  _ctx: Ctx
): ActorSpec[] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    p(['actors'], 'actors must be a mapping of name to aliases');
    return [];
  }
  return Object.entries(v).map(([name, aliases]) => ({
    name,
    aliases: stringList(aliases, ['actors', name], `actor '${name}'`, p),
  }));
}
