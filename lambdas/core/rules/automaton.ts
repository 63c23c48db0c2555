/**
 * The rule vocabulary (every word used by a term) as a character automaton: a trie over folded
 * characters, in one flat table, that tokenize (text.ts) steps through while it reads each word,
 * so a token's word id is known when the token ends: no folded copy of the token, no hash, no
 * character comparison.
 */

/** What tokenize reads the word ids through. */
export interface Vocabulary {
  automaton(): Automaton;
}

/**
 * The table:
 * - `symbols[code]` maps an ASCII character (capitals too) to its column, 0 when the character occurs
 *   in no vocabulary word (the digit separators , and . are read through it).
 * - `ascii[code]` maps an ASCII character (capitals as their lower case) to its column, 0 when the
 *   character is a letter or digit that occurs in no vocabulary word, and -1 when it is not a
 *   letter or digit at all: the tokenizer's word test and automaton step in one load.
 *   `symbolOf(code)` maps a folded non-ASCII character to its column (0: in no word).
 * - Each state is a row of `width` cells in `delta`, and is known by its row's offset (state number
 *   times width: a step needs no multiplication). `delta[row + column]` is the next state's row.
 *   Row 0 is the dead state (every column leads back to it); state ROOT_STATE is the root (no
 *   character read yet).
 * - `delta[row + accept]` (the last cell of the row) is the id of the word that ends in that
 *   state, or -1.
 */
export interface Automaton {
  readonly width: number;
  readonly symbols: Uint16Array;
  readonly ascii: Int32Array;
  /** Columns of the non-ASCII characters (what symbolOf reads). */
  readonly wide: ReadonlyMap<number, number>;
  symbolOf(code: number): number;
  readonly delta: Int32Array;
  /** The column of the word ids. */
  readonly accept: number;
}

/** The root's state number (state 0 is dead). */
export const ROOT_STATE = 1;

/** The automaton of an empty vocabulary: every token gets id -1. */
export const NO_WORDS: Automaton = {
  width: 2,
  symbols: new Uint16Array(128),
  ascii: asciiColumns(new Uint16Array(128)),
  wide: new Map(),
  symbolOf: () => 0,
  delta: new Int32Array([0, -1, 0, -1]),
  accept: 1,
};

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

/**
 * The trie of the words' characters, built straight into the table (see Automaton). Rows are
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

/** An automaton from its tables (compiled, or restored from a snapshot). */
export function makeAutomaton(
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
