/**
 * The rule vocabulary (every word used by a term) as a character automaton: a trie over folded
 * characters, in a double array, that tokenize (text.ts) steps through while it reads each word,
 * so a token's word id is known when the token ends: no folded copy of the token, no hash, no
 * character comparison.
 */

/** What tokenize reads the word ids through. */
export interface Vocabulary {
  automaton(): Automaton;
}

/**
 * The tables:
 * - `symbols[code]` maps an ASCII character (capitals too) to its column, 0 when the character occurs
 *   in no vocabulary word (the digit separators , and . are read through it).
 * - `ascii[code]` maps an ASCII character (capitals as their lower case) to its column, 0 when the
 *   character is a letter or digit that occurs in no vocabulary word, and -1 when it is not a
 *   letter or digit at all: the tokenizer's word test and automaton step in one load.
 *   `symbolOf(code)` maps a folded non-ASCII character to its column (0: in no word).
 * - The trie's states are the slots of a double array: the child of state s by column c (c >= 1) is
 *   the slot t = base[s] + c, when check[t] === s; otherwise there is none, and the step leads to
 *   the dead state (DEAD_STATE, which every step leaves dead: no slot is checked for it). Step
 *   with step(). The arrays are a few times smaller than a table of every state by every column,
 *   so the processor's cache holds them while the tokenizer walks the text.
 * - `accept[s]` is the id of the word that ends in state s, or -1.
 */
export interface Automaton {
  readonly symbols: Uint16Array;
  readonly ascii: Int32Array;
  /** Columns of the non-ASCII characters (what symbolOf reads). */
  readonly wide: ReadonlyMap<number, number>;
  symbolOf(code: number): number;
  /** The highest column. */
  readonly columns: number;
  readonly base: Int32Array;
  readonly check: Int32Array;
  readonly accept: Int32Array;
}

/** The dead state: no word goes on from it. */
export const DEAD_STATE = 0;
/** The root's state (no character read yet). */
export const ROOT_STATE = 1;

/** The state after `state` reads the character of column `column` (see Automaton). */
export const step = (a: Automaton, state: number, column: number): number => {
  const t = (a.base[state] as number) + column;
  return a.check[t] === state ? t : DEAD_STATE;
};

/** The automaton of an empty vocabulary: every token gets id -1. */
export const NO_WORDS: Automaton = makeAutomaton(
  new Uint16Array(128),
  new Map(),
  0,
  new Int32Array(2),
  new Int32Array(2).fill(-1),
  new Int32Array(2).fill(-1)
);

/**
 * The `ascii` table of an automaton (see Automaton) from its `symbols` (a column per ASCII
 * character).
 */
export function asciiColumns(columns: Uint16Array): Int32Array {
  const table = new Int32Array(128).fill(-1);
  for (let c = 48; c <= 57; c++) table[c] = columns[c] as number;
  for (let c = 97; c <= 122; c++) {
    table[c] = columns[c] as number;
    table[c - 32] = columns[c] as number;
  }
  return table;
}

/** Every word used by a term, with an id; compiled on first use into its automaton. */
export class Vocab implements Vocabulary {
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

/** A node of the character trie while it is built. */
interface CharNode {
  readonly next: Map<number, CharNode>;
  word: number;
}

/**
 * The trie of the words' characters, placed into the double array breadth first (the states near
 * the root, which every word passes through, share the first slots): each state's children go to
 * the first base whose slots for their columns are all free.
 */
function compileAutomaton(words: readonly string[]): Automaton {
  // Columns: one per distinct character, in order of first appearance.
  const columns = new Map<number, number>();
  const root: CharNode = { next: new Map(), word: -1 };
  words.forEach((w, id) => {
    let node = root;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      let column = columns.get(c);
      if (column === undefined) {
        column = columns.size + 1;
        columns.set(c, column);
      }
      let child = node.next.get(column);
      if (!child) {
        child = { next: new Map(), word: -1 };
        node.next.set(column, child);
      }
      node = child;
    }
    node.word = id;
  });
  const top = columns.size;
  let size = 1024;
  let base = new Int32Array(size);
  let check = new Int32Array(size).fill(-1);
  let accept = new Int32Array(size).fill(-1);
  const grow = (to: number) => {
    while (size < to) size *= 2;
    const b = new Int32Array(size);
    b.set(base);
    base = b;
    const c = new Int32Array(size).fill(-1);
    c.set(check);
    check = c;
    const a = new Int32Array(size).fill(-1);
    a.set(accept);
    accept = a;
  };
  // Slots 0 (dead) and 1 (root) are nobody's child; their check stays -1.
  const taken = (t: number) => t <= ROOT_STATE || check[t] !== -1;
  let used = ROOT_STATE + 1;
  let firstFree = ROOT_STATE + 1;
  const queue: [CharNode, number][] = [[root, ROOT_STATE]];
  for (let q = 0; q < queue.length; q++) {
    const [node, state] = queue[q] as [CharNode, number];
    accept[state] = node.word;
    if (node.next.size === 0) continue; // base 0: every step from a leaf finds a slot not its own
    const kids = [...node.next.keys()].sort((a, b) => a - b);
    const lowest = kids[0] as number;
    while (taken(firstFree)) firstFree++;
    let b = Math.max(1, firstFree - lowest);
    for (;;) {
      if (b + top + 1 > size) grow(b + top + 1);
      if (kids.every((c) => !taken(b + c))) break;
      b++;
    }
    base[state] = b;
    for (const c of kids) {
      check[b + c] = state;
      used = Math.max(used, b + c + 1);
      queue.push([node.next.get(c) as CharNode, b + c]);
    }
  }
  // Every step reads base[s] + column for s < used and column <= top: keep those slots in range.
  const length = used + top + 1;
  if (length > size) grow(length);
  const symbols = new Uint16Array(128);
  const wide = new Map<number, number>();
  for (const [code, column] of columns) {
    if (code < 128) symbols[code] = column;
    else wide.set(code, column);
  }
  // Tokenize hands ASCII capitals over unfolded: they share the column of their lower case.
  for (let code = 65; code <= 90; code++) symbols[code] = symbols[code + 32] as number;
  return makeAutomaton(
    symbols,
    wide,
    top,
    base.slice(0, length),
    check.slice(0, length),
    accept.slice(0, length)
  );
}

/**
 * An automaton from its tables (compiled, or restored from a snapshot).
 * @throws Error when a step could read outside the tables.
 */
export function makeAutomaton(
  symbols: Uint16Array,
  wide: ReadonlyMap<number, number>,
  columns: number,
  base: Int32Array,
  check: Int32Array,
  accept: Int32Array
): Automaton {
  if (check.length !== base.length || accept.length !== base.length || base.length < 2) {
    throw new Error('automaton: base, check and accept differ in length');
  }
  if (
    !Number.isInteger(columns) ||
    columns < 0 ||
    symbols.some((c) => c > columns) ||
    [...wide.values()].some((c) => !Number.isInteger(c) || c < 0 || c > columns)
  ) {
    throw new Error(`automaton: a character's column is not one of the ${columns} columns`);
  }
  for (const b of base) {
    if (b < 0 || b + columns >= check.length) {
      throw new Error('automaton: a step would read outside the tables');
    }
  }
  return {
    symbols,
    ascii: asciiColumns(symbols),
    wide,
    symbolOf: (code) => wide.get(code) ?? 0,
    columns,
    base,
    check,
    accept,
  };
}
