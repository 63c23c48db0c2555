/**
 * Validation of a rule file (the format is in schema.ts) on an already parsed document: the YAML
 * front (cli/yaml/rules.ts: CLI, CDK app, tests) and the JSON front (load-json.ts: the Lambdas)
 * read the text and say where a path is (file:line:col, or the JSON path). Every problem is
 * collected with its location, the rule or guard id and what is wrong; nothing stops at the first
 * one. One function per section of the file, run in the order of the sections. This module must
 * not import a parser: the Lambda bundles load it.
 */
import {
  casualtyStepsProblem,
  GROUPING_NUMBERS,
  groupingNumberProblem,
} from '../common/grouping.ts';
import { SEVERITIES, type Severity } from '../common/types.ts';
import type {
  ActorSpec,
  CategorySpec,
  DataPath,
  GroupingSpec,
  Locate,
  PlaceSpec,
  RuleFileCheck,
  RuleFileSpec,
  SeveritySpec,
} from './schema.ts';
import { validateGuards, validateRules } from './validate-rules.ts';
import { checkKeys, describe, ID, isObj, Lexicons, Problems } from './validate-terms.ts';

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
  'grouping',
];

/** The severity settings a rule file may leave out. */
const MASS_CASUALTIES = 10;
const BROAD_SCALE = 3;

/**
 * Validates a parsed rule file (the value JSON.parse or the YAML parser gave). `locate` names
 * where a path is in the text. Returns the spec (when there were no problems) and every problem.
 */
export function validateRuleFile(root: unknown, locate: Locate): RuleFileCheck {
  if (!isObj(root)) {
    return {
      problems: [
        `${locate([])}: a rule file must be a mapping with rules, got ${describeShort(root)}`,
      ],
    };
  }
  const problems = new Problems(locate);
  const warnings = new Problems(locate);
  const spec = validateSections(root, problems, warnings);
  const checked = problems.list.length === 0 ? { spec } : {};
  return warnings.list.length === 0
    ? { ...checked, problems: problems.list }
    : { ...checked, problems: problems.list, warnings: warnings.list };
}

/** What a value that is not a rule file is, without echoing it (it may be a whole document). */
const describeShort = (v: unknown): string => {
  if (typeof v !== 'string') return Array.isArray(v) ? 'a list' : describe(v);
  const line = v.trim().split('\n')[0] ?? '';
  return `text (${line.length > 40 ? `${JSON.stringify(line.slice(0, 40))}...` : JSON.stringify(line)})`;
};

/**
 * The file's format version: 2 reads a rule's `with` as one list of terms (any one of them), 1
 * (no version, or any other value earlier releases accepted) as a list of groups, each required.
 */
function validateVersion(v: unknown, problems: Problems): 1 | 2 {
  if (v === 2 || v === '2') return 2;
  if (typeof v === 'number' && v > 2) {
    problems.add(['version'], `version must be 1 or 2 (the newest), got ${describe(v)}`);
  }
  return 1;
}

/** Keys only a file that extends the default rules may have (cli/rules-extend.ts reads them). */
const EXTEND_KEYS = ['extend', 'disable', 'override'];

function validateSections(
  root: Record<string, unknown>,
  problems: Problems,
  warnings: Problems
): RuleFileSpec {
  const extending = EXTEND_KEYS.filter((key) => root[key] !== undefined);
  for (const key of extending) {
    problems.add(
      [key],
      root.extend === undefined
        ? `${key} is only for a file that extends the default rules: put extend: default at the top`
        : `${key} was not resolved: a file that extends the default rules is read by the newsalert CLI or deployed by the CDK app (bin/app.ts), which merge it with the default rules`
    );
  }
  checkKeys(root, [...TOP_KEYS, ...extending], [], problems);
  const name = validateName(root.name, problems);
  const version = validateVersion(root.version, problems);
  const threshold = validateThreshold(root.threshold, problems);
  const lexicons = new Lexicons(root.lexicons, problems);
  const categories = validateCategories(root.categories, problems);
  const known = {
    categoryIds: new Set(categories.map((c) => c.id)),
    ruleIds: new Set<string>(),
    version,
    warnings,
  };
  const rules = validateRules(root.rules, known, lexicons, problems);
  const guards = validateGuards(root.guards, known, lexicons, problems);
  return {
    name,
    threshold,
    categories,
    rules,
    guards,
    severity: validateSeverity(root.severity, problems),
    places: validatePlaces(root.places, problems),
    actors: validateActors(root.actors, problems),
    grouping: validateGrouping(root.grouping, known.categoryIds, problems),
  };
}

function validateGrouping(
  v: unknown,
  categoryIds: ReadonlySet<string>,
  problems: Problems
): GroupingSpec {
  if (v === undefined) return {};
  if (!isObj(v)) {
    problems.add(['grouping'], `grouping must be a mapping, got ${describe(v)}`);
    return {};
  }
  checkKeys(
    v,
    [...GROUPING_NUMBERS.map(([key]) => key), 'casualtySteps', 'minorCategories'],
    ['grouping'],
    problems
  );
  const grouping: Record<string, unknown> = {};
  for (const [key] of GROUPING_NUMBERS) {
    if (v[key] === undefined) continue;
    const problem = groupingNumberProblem(key, v[key]);
    if (problem) problems.add(['grouping', key], problem);
    else grouping[key] = v[key];
  }
  if (v.casualtySteps !== undefined) {
    const problem = casualtyStepsProblem(v.casualtySteps);
    if (problem) problems.add(['grouping', 'casualtySteps'], problem);
    else grouping.casualtySteps = v.casualtySteps;
  }
  const minor = v.minorCategories;
  if (minor !== undefined) {
    if (!Array.isArray(minor) || !minor.every((c) => typeof c === 'string')) {
      problems.add(
        ['grouping', 'minorCategories'],
        `minorCategories must be a list of category ids, got ${describe(minor)}`
      );
    } else {
      minor.forEach((c, i) => {
        if (!categoryIds.has(c)) {
          problems.add(['grouping', 'minorCategories', i], `unknown category '${c}'`);
        }
      });
      grouping.minorCategories = minor;
    }
  }
  return grouping as GroupingSpec;
}

function validateName(v: unknown, problems: Problems): string {
  if (v !== undefined && typeof v !== 'string') {
    problems.add(['name'], `name must be a string, got ${describe(v)}`);
  }
  return typeof v === 'string' && v.trim() ? v : 'rules';
}

function validateThreshold(v: unknown, problems: Problems): number {
  if (typeof v !== 'number' || !(v > 0)) {
    problems.add(['threshold'], `threshold must be a number above 0, got ${describe(v)}`);
  }
  return typeof v === 'number' ? v : 1;
}

/** A tier a rule file may name: any severity but none. */
const isTier = (s: unknown): s is Severity =>
  typeof s === 'string' && SEVERITIES.includes(s as Severity) && s !== 'none';

function validateCategories(v: unknown, problems: Problems): CategorySpec[] {
  const categories: CategorySpec[] = [];
  if (!isObj(v) || Object.keys(v).length === 0) {
    problems.add(
      ['categories'],
      'categories must be a non-empty mapping of id to { label, severity }'
    );
    return categories;
  }
  for (const [id, c] of Object.entries(v)) {
    const owner = `category '${id}'`;
    if (!ID.test(id))
      problems.add(['categories', id], 'ids use lower case letters, digits and hyphens', owner);
    if (!isObj(c)) {
      problems.add(['categories', id], 'must be a mapping with label and severity', owner);
      continue;
    }
    const sev = c.severity;
    if (!isTier(sev)) {
      problems.add(
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
  return categories;
}

function validateSeverity(v: unknown, problems: Problems): SeveritySpec {
  if (v === undefined)
    return { killed: [], injured: [], massCasualties: MASS_CASUALTIES, broadScale: BROAD_SCALE };
  if (!isObj(v)) {
    problems.add(['severity'], 'severity must be a mapping');
    return { killed: [], injured: [], massCasualties: MASS_CASUALTIES, broadScale: BROAD_SCALE };
  }
  const num = (key: string, dflt: number): number => {
    const n = v[key];
    if (n === undefined) return dflt;
    if (typeof n !== 'number' || !(n > 0)) {
      problems.add(
        ['severity', key],
        `${key} must be a number above 0, got ${describe(n)}`,
        'severity'
      );
      return dflt;
    }
    return n;
  };
  return {
    killed: tiers(v.killed, ['severity', 'killed'], problems),
    injured: tiers(v.injured, ['severity', 'injured'], problems),
    massCasualties: num('massCasualties', MASS_CASUALTIES),
    broadScale: num('broadScale', BROAD_SCALE),
  };
}

/** A mapping of a figure to the tier it reaches, as a list sorted by figure. */
function tiers(v: unknown, path: DataPath, problems: Problems): [number, Severity][] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    problems.add(
      path,
      'must be a mapping of a figure to a tier, e.g. { 1: medium, 10: high }',
      'severity'
    );
    return [];
  }
  const out: [number, Severity][] = [];
  for (const [k, s] of Object.entries(v)) {
    const n = Number(k);
    if (!Number.isFinite(n) || n < 0)
      problems.add([...path, k], `'${k}' is not a figure`, 'severity');
    else if (!isTier(s)) {
      problems.add(
        [...path, k],
        `tier must be low, medium, high or critical, got ${describe(s)}`,
        'severity'
      );
    } else out.push([n, s]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The `places` section: countries, each with its aliases and its places. */
function validatePlaces(v: unknown, problems: Problems): PlaceSpec[] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    problems.add(['places'], 'places must be a mapping of country to { aliases, places }');
    return [];
  }
  const out: PlaceSpec[] = [];
  for (const [country, c] of Object.entries(v)) {
    const owner = `place '${country}'`;
    if (c !== null && !isObj(c)) {
      problems.add(['places', country], 'must be a mapping with aliases and places', owner);
      continue;
    }
    const cc = c ?? {};
    for (const key of Object.keys(cc)) {
      if (key !== 'aliases' && key !== 'places')
        problems.add(
          ['places', country, key],
          `unknown key '${key}' (expected aliases, places)`,
          owner
        );
    }
    out.push({
      name: country,
      aliases: aliasList(cc.aliases, ['places', country, 'aliases'], owner, problems),
    });
    if (cc.places === undefined) continue;
    if (!isObj(cc.places)) {
      problems.add(
        ['places', country, 'places'],
        'places must be a mapping of place to aliases',
        owner
      );
      continue;
    }
    for (const [place, aliases] of Object.entries(cc.places)) {
      out.push({
        name: place,
        country,
        aliases: aliasList(
          aliases,
          ['places', country, 'places', place],
          `place '${place}'`,
          problems
        ),
      });
    }
  }
  return out;
}

/** The `actors` section: names, each with its aliases. */
function validateActors(v: unknown, problems: Problems): ActorSpec[] {
  if (v === undefined) return [];
  if (!isObj(v)) {
    problems.add(['actors'], 'actors must be a mapping of name to aliases');
    return [];
  }
  return Object.entries(v).map(([name, aliases]) => ({
    name,
    aliases: aliasList(aliases, ['actors', name], `actor '${name}'`, problems),
  }));
}

function aliasList(v: unknown, path: DataPath, owner: string, problems: Problems): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    problems.add(path, `aliases must be a list of names, got ${describe(v)}`, owner);
    return [];
  }
  return v as string[];
}
