/**
 * The compiled matcher: every term of every rule, guard, place and actor goes into ONE trie of
 * folded word tokens. Matching walks the token stream once; at each token it follows the trie
 * (a Map lookup per step), so the cost depends on the text and the depth of phrases, not on the
 * number of terms.
 *
 * Inflection ("~" at a word's end) is expanded at compile time by this small stemmer:
 *   plural / 3rd person: +s, or +es after s/x/z/ch/sh, or y -> ies after a consonant
 *   past: +d after e, y -> ied after a consonant, else +ed (and with the last consonant doubled)
 *   -ing: ie -> ying, drop a final e (not ee), else +ing (and with the last consonant doubled)
 *   a stem ending in a consonant also gets +e and +es (captur~ -> capture, captures, captured)
 * e.g. strike~ -> strike strikes striked striking; kill~ -> kill kills killed killing;
 * kidnap~ -> ... kidnapped kidnapping. Irregular forms (struck, fought, blew) are listed as terms.
 */
import {
  type Automaton,
  asciiColumns,
  KIND_NUMBER,
  KIND_YEAR,
  ROOT_STATE,
  type TokenStream,
  tokenize,
  type Vocabulary,
} from './text.ts';

/** Trie keys for the number classes (word ids are >= 0). */
const NUM_KEY = -2;
const YEAR_KEY = -3;

export enum RefType {
  RuleGroup = 0,
  RuleUnless = 1,
  GuardCue = 2,
  GuardUnless = 3,
  Place = 4,
  Actor = 5,
}

export interface Ref {
  readonly type: RefType;
  readonly index: number;
  readonly group: number;
}

interface Node {
  next: Map<number, Node> | undefined;
  term: number;
}

/** Every word used by a term, with an id; compiled on first use into the automaton of text.ts. */
class Vocab implements Vocabulary {
  readonly words: string[] = [];
  private readonly ids = new Map<string, number>();
  private compiled: Automaton | undefined;

  id(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(word);
      this.ids.set(word, id);
      this.compiled = undefined;
    }
    return id;
  }

  automaton(): Automaton {
    this.compiled ??= compileAutomaton(this.words);
    return this.compiled;
  }

  /** @internal A vocabulary whose automaton comes from a snapshot (it takes no new words). */
  static restored(automaton: Automaton): Vocab {
    const v = new Vocab();
    v.compiled = automaton;
    return v;
  }
}

/**
 * The trie of the words' characters, built straight into the table described in text.ts. Rows are
 * numbered as they are first needed, so a word's tail (one child per state) is a run of
 * neighbouring rows, which the processor fetches ahead.
 */
function compileAutomaton(words: readonly string[]): Automaton {
  // Columns: one per distinct character, in order of first appearance.
  const columns = new Map<number, number>();
  for (const w of words) {
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      if (!columns.has(c)) columns.set(c, columns.size + 1);
    }
  }
  const accept = columns.size + 1;
  const width = accept + 1;
  let delta = new Int32Array(width * 1024);
  let rows = ROOT_STATE + 1; // the dead row and the root
  delta[accept] = -1;
  delta[ROOT_STATE * width + accept] = -1;
  words.forEach((w, id) => {
    let row = ROOT_STATE * width;
    for (let k = 0; k < w.length; k++) {
      const cell = row + (columns.get(w.charCodeAt(k)) as number);
      if (delta[cell] === 0) {
        if ((rows + 1) * width > delta.length) {
          const grown = new Int32Array(delta.length * 2);
          grown.set(delta);
          delta = grown;
        }
        delta[rows * width + accept] = -1;
        delta[cell] = rows * width;
        rows++;
      }
      row = delta[cell] as number;
    }
    delta[row + accept] = id;
  });
  delta = delta.slice(0, rows * width);
  const symbols = new Uint16Array(128);
  const wide = new Map<number, number>();
  for (const [code, column] of columns) {
    if (code < 128) symbols[code] = column;
    else wide.set(code, column);
  }
  // Tokenize hands ASCII capitals over unfolded: they share the column of their lower case.
  for (let code = 65; code <= 90; code++) symbols[code] = symbols[code + 32] as number;
  return makeAutomaton(width, accept, symbols, wide, delta);
}

function makeAutomaton(
  width: number,
  accept: number,
  symbols: Uint16Array,
  wide: ReadonlyMap<number, number>,
  delta: Int32Array
): Automaton {
  return {
    width,
    symbols,
    ascii: asciiColumns(symbols),
    wide,
    symbolOf: (code) => wide.get(code) ?? 0,
    delta,
    accept,
  };
}

/**
 * The term trie flattened into typed arrays for scanning: nodes are numbered (0 is the root), and
 * every edge (node, key) -> child sits in one open-addressing table, so a step is a hash of two
 * integers and a probe instead of a Map lookup. Keys are word ids, NUM_KEY or YEAR_KEY.
 */
interface FlatTrie {
  /** node -> term id ending there, or -1. */
  readonly term: Int32Array;
  /** node -> 1 when it has children. */
  readonly inner: Uint8Array;
  /** word id -> the root's child for it, or -1 (the first step of every walk, without hashing). */
  readonly rootById: Int32Array;
  /** Slot k: [node (-1: empty), key, child] at 3k .. 3k + 2. */
  readonly slots: Int32Array;
  /** Slot index = the hash's top `bits` bits. */
  readonly shift: number;
  readonly mask: number;
  /** The root has a number class child. */
  readonly numbers: boolean;
}

function edgeHash(node: number, key: number): number {
  return Math.imul(Math.imul(node, 0x9e3779b1) ^ key, 0x85ebca6b);
}

function child(flat: FlatTrie, node: number, key: number): number {
  const slots = flat.slots;
  let slot = edgeHash(node, key) >>> flat.shift;
  for (;;) {
    const at = slot * 3;
    const owner = slots[at] as number;
    if (owner === -1) return -1;
    if (owner === node && slots[at + 1] === key) return slots[at + 2] as number;
    slot = (slot + 1) & flat.mask;
  }
}

function flatten(root: Node, words: number): FlatTrie {
  // Nodes numbered breadth first; edge e goes from node from[e] by key keys[e] to node e + 1.
  const nodes: Node[] = [root];
  const from: number[] = [];
  const keys: number[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const next = (nodes[k] as Node).next;
    if (!next) continue;
    for (const [key, node] of next) {
      from.push(k);
      keys.push(key);
      nodes.push(node);
    }
  }
  let bits = 6;
  while (1 << bits < from.length * 2) bits++;
  const size = 1 << bits;
  const slots = new Int32Array(size * 3).fill(-1);
  const shift = 32 - bits;
  const rootById = new Int32Array(words).fill(-1);
  for (let e = 0; e < from.length; e++) {
    const node = from[e] as number;
    const key = keys[e] as number;
    let slot = edgeHash(node, key) >>> shift;
    while (slots[slot * 3] !== -1) slot = (slot + 1) & (size - 1);
    slots[slot * 3] = node;
    slots[slot * 3 + 1] = key;
    slots[slot * 3 + 2] = e + 1;
    if (node === 0 && key >= 0) rootById[key] = e + 1;
  }
  const term = new Int32Array(nodes.length);
  const inner = new Uint8Array(nodes.length);
  nodes.forEach((n, k) => {
    term[k] = n.term;
    inner[k] = n.next ? 1 : 0;
  });
  return {
    term,
    inner,
    rootById,
    slots,
    shift,
    mask: size - 1,
    numbers: root.next?.has(NUM_KEY) === true || root.next?.has(YEAR_KEY) === true,
  };
}

/** The references of term t are entries start[t] .. start[t + 1] - 1 of the other arrays. */
export interface RefTable {
  readonly start: Int32Array;
  readonly type: Int32Array;
  readonly index: Int32Array;
  readonly group: Int32Array;
}

const refArrays = (of: string, t: RefTable): Record<string, Int32Array> => ({
  [`${of}.start`]: t.start,
  [`${of}.type`]: t.type,
  [`${of}.index`]: t.index,
  [`${of}.group`]: t.group,
});

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
type RefTables = Record<RefTableName, RefTable>;
const REF_TABLE_NAMES = Object.keys(REF_TABLES) as RefTableName[];

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

export interface Hit {
  readonly term: number;
  /** Index of the token stream (field) in the item. */
  readonly stream: number;
  /** Token index of the first word. */
  readonly start: number;
  /** Token index after the last word. */
  readonly end: number;
  /** Sentence key: stream * 65536 + sentence index of the first word (equal = same sentence). */
  readonly sent: number;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** All inflected forms of one word (see the module comment). */
export function inflect(word: string): string[] {
  const forms = new Set<string>([word]);
  // A stem ending in a consonant may stand for a verb in -e: captur~ -> capture, captures.
  if (!/[aeiouy]$/.test(word)) {
    forms.add(`${word}e`);
    forms.add(`${word}es`);
  }
  const last = word[word.length - 1] ?? '';
  const prev = word[word.length - 2] ?? '';
  const consonantY = last === 'y' && !VOWELS.has(prev);
  if (/(s|x|z|ch|sh)$/.test(word)) forms.add(`${word}es`);
  else if (consonantY) forms.add(`${word.slice(0, -1)}ies`);
  else forms.add(`${word}s`);
  if (last === 'e') forms.add(`${word}d`);
  else if (consonantY) forms.add(`${word.slice(0, -1)}ied`);
  else forms.add(`${word}ed`);
  if (word.endsWith('ie')) forms.add(`${word.slice(0, -2)}ying`);
  else if (last === 'e' && prev !== 'e') forms.add(`${word.slice(0, -1)}ing`);
  else forms.add(`${word}ing`);
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(word)) {
    forms.add(`${word}${last}ed`);
    forms.add(`${word}${last}ing`);
  }
  return [...forms];
}

const PLAIN_WORD = /^[a-z]+$/;

/** Expand one term into its token sequences (inflections multiply). */
export function expandTerm(term: string): string[][] {
  const parts = term.trim().split(/\s+/);
  let seqs: string[][] = [[]];
  for (const part of parts) {
    const inflected = part.endsWith('~');
    const base = inflected ? part.slice(0, -1) : part;
    if (base === '<num>' || base === '<year>') {
      seqs = seqs.map((s) => [...s, base]);
      continue;
    }
    // A plain lower-case word is its own single token (most terms): no tokenizer needed.
    const toks = PLAIN_WORD.test(base) ? [base] : tokenize('term', base).words;
    if (toks.length === 0) continue;
    const head = toks.slice(0, -1);
    const tail = toks[toks.length - 1] as string;
    const tails = inflected ? inflect(tail) : [tail];
    const next: string[][] = [];
    for (const s of seqs) for (const t of tails) next.push([...s, ...head, t]);
    seqs = next;
  }
  return seqs.filter((s) => s.length > 0);
}

/** What Matcher.snapshot() gives and Matcher.restore() takes (see packed.ts to store it). */
export interface MatcherSnapshot {
  readonly data: {
    readonly termCount: number;
    readonly width: number;
    readonly accept: number;
    readonly wide: [number, number][];
    readonly shift: number;
    readonly mask: number;
    readonly numbers: boolean;
  };
  readonly arrays: Record<string, Int32Array | Uint16Array | Uint8Array>;
}

export class Matcher {
  private readonly root: Node = { next: undefined, term: -1 };
  /** Set on a matcher restored from a snapshot: its term count (it takes no new terms). */
  private restoredTerms: number | undefined;
  /** term id -> the references (rules, guards, places, actors) that use it (empty once restored). */
  private readonly refs: Ref[][] = [];
  /** term id -> the canonical token sequence (empty once restored). */
  private readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /** The words of all terms; pass it to tokenize so tokens carry word ids. */
  readonly vocab: Vocab;
  /** The trie flattened for scanning (built on first scan, dropped when a term is added). */
  private flat: FlatTrie | undefined;
  private flatRefs: RefTables | undefined;

  /**
   * `refs` in parallel typed arrays, one table per REF_TABLES entry (built on first use, dropped
   * when a term or ref is added).
   */
  refTable(of: RefTableName): RefTable {
    this.flatRefs ??= {
      rules: flattenRefs(this.refs, REF_TABLES.rules),
      guards: flattenRefs(this.refs, REF_TABLES.guards),
      anchors: flattenRefs(this.refs, REF_TABLES.anchors),
    };
    return this.flatRefs[of];
  }

  constructor(vocab = new Vocab()) {
    this.vocab = vocab;
  }

  /** The compiled tables, to store and restore() later instead of adding every term again. */
  snapshot(): MatcherSnapshot {
    const a = this.vocab.automaton();
    this.flat ??= flatten(this.root, this.vocab.words.length);
    const f = this.flat;
    return {
      data: {
        termCount: this.termCount,
        width: a.width,
        accept: a.accept,
        wide: [...a.wide],
        shift: f.shift,
        mask: f.mask,
        numbers: f.numbers,
      },
      arrays: {
        symbols: a.symbols,
        delta: a.delta,
        term: f.term,
        inner: f.inner,
        rootById: f.rootById,
        slots: f.slots,
        ...Object.fromEntries(
          REF_TABLE_NAMES.flatMap((name) => Object.entries(refArrays(name, this.refTable(name))))
        ),
      },
    };
  }

  /**
   * A matcher from the tables of snapshot(): it scans exactly as the matcher that took the
   * snapshot, and takes no new terms.
   * @throws Error when an array is missing, of the wrong kind or of the wrong length.
   */
  static restore(snapshot: MatcherSnapshot): Matcher {
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
    const delta = get('delta', Int32Array);
    if (data.width < 2 || delta.length % data.width !== 0) {
      throw new Error(`matcher snapshot: delta is not made of rows of ${data.width}`);
    }
    const term = get('term', Int32Array);
    const m = new Matcher(
      Vocab.restored(
        makeAutomaton(
          data.width,
          data.accept,
          get('symbols', Uint16Array, 128),
          new Map(data.wide),
          delta
        )
      )
    );
    m.restoredTerms = data.termCount;
    m.flat = {
      term,
      inner: get('inner', Uint8Array, term.length),
      rootById: get('rootById', Int32Array),
      slots: get('slots', Int32Array, 3 * (data.mask + 1)),
      shift: data.shift,
      mask: data.mask,
      numbers: data.numbers,
    };
    const refs = (of: string): RefTable => ({
      start: get(`${of}.start`, Int32Array, data.termCount + 1),
      type: get(`${of}.type`, Int32Array),
      index: get(`${of}.index`, Int32Array),
      group: get(`${of}.group`, Int32Array),
    });
    m.flatRefs = {
      rules: refs('rules'),
      guards: refs('guards'),
      anchors: refs('anchors'),
    };
    return m;
  }

  add(term: string, ref: Ref): void {
    if (this.restoredTerms !== undefined) {
      throw new Error('a matcher restored from a snapshot takes no new terms');
    }
    for (const seq of expandTerm(term)) {
      const key = seq.join(' ');
      let id = this.ids.get(key);
      if (id === undefined) {
        id = this.terms.length;
        this.ids.set(key, id);
        this.terms.push(key);
        this.refs.push([]);
        let node = this.root;
        for (const w of seq) {
          if (!node.next) node.next = new Map();
          const key = w === '<num>' ? NUM_KEY : w === '<year>' ? YEAR_KEY : this.vocab.id(w);
          let child = node.next.get(key);
          if (!child) {
            child = { next: undefined, term: -1 };
            node.next.set(key, child);
          }
          node = child;
        }
        node.term = id;
        this.flat = undefined;
      }
      const list = this.refs[id] as Ref[];
      if (
        !list.some((r) => r.type === ref.type && r.index === ref.index && r.group === ref.group)
      ) {
        list.push(ref);
        this.flatRefs = undefined;
      }
    }
  }

  get termCount(): number {
    return this.restoredTerms ?? this.terms.length;
  }

  /** Every occurrence of every term in the stream, appended to `out`. The stream must have been
   * tokenised with this matcher's vocabulary. */
  scan(ts: TokenStream, stream: number, out: Hit[]): void {
    if (this.termCount === 0) return;
    this.flat ??= flatten(this.root, this.vocab.words.length);
    const flat = this.flat;
    const { rootById, term, inner } = flat;
    const ids = ts.ids;
    const n = ts.count;
    for (let i = 0; i < n; i++) {
      const id = ids[i] as number;
      if (ts.kinds[i] !== 0) {
        if (flat.numbers || id >= 0) this.walk(flat, 0, ts, i, i, n, stream, out);
        continue;
      }
      if (id < 0) continue;
      const node = rootById[id] as number;
      if (node < 0) continue;
      if ((term[node] as number) >= 0) this.emit(term[node] as number, ts, i, i, stream, out);
      if (inner[node] === 1) this.walk(flat, node, ts, i, i + 1, n, stream, out);
    }
  }

  /** Follows the tokens from `at` down the children of `from`. */
  private walk(
    flat: FlatTrie,
    from: number,
    ts: TokenStream,
    start: number,
    at: number,
    n: number,
    stream: number,
    out: Hit[]
  ): void {
    const ids = ts.ids;
    const { term, inner } = flat;
    let node = from;
    let j = at;
    while (j < n) {
      const kind = ts.kinds[j] as number;
      // Number classes branch off the literal path.
      if (kind !== 0) {
        if (kind === KIND_YEAR) {
          const y = child(flat, node, YEAR_KEY);
          if (y >= 0) this.visit(flat, y, ts, start, j, n, stream, out);
        }
        if (kind === KIND_NUMBER || kind === KIND_YEAR) {
          const num = child(flat, node, NUM_KEY);
          if (num >= 0) this.visit(flat, num, ts, start, j, n, stream, out);
        }
      }
      const id = ids[j] as number;
      if (id < 0) return;
      node = child(flat, node, id);
      if (node < 0) return;
      if ((term[node] as number) >= 0) this.emit(term[node] as number, ts, start, j, stream, out);
      if (inner[node] !== 1) return;
      j++;
    }
  }

  private emit(
    term: number,
    ts: TokenStream,
    start: number,
    j: number,
    stream: number,
    out: Hit[]
  ): void {
    out.push({
      term,
      stream,
      start,
      end: j + 1,
      sent: stream * 65536 + (ts.sentences[start] as number),
    });
  }

  private visit(
    flat: FlatTrie,
    node: number,
    ts: TokenStream,
    start: number,
    j: number,
    n: number,
    stream: number,
    out: Hit[]
  ): void {
    const t = flat.term[node] as number;
    if (t >= 0) this.emit(t, ts, start, j, stream, out);
    if (flat.inner[node] === 1) this.walk(flat, node, ts, start, j + 1, n, stream, out);
  }
}
