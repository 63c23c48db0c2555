/**
 * A matcher's compiled tables (character automaton, flattened term trie, ref tables) as plain
 * data and typed arrays, and back: Matcher.snapshot() and Matcher.restore() go through here.
 * cli/packed.ts turns a snapshot into bytes and cli/rules-snapshot.ts stores it beside the default
 * rules, so the CLI restores the matcher instead of adding every term again.
 */
import { type Automaton, makeAutomaton } from './automaton.ts';
import { REF_TABLE_NAMES, type RefTable, type RefTables } from './refs.ts';
import { checkFlatTrie, type FlatTrie } from './trie.ts';

/** What Matcher.snapshot() gives and Matcher.restore() takes. */
export interface MatcherSnapshot {
  readonly data: {
    readonly termCount: number;
    readonly columns: number;
    readonly wide: [number, number][];
    readonly numbers: boolean;
  };
  readonly arrays: Record<string, Int32Array | Uint16Array | Uint8Array>;
}

/** The compiled tables of a matcher: all it needs to scan. */
export interface MatcherTables {
  readonly termCount: number;
  readonly automaton: Automaton;
  readonly flat: FlatTrie;
  readonly refs: RefTables;
}

const refArrays = (of: string, t: RefTable): Record<string, Int32Array> => ({
  [`${of}.start`]: t.start,
  [`${of}.type`]: t.type,
  [`${of}.index`]: t.index,
  [`${of}.group`]: t.group,
});

export function snapshotOf(tables: MatcherTables): MatcherSnapshot {
  const { automaton: a, flat: f, refs } = tables;
  return {
    data: {
      termCount: tables.termCount,
      columns: a.columns,
      wide: [...a.wide],
      numbers: f.numbers,
    },
    arrays: {
      symbols: a.symbols,
      base: a.base,
      check: a.check,
      accept: a.accept,
      term: f.term,
      inner: f.inner,
      rootById: f.rootById,
      first: f.first,
      keys: f.keys,
      ...Object.fromEntries(
        REF_TABLE_NAMES.flatMap((name) => Object.entries(refArrays(name, refs[name])))
      ),
    },
  };
}

/**
 * The tables of a snapshot, checked.
 * @throws Error when an array is missing, of the wrong kind or of the wrong length.
 */
export function tablesOf(snapshot: MatcherSnapshot): MatcherTables {
  const { data, arrays } = snapshot;
  const get = <T extends { length: number }>(
    name: string,
    type: new (n: number) => T,
    length?: number
  ): T => {
    const a = arrays[name];
    if (!(a instanceof type))
      throw new Error(`matcher snapshot: ${name} is missing or not a ${type.name}`);
    if (length !== undefined && a.length !== length) {
      throw new Error(`matcher snapshot: ${name} holds ${a.length} entries, not ${length}`);
    }
    return a;
  };
  const base = get('base', Int32Array);
  const term = get('term', Int32Array);
  const automaton = makeAutomaton(
    get('symbols', Uint16Array, 128),
    new Map(data.wide),
    data.columns,
    base,
    get('check', Int32Array, base.length),
    get('accept', Int32Array, base.length)
  );
  const flat: FlatTrie = {
    term,
    inner: get('inner', Uint8Array, term.length),
    rootById: get('rootById', Int32Array),
    first: get('first', Int32Array, term.length + 1),
    keys: get('keys', Int32Array, term.length - 1),
    numbers: data.numbers,
  };
  checkFlatTrie(flat);
  for (const id of automaton.accept) {
    if (id >= flat.rootById.length) throw new Error('matcher snapshot: a word id is past rootById');
  }
  const refs = (of: string): RefTable => ({
    start: get(`${of}.start`, Int32Array, data.termCount + 1),
    type: get(`${of}.type`, Int32Array),
    index: get(`${of}.index`, Int32Array),
    group: get(`${of}.group`, Int32Array),
  });
  return {
    termCount: data.termCount,
    automaton,
    flat,
    refs: { rules: refs('rules'), guards: refs('guards'), anchors: refs('anchors') },
  };
}
