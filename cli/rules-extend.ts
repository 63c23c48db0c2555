/**
 * A rule file that extends the default rules (`extend: default`): merged with the bundled
 * config/rules.yaml into one document before validation, so a user's file keeps up with new
 * defaults. The CLI and the CDK app (which uploads the merged document as the Lambdas' JSON) read
 * rules through it; the Lambdas never see `extend`.
 *
 *   extend: default
 *   disable: [id, ...]        default rules or guards left out
 *   override: [rule|guard]    each replaces the default rule or guard of the same id, in place
 *   rules: [rule, ...]        added after the default rules (guards likewise)
 *   lexicons, categories, places, actors: added, or replacing the default entry of that name
 *   name, threshold, severity: replace the default's; grouping: per key
 *
 * Rules keep the meaning of the file they come from: the merged document is version 2, and a
 * version 1 rule's `with` (each entry required) becomes the `all` that says so.
 */
import { nearestName } from '../lambdas/core/common/nearest.ts';
import type { DataPath, Locate, RuleDocument } from '../lambdas/core/rules/schema.ts';
import { ambiguousWith } from '../lambdas/core/rules/validate-rules.ts';

/** The merged document, where its paths are (in the user's file or the defaults), and findings. */
export interface Extended extends RuleDocument {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a merged path comes from: the user's file or the defaults, and its path there. */
type Origin = readonly ['user' | 'base', DataPath];

const version = (root: Obj): 1 | 2 => (root.version === 2 || root.version === '2' ? 2 : 1);

/** The rule as version 2 reads it: a version 1 `with` list is the `all` it meant. */
const asVersion2 = (rule: unknown, from: 1 | 2): { rule: unknown; renamed: boolean } => {
  if (from === 2 || !isObj(rule) || !Array.isArray(rule.with) || rule.all !== undefined) {
    return { rule, renamed: false };
  }
  const { with: groups, ...rest } = rule;
  return { rule: { ...rest, all: groups }, renamed: true };
};

const idOf = (v: unknown): string | undefined =>
  isObj(v) && typeof v.id === 'string' ? v.id : undefined;

/** `id: did you mean x?` when a known id is near, else `not a default rule or guard`. */
const unknownId = (id: string, known: readonly string[]): string => {
  const near = nearestName(id, known);
  return near !== undefined
    ? `no default rule or guard has the id '${id}': did you mean '${near}'?`
    : `no default rule or guard has the id '${id}' (the ids are those of config/rules.yaml)`;
};

/**
 * Merges `user` (which says `extend: default`) into the default rules `base`. Problems of the
 * merge itself (an unknown id to disable or override, an added rule reusing a default id) are
 * returned; the merged document is validated as any rule file.
 */
export function extendRules(user: Obj, userLocate: Locate, base: RuleDocument): Extended {
  const problems: string[] = [];
  const warnings: string[] = [];
  const at = (path: DataPath, what: string, owner?: string): string =>
    `${userLocate(path)}: ${owner ? `${owner}: ` : ''}${what}`;
  if (user.extend !== 'default') {
    problems.push(
      at(
        ['extend'],
        `extend must be 'default' (the bundled rules), got ${JSON.stringify(user.extend)}`
      )
    );
  }
  const root = isObj(base.root) ? base.root : {};
  const baseVersion = version(root);
  const userVersion = version(user);

  // Default rules and guards by id, and what the user's file does to them.
  const baseRules = Array.isArray(root.rules) ? root.rules : [];
  const baseGuards = Array.isArray(root.guards) ? root.guards : [];
  const knownIds = [...baseRules, ...baseGuards].map(idOf).filter((id) => id !== undefined);
  const disabled = new Set<string>();
  if (user.disable !== undefined) {
    if (!Array.isArray(user.disable) || user.disable.some((id) => typeof id !== 'string')) {
      problems.push(at(['disable'], 'disable must be a list of rule or guard ids'));
    } else {
      user.disable.forEach((id: string, i) => {
        if (knownIds.includes(id)) disabled.add(id);
        else problems.push(at(['disable', i], unknownId(id, knownIds)));
      });
    }
  }
  const overrides = new Map<string, number>();
  if (user.override !== undefined) {
    if (!Array.isArray(user.override)) {
      problems.push(
        at(['override'], 'override must be a list of rules and guards, each with an id')
      );
    } else {
      user.override.forEach((entry, i) => {
        const id = idOf(entry);
        if (id === undefined)
          problems.push(
            at(
              ['override', i],
              'each override needs the id of the default rule or guard it replaces'
            )
          );
        else if (!knownIds.includes(id))
          problems.push(at(['override', i, 'id'], unknownId(id, knownIds), `override '${id}'`));
        else if (disabled.has(id))
          problems.push(
            at(
              ['override', i, 'id'],
              `'${id}' is both disabled and overridden: keep one`,
              `override '${id}'`
            )
          );
        else overrides.set(id, i);
      });
    }
  }

  /** The version 1 `with` that reads as "any one of", in a rule of the user's file. */
  const warnVersion1 = (rule: unknown, path: DataPath): void => {
    if (userVersion !== 1 || !isObj(rule)) return;
    const warning = ambiguousWith(rule);
    if (warning)
      warnings.push(
        at([...path, 'with'], warning, `rule '${idOf(rule) ?? `#${Number(path[1]) + 1}`}'`)
      );
  };
  const origins = new Map<string, Origin[]>();
  const renamed = new Set<string>();
  /** The merged list of rules or guards: defaults (overridden, disabled), then the user's. */
  const list = (key: 'rules' | 'guards', defaults: readonly unknown[]): unknown[] => {
    const out: unknown[] = [];
    const from: Origin[] = [];
    const push = (entry: unknown, fileVersion: 1 | 2, origin: Origin): void => {
      const v2 = key === 'rules' ? asVersion2(entry, fileVersion) : { rule: entry, renamed: false };
      if (v2.renamed) renamed.add(`${key}.${out.length}`);
      out.push(v2.rule);
      from.push(origin);
    };
    defaults.forEach((entry, j) => {
      const id = idOf(entry);
      if (id !== undefined && disabled.has(id)) return;
      const o = id === undefined ? undefined : overrides.get(id);
      const replacement = o === undefined ? undefined : (user.override as unknown[])[o];
      if (
        replacement !== undefined &&
        isObj(entry) &&
        'kind' in entry !== 'kind' in (replacement as Obj)
      ) {
        problems.push(
          at(
            ['override', o as number],
            `'${id}' is a default ${key === 'rules' ? 'rule' : 'guard'}: its replacement must be one too`,
            `override '${id}'`
          )
        );
      }
      if (replacement !== undefined) {
        if (key === 'rules') warnVersion1(replacement, ['override', o as number]);
        push(replacement, userVersion, ['user', ['override', o as number]]);
      } else
        push(key === 'guards' ? withoutDisabled(entry, disabled) : entry, baseVersion, [
          'base',
          [key, j],
        ]);
    });
    const own = user[key];
    if (Array.isArray(own)) {
      own.forEach((entry, i) => {
        const id = idOf(entry);
        if (id !== undefined && knownIds.includes(id)) {
          problems.push(
            at(
              [key, i, 'id'],
              `'${id}' is already a default rule or guard: to replace it, list it under override; to drop it, under disable`,
              `${key === 'rules' ? 'rule' : 'guard'} '${id}'`
            )
          );
          return;
        }
        if (key === 'rules') warnVersion1(entry, [key, i]);
        push(entry, userVersion, ['user', [key, i]]);
      });
    } else if (own !== undefined) {
      // Validated as the user wrote it: the message names the user's file.
      from.length = 0;
      origins.set(key, [['user', [key]]]);
      return own as unknown[];
    }
    origins.set(key, from);
    return out;
  };

  const merged: Obj = {
    name: user.name ?? root.name,
    version: 2,
    threshold: user.threshold ?? root.threshold,
    lexicons: mapping(root.lexicons, user.lexicons),
    categories: mapping(root.categories, user.categories),
    rules: list('rules', baseRules),
    guards: list('guards', baseGuards),
    severity: user.severity ?? root.severity,
    places: mapping(root.places, user.places),
    actors: mapping(root.actors, user.actors),
    grouping: mapping(root.grouping, user.grouping),
  };
  for (const [key, value] of Object.entries(user)) {
    if (!(key in merged) && !['extend', 'disable', 'override'].includes(key)) merged[key] = value;
  }
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];

  const locate: Locate = (path) => {
    const [key, index, ...rest] = path;
    if (key === undefined) return userLocate(path);
    const listed = origins.get(String(key));
    if (listed && typeof index === 'number') {
      const origin = listed[index];
      if (origin) {
        const tail =
          renamed.has(`${key}.${index}`) && rest[0] === 'all' ? ['with', ...rest.slice(1)] : rest;
        const [side, p] = origin;
        return (side === 'user' ? userLocate : base.locate)([...p, ...tail]);
      }
    }
    if (listed?.[0]?.[0] === 'user') return userLocate(path);
    const own = user[key as string];
    if (own !== undefined && (index === undefined || !isObj(own) || index in own))
      return userLocate(path);
    return base.locate(path);
  };
  return { root: merged, locate, problems, warnings };
}

/** A mapping section: the default's entries, those of the user's file added or replacing. */
const mapping = (base: unknown, user: unknown): unknown => {
  if (user === undefined) return base;
  if (!isObj(user) || !isObj(base)) return user;
  return { ...base, ...user };
};

/** A default guard without its references to disabled rules (it no longer applies to them). */
const withoutDisabled = (guard: unknown, disabled: ReadonlySet<string>): unknown => {
  if (!isObj(guard) || disabled.size === 0) return guard;
  const out: Obj = { ...guard };
  for (const key of ['rules', 'except'] as const) {
    const ids = guard[key];
    if (Array.isArray(ids)) out[key] = ids.filter((id) => !disabled.has(id as string));
  }
  return out;
};
