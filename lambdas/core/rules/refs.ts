/**
 * What uses each term: the references from a term to the rules (anchor group, other groups,
 * unless), guards (cue, unless), places and actors that hold it, and the typed-array tables the
 * classifier reads them from.
 */

/** What kind of list a term is in. */
export enum RefType {
  RuleGroup = 0,
  RuleUnless = 1,
  GuardCue = 2,
  GuardUnless = 3,
  Place = 4,
  Actor = 5,
}

/** The list a term is in: `index` of the rule, guard, place or actor; `group` of a rule's groups. */
export interface Ref {
  readonly type: RefType;
  readonly index: number;
  readonly group: number;
}

/** The references of term t are entries start[t] .. start[t + 1] - 1 of the other arrays. */
export interface RefTable {
  readonly start: Int32Array;
  readonly type: Int32Array;
  readonly index: Int32Array;
  readonly group: Int32Array;
}

const isGuardRef = (type: RefType): boolean =>
  type === RefType.GuardCue || type === RefType.GuardUnless;

/**
 * The ref tables: those of rules, places and actors; those of guards; and the rules' anchors
 * alone (also in the first), which say whether a rule can match at all.
 */
const REF_TABLES = {
  rules: (r: Ref) => !isGuardRef(r.type),
  guards: (r: Ref) => isGuardRef(r.type),
  anchors: (r: Ref) => r.type === RefType.RuleGroup && r.group === 0,
} as const;

export type RefTableName = keyof typeof REF_TABLES;
export type RefTables = Record<RefTableName, RefTable>;
export const REF_TABLE_NAMES = Object.keys(REF_TABLES) as RefTableName[];

/** The ref tables of the refs of every term (`refs[term]`). */
export const refTablesOf = (refs: readonly Ref[][]): RefTables => ({
  rules: flattenRefs(refs, REF_TABLES.rules),
  guards: flattenRefs(refs, REF_TABLES.guards),
  anchors: flattenRefs(refs, REF_TABLES.anchors),
});

/** The refs of every term that `keep` keeps, as a RefTable. */
function flattenRefs(refs: readonly Ref[][], keep: (ref: Ref) => boolean): RefTable {
  let size = 0;
  for (const list of refs) for (const r of list) if (keep(r)) size++;
  const t: RefTable = {
    start: new Int32Array(refs.length + 1),
    type: new Int32Array(size),
    index: new Int32Array(size),
    group: new Int32Array(size),
  };
  let k = 0;
  for (let id = 0; id < refs.length; id++) {
    for (const r of refs[id] as Ref[]) {
      if (!keep(r)) continue;
      t.type[k] = r.type;
      t.index[k] = r.index;
      t.group[k] = r.group;
      k++;
    }
    t.start[id + 1] = k;
  }
  return t;
}
