/** Validation of the `rules` and `guards` sections of a rule file (see validate.ts). */
import {
  type DataPath,
  FIELDS,
  type Field,
  GUARD_KINDS,
  type GuardKind,
  type GuardSpec,
  type RuleSpec,
  type Scope,
} from './schema.ts';
import { checkKeys, describe, ID, isObj, type Lexicons, type Problems } from './validate-terms.ts';

const RULE_KEYS = [
  'id',
  'category',
  'weight',
  'any',
  'with',
  'all',
  'within',
  'unless',
  'fields',
  'note',
];
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

/** What the rules and guards refer to, and the ids already taken. */
interface Known {
  readonly categoryIds: ReadonlySet<string>;
  /** Every rule's id (`#n` for a rule without a valid one), filled by validateRules. */
  readonly ruleIds: Set<string>;
  /** The rule file's format version: 1 reads `with` as a list of groups, 2 as one group. */
  readonly version: 1 | 2;
  /** What is valid but likely not meant (the version 1 `with` that reads as "any one of"). */
  readonly warnings: Problems;
}

/** A term or a list of terms as a flow-style YAML value, for the rewrites that messages give. */
export const flow = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'string') {
    return /^[\w<][\w\s~<>-]*$/.test(v) ? v : `'${v.replaceAll("'", "''")}'`;
  }
  return JSON.stringify(v) ?? String(v);
};

/**
 * A version 1 rule's `with` that reads as "any one of" but requires each entry (a list of two or
 * more entries, some of them a bare term or "@lexicon"): the warning with the rewrite that keeps
 * its meaning, undefined for any other `with`.
 */
export function ambiguousWith(rule: Record<string, unknown>): string | undefined {
  const w = rule.with;
  if (!Array.isArray(w) || w.length < 2 || !w.some((g) => typeof g === 'string')) return undefined;
  return `with: ${flow(w)} requires every one of its ${w.length} entries in a version 1 rule file, though it reads as "any one of": to keep that meaning write all: ${flow(w)}; if any one of them is enough, put version: 2 at the top of the file (with then means any one of its terms)`;
}

/** A rule or guard that is a mapping, with who it is. */
interface Entry {
  readonly value: Record<string, unknown>;
  readonly path: DataPath;
  /** Its id, or `#n` (its place in the list) when it has none. */
  readonly id: string;
  /** Names it in messages: `rule 'id'`, `guard 'id'`. */
  readonly owner: string;
  /** Adds a problem at a path inside the entry. */
  problem(at: DataPath, what: string): void;
}

/**
 * The checks a rule and a guard share: a mapping, with a well-formed id that is not `taken`
 * (else `duplicate` is the problem), and no key outside `keys`. The id joins `ids`.
 */
function entry(
  v: unknown,
  i: number,
  kind: 'rule' | 'guard',
  keys: readonly string[],
  taken: (id: string) => boolean,
  duplicate: string,
  ids: Set<string>,
  problems: Problems
): Entry | undefined {
  const path: DataPath = [`${kind}s`, i];
  if (!isObj(v)) {
    problems.add(path, `each ${kind} must be a mapping, got ${describe(v)}`);
    return undefined;
  }
  const id = typeof v.id === 'string' ? v.id : `#${i + 1}`;
  const owner = `${kind} '${id}'`;
  const problem = (at: DataPath, what: string): void => problems.add([...path, ...at], what, owner);
  if (typeof v.id !== 'string' || !ID.test(v.id)) {
    problem(['id'], `id must use lower case letters, digits and hyphens, got ${describe(v.id)}`);
  } else if (taken(v.id)) problem(['id'], duplicate);
  ids.add(id);
  checkKeys(v, keys, path, problems, owner);
  return { value: v, path, id, owner, problem };
}

/** The `rules` section: a non-empty list of rules. */
export function validateRules(
  v: unknown,
  known: Known,
  lexicons: Lexicons,
  problems: Problems
): RuleSpec[] {
  const rules: RuleSpec[] = [];
  if (!Array.isArray(v) || v.length === 0) {
    problems.add(['rules'], 'rules must be a non-empty list');
    return rules;
  }
  v.forEach((r: unknown, i: number) => {
    const rule = validateRule(r, i, known, lexicons, problems);
    if (rule) rules.push(rule);
  });
  return rules;
}

function validateRule(
  v: unknown,
  i: number,
  known: Known,
  lexicons: Lexicons,
  problems: Problems
): RuleSpec | undefined {
  const taken = (id: string): boolean => known.ruleIds.has(id);
  const e = entry(v, i, 'rule', RULE_KEYS, taken, 'duplicate rule id', known.ruleIds, problems);
  if (!e) return undefined;
  const { value: r, path, id, owner, problem: p } = e;
  if (typeof r.category !== 'string' || !known.categoryIds.has(r.category)) {
    p(['category'], `category must be one of the categories defined, got ${describe(r.category)}`);
  }
  if (typeof r.weight !== 'number' || !(r.weight > 0)) {
    p(['weight'], `weight must be a number above 0, got ${describe(r.weight)}`);
  }
  const any = lexicons.terms(r.any, [...path, 'any'], owner, true);
  const withGroups = partnerGroups(r, e, known, lexicons);
  let within: number | 'sentence' = 'sentence';
  if (r.within !== undefined) {
    if (r.within === 'sentence') within = 'sentence';
    else if (typeof r.within === 'number' && Number.isInteger(r.within) && r.within > 0)
      within = r.within;
    else
      p(
        ['within'],
        `within must be a whole number of words above 0 or 'sentence', got ${describe(r.within)}`
      );
  }
  const unless = lexicons.terms(r.unless, [...path, 'unless'], owner, false);
  const fields = validateFields(r.fields, p) ?? [...FIELDS];
  return {
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
  };
}

/**
 * The partner groups of a rule, each needing one of its terms near the anchor. `with` is one
 * group (any one of its terms; in a version 1 file a list of groups, each required), `all` a list
 * of groups (each required; an entry is a list of terms, or one term or "@lexicon").
 */
function partnerGroups(
  r: Record<string, unknown>,
  e: Entry,
  known: Known,
  lexicons: Lexicons
): string[][] {
  const { path, owner, problem: p } = e;
  const groups: string[][] = [];
  const listOfGroups = (v: unknown, key: 'with' | 'all'): void => {
    // Version 1 accepted an empty `with`.
    if (!Array.isArray(v) || (v.length === 0 && key === 'all')) {
      p(
        [key],
        `${key} must be a non-empty list: each entry a term, a "@lexicon" or a list of terms`
      );
      return;
    }
    v.forEach((g: unknown, gi: number) => {
      // A bare term or "@lexicon" is a group of its own.
      const list = typeof g === 'string' ? [g] : g;
      groups.push(lexicons.terms(list, [...path, key, gi], owner, true));
    });
  };
  if (r.with !== undefined && r.all !== undefined) {
    p(
      ['all'],
      `use either with (any one of its terms) or all (each of its groups), not both: write all: [${flow(r.with)}, ...] with the with terms as one more group`
    );
  }
  if (r.with !== undefined) {
    if (known.version === 1) {
      if (!Array.isArray(r.with)) p(['with'], 'with must be a list of term lists');
      else listOfGroups(r.with, 'with');
      const warning = ambiguousWith(r);
      if (warning) known.warnings.add([...path, 'with'], warning, owner);
    } else if (Array.isArray(r.with) && r.with.some(Array.isArray)) {
      // A version 1 list of groups in a version 2 file: say which form means what it meant.
      const rewrite = r.with.length === 1 ? `with: ${flow(r.with[0])}` : `all: ${flow(r.with)}`;
      p(
        ['with'],
        `with is one list of terms, any one of which is enough (version 2): write ${rewrite}${r.with.length === 1 ? '' : ' if each group is required'}`
      );
    } else
      groups.push(
        lexicons.terms(
          typeof r.with === 'string' ? [r.with] : r.with,
          [...path, 'with'],
          owner,
          true
        )
      );
  }
  if (r.all !== undefined) listOfGroups(r.all, 'all');
  return groups;
}

/** The `guards` section: an optional list of guards. */
export function validateGuards(
  v: unknown,
  known: Known,
  lexicons: Lexicons,
  problems: Problems
): GuardSpec[] {
  const guards: GuardSpec[] = [];
  if (v === undefined) return guards;
  if (!Array.isArray(v)) {
    problems.add(['guards'], 'guards must be a list');
    return guards;
  }
  const guardIds = new Set<string>();
  v.forEach((g: unknown, i: number) => {
    const guard = validateGuard(g, i, known, guardIds, lexicons, problems);
    if (guard) guards.push(guard);
  });
  return guards;
}

function validateGuard(
  v: unknown,
  i: number,
  known: Known,
  guardIds: Set<string>,
  lexicons: Lexicons,
  problems: Problems
): GuardSpec | undefined {
  const taken = (id: string): boolean => guardIds.has(id) || known.ruleIds.has(id);
  const e = entry(v, i, 'guard', GUARD_KEYS, taken, 'duplicate id', guardIds, problems);
  if (!e) return undefined;
  const { value: g, path, id, owner, problem: p } = e;
  if (typeof g.kind !== 'string' || !GUARD_KINDS.includes(g.kind as GuardKind)) {
    p(['kind'], `kind must be one of ${GUARD_KINDS.join(', ')}, got ${describe(g.kind)}`);
  }
  const terms = lexicons.terms(g.terms, [...path, 'terms'], owner, true);
  const unless = lexicons.terms(g.unless, [...path, 'unless'], owner, false);
  const scope = validateScope(g.scope, [...path, 'scope'], owner, problems);
  let effect: 'drop' | 'veto' = 'drop';
  if (g.effect !== undefined) {
    if (g.effect === 'drop' || g.effect === 'veto') effect = g.effect;
    else p(['effect'], `effect must be 'drop' or 'veto', got ${describe(g.effect)}`);
  }
  const fields = validateFields(g.fields, p);
  const rulesRef = guardRefs(g, 'rules', path, owner, known, problems);
  const catsRef = guardRefs(g, 'categories', path, owner, known, problems);
  const exceptRef = guardRefs(g, 'except', path, owner, known, problems);
  return {
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
  };
}

/** A `fields` list (title, summary, content); undefined when absent or wrong (reported). */
function validateFields(
  v: unknown,
  p: (path: DataPath, what: string) => void
): Field[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.some((f) => !FIELDS.includes(f as Field))) {
    p(['fields'], `fields must be a list of ${FIELDS.join(', ')}, got ${describe(v)}`);
    return undefined;
  }
  return v as Field[];
}

/**
 * A guard's list of the rules (`rules`), categories (`categories`) or either (`except`) it is
 * about; undefined when absent or not a list of ids.
 */
function guardRefs(
  g: Record<string, unknown>,
  key: 'rules' | 'categories' | 'except',
  path: DataPath,
  owner: string,
  known: Known,
  problems: Problems
): string[] | undefined {
  const v = g[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    problems.add([...path, key], `${key} must be a list of ids`, owner);
    return undefined;
  }
  v.forEach((x: string, xi: number) => {
    const isKnown =
      key === 'categories'
        ? known.categoryIds.has(x)
        : key === 'rules'
          ? known.ruleIds.has(x)
          : known.ruleIds.has(x) || known.categoryIds.has(x);
    if (!isKnown)
      problems.add(
        [...path, key, xi],
        `unknown ${key === 'categories' ? 'category' : 'rule or category'} '${x}'`,
        owner
      );
  });
  return v as string[];
}

function validateScope(v: unknown, path: DataPath, owner: string, problems: Problems): Scope {
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
  problems.add(
    path,
    `scope must be 'sentence', 'item' or { before|after|around: words }, got ${describe(v)}`,
    owner
  );
  return { kind: 'sentence' };
}
