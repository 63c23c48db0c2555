/**
 * Folding and tokenising: one pass over a field's text into folded word tokens that keep their
 * offsets into the ORIGINAL text, with a sentence number per token.
 *
 * Folding: lower case, diacritics removed (NFKD, combining marks dropped), curly quotes and
 * dashes mapped to ASCII. Every character folds to exactly one character, so offsets survive.
 * Words: runs of letters and digits; "1,141" and "671.7" stay one token; a possessive "'s" is
 * dropped ("Syria's" -> "syria"); hyphens and apostrophes separate ("al-Shabab" -> "al shabab").
 * Sentences end at . ! ? followed by a space and a capital, digit or quote (not after a known
 * abbreviation or a single letter), and at line breaks.
 */

enum Cls {
  Unknown = 0,
  Word = 1,
  Space = 2,
  Stop = 3,
  Apos = 4,
  Other = 5,
  Newline = 6,
}

const foldTable = new Uint16Array(65536);
const clsTable = new Uint8Array(65536);
const upperTable = new Uint8Array(65536);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const COMBINING = /[\u0300-\u036f]/g;

function fill(code: number): void {
  const ch = String.fromCharCode(code);
  let folded = ch;
  let cls = Cls.Other;
  if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029) cls = Cls.Newline;
  else if (/\s/.test(ch)) cls = Cls.Space;
  else if (ch === '.' || ch === '!' || ch === '?') cls = Cls.Stop;
  else if (ch === "'" || ch === '\u2019' || ch === '\u2018' || ch === '`' || ch === '\u02bc') {
    cls = Cls.Apos;
    folded = "'";
  } else if ('\u201c\u201d\u201e\u00ab\u00bb'.includes(ch)) folded = '"';
  else if ('\u2010\u2011\u2012\u2013\u2014\u2015\u2212'.includes(ch)) folded = '-';
  else if (LETTER_OR_DIGIT.test(ch)) {
    cls = Cls.Word;
    const base = ch.normalize('NFKD').replace(COMBINING, '').toLowerCase();
    folded = base.length > 0 ? (base[0] as string) : ch.toLowerCase();
    if (folded.length !== 1) folded = ch;
    upperTable[code] = ch !== ch.toLowerCase() ? 1 : 0;
  }
  foldTable[code] = folded.charCodeAt(0);
  clsTable[code] = cls;
}

function cls(code: number): number {
  let c = clsTable[code] as number;
  if (c === Cls.Unknown) {
    fill(code);
    c = clsTable[code] as number;
  }
  return c;
}

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'gen',
  'col',
  'capt',
  'lt',
  'sgt',
  'maj',
  'cpl',
  'pvt',
  'adm',
  'gov',
  'sen',
  'rep',
  'rev',
  'prof',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'no',
  'vs',
  'etc',
  'inc',
  'ltd',
  'co',
  'corp',
  'approx',
  'km',
]);

const LONGEST_ABBREVIATION = Math.max(...[...ABBREVIATIONS].map((a) => a.length));

/** Fold one string (used for terms and for whole texts). Same length as the input. */
const NON_ASCII = /[\u0080-\uffff]/;

export function fold(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  const out = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) out[i] = text[i]?.toLowerCase() ?? '';
    else {
      cls(code);
      out[i] = String.fromCharCode(foldTable[code] as number);
    }
  }
  return out.join('');
}

/**
 * The rule vocabulary as a character automaton (a trie over folded characters, in one flat table)
 * that tokenize steps through while it reads each word, so a token's word id is known when the
 * token ends: no folded copy of the token, no hash, no character comparison.
 *
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
export interface Vocabulary {
  automaton(): Automaton;
}

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
const NO_WORDS: Automaton = {
  width: 2,
  symbols: new Uint16Array(128),
  ascii: asciiColumns(new Uint16Array(128)),
  wide: new Map(),
  symbolOf: () => 0,
  delta: new Int32Array([0, -1, 0, -1]),
  accept: 1,
};

/** Token kinds: a plain word, a number, or a number that is also a year 1900..2099. */
export const KIND_WORD = 0;
export const KIND_NUMBER = 1;
export const KIND_YEAR = 2;

/**
 * The tokens of one field: parallel typed arrays (no object, and no string, per token); only the
 * first `count` entries are valid (a stream may be reused, see tokenize). `ids` holds the vocabulary id
 * of each token (-1 when no term uses the word); the token strings are built only when `words` is
 * first read (extraction and explanations need them, matching does not).
 */
const EMPTY = new Int32Array(0);

export class TokenStream {
  field = '';
  text = '';
  starts = EMPTY;
  ends = EMPTY;
  sentences = EMPTY;
  ids = EMPTY;
  kinds = EMPTY;
  count = 0;
  /** Number of sentences (the last sentence index + 1). */
  sentenceCount = 0;
  private cachedWords: string[] | undefined;
  private cachedFolded: string | undefined;

  /** The folded text (built on first read: matching reads the text itself). */
  get folded(): string {
    this.cachedFolded ??= fold(this.text);
    return this.cachedFolded;
  }

  get words(): string[] {
    if (!this.cachedWords) {
      const out = new Array<string>(this.count);
      const folded = this.folded;
      for (let i = 0; i < this.count; i++) {
        out[i] = folded.slice(this.starts[i], this.ends[i]);
      }
      this.cachedWords = out;
    }
    return this.cachedWords;
  }

  /** @internal */
  reset(field: string, text: string): void {
    this.field = field;
    this.text = text;
    this.cachedFolded = undefined;
    this.count = 0;
    this.sentenceCount = 0;
    this.cachedWords = undefined;
    // A token takes at least one character and tokens are apart: at most (length + 1) / 2 of them.
    const capacity = (text.length + 1) >> 1;
    if (this.starts.length < capacity) {
      const size = Math.max(capacity, this.starts.length * 2);
      this.starts = new Int32Array(size);
      this.ends = new Int32Array(size);
      this.sentences = new Int32Array(size);
      this.ids = new Int32Array(size);
      this.kinds = new Int32Array(size);
    }
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A character's folded code, except that ASCII capitals stay as they are: the class table and the
 * automaton's columns treat both cases alike, and skipping the lower-case copy of the text is
 * faster.
 */
function foldCode(code: number): number {
  if (code < 128) return code;
  cls(code);
  return foldTable[code] as number;
}

function isUpperAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 65 && code <= 90) return true;
  if (code < 128) return false;
  cls(code);
  return upperTable[code] === 1;
}

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

/** Whether the token text[start, end) (a token starting with a digit) is a number, a year or a word. */
function numberKind(text: string, start: number, end: number): number {
  for (let j = start + 1; j < end; j++) {
    const f = foldCode(text.charCodeAt(j));
    if (!isDigit(f) && f !== 44 && f !== 46) return KIND_WORD;
  }
  if (end - start !== 4) return KIND_NUMBER;
  const c0 = foldCode(text.charCodeAt(start));
  const c1 = foldCode(text.charCodeAt(start + 1));
  const c2 = foldCode(text.charCodeAt(start + 2));
  const c3 = foldCode(text.charCodeAt(start + 3));
  const century = (c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48);
  return century && isDigit(c2) && isDigit(c3) ? KIND_YEAR : KIND_NUMBER;
}

/**
 * Tokenise a field's text in one pass. With a vocabulary, each token's id comes from the
 * vocabulary's automaton, stepped in the same pass (no token string is created).
 */
export function tokenize(
  field: string,
  text: string,
  vocab?: Vocabulary,
  into?: TokenStream
): TokenStream {
  const ts = into ?? new TokenStream();
  ts.reset(field, text);
  const { starts, ends, sentences, ids, kinds } = ts;
  const dfa = vocab ? vocab.automaton() : NO_WORDS;
  const { symbols, ascii, delta, accept } = dfa;
  const root = ROOT_STATE * dfa.width;
  let count = 0;
  let sentence = 0;
  let tokensInSentence = 0;
  const n = text.length;
  let i = 0;
  // Classes and automaton steps read folded characters (see foldCode: one per original character);
  // ASCII characters, nearly all of them, take one table load for both.
  while (i < n) {
    let code = text.charCodeAt(i);
    // A space, the commonest non-word character, needs no more.
    if (code === 32) {
      i++;
      continue;
    }
    let column = code < 128 ? (ascii[code] as number) : -1;
    if (column < 0 && code >= 128) {
      code = foldCode(code);
      if (code < 128) column = ascii[code] as number;
      else if (cls(code) === Cls.Word) column = dfa.symbolOf(code);
    }
    if (column >= 0) {
      const start = i;
      let row = delta[root + column] as number;
      i++;
      while (i < n) {
        let k = text.charCodeAt(i);
        if (k < 128) {
          const col = ascii[k] as number;
          if (col >= 0) {
            row = delta[row + col] as number;
            i++;
            continue;
          }
        } else {
          k = foldCode(k);
          const col = k < 128 ? (ascii[k] as number) : cls(k) === Cls.Word ? dfa.symbolOf(k) : -1;
          if (col >= 0) {
            row = delta[row + col] as number;
            i++;
            continue;
          }
        }
        // 1,141 and 671.7: a comma or period between digits stays inside the token.
        if (
          (k === 44 || k === 46) &&
          i + 1 < n &&
          isDigit(foldCode(text.charCodeAt(i - 1))) &&
          isDigit(foldCode(text.charCodeAt(i + 1)))
        ) {
          row = delta[row + (symbols[k] as number)] as number;
          row = delta[row + (ascii[foldCode(text.charCodeAt(i + 1))] as number)] as number;
          i += 2;
          continue;
        }
        break;
      }
      starts[count] = start;
      ends[count] = i;
      sentences[count] = sentence;
      ids[count] = delta[row + accept] as number;
      kinds[count] = isDigit(code) ? numberKind(text, start, i) : KIND_WORD;
      count++;
      tokensInSentence++;
      continue;
    }
    const c = code < 128 ? (ASCII_CLS[code] as number) : cls(code);
    if (c === Cls.Apos) {
      // Possessive 's: drop it.
      const next = i + 1 < n ? foldCode(text.charCodeAt(i + 1)) : 0;
      if ((next === 115 || next === 83) /* s S */ && count > 0 && ends[count - 1] === i) {
        const after = i + 2 < n ? foldCode(text.charCodeAt(i + 2)) : 32;
        const ac = after < 128 ? (ASCII_CLS[after] as number) : cls(after);
        if (ac !== Cls.Word) {
          i += 2;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === Cls.Newline) {
      if (tokensInSentence > 0) {
        sentence++;
        tokensInSentence = 0;
      }
      i++;
      continue;
    }
    if (c === Cls.Stop) {
      if (tokensInSentence > 0 && endsSentence(text, i, starts, ends, count)) {
        sentence++;
        tokensInSentence = 0;
      }
      i++;
      continue;
    }
    i++;
  }
  ts.count = count;
  ts.sentenceCount = tokensInSentence > 0 ? sentence + 1 : sentence;
  return ts;
}

const ASCII_CLS = new Uint8Array(128).fill(Cls.Other);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))
    ASCII_CLS[c] = Cls.Word;
  else if (c === 10 || c === 13) ASCII_CLS[c] = Cls.Newline;
  else if (c === 32 || c === 9 || c === 12 || c === 11) ASCII_CLS[c] = Cls.Space;
  else if (c === 46 || c === 33 || c === 63) ASCII_CLS[c] = Cls.Stop;
  else if (c === 39 || c === 96) ASCII_CLS[c] = Cls.Apos;
}

function asciiCls(code: number): number {
  return ASCII_CLS[code] as number;
}

function endsSentence(
  text: string,
  i: number,
  starts: Int32Array,
  ends: Int32Array,
  count: number
): boolean {
  const n = text.length;
  let j = i + 1;
  // Allow closing quotes or brackets after the stop.
  while (j < n) {
    const k = text.charCodeAt(j);
    if (k === 34 || k === 39 || k === 41 || k === 0x201d || k === 0x2019) j++;
    else break;
  }
  if (j >= n) return true;
  const k = text.charCodeAt(j);
  const kc = k < 128 ? asciiCls(k) : cls(k);
  if (kc !== Cls.Space && kc !== Cls.Newline) return false;
  while (j < n) {
    const m = text.charCodeAt(j);
    const mc = m < 128 ? asciiCls(m) : cls(m);
    if (mc === Cls.Space || mc === Cls.Newline) j++;
    else break;
  }
  if (j >= n) return true;
  const m = text.charCodeAt(j);
  const opens = isDigit(m) || m === 34 || m === 0x201c || m === 39 || m === 0x2018;
  if (!opens && !isUpperAt(text, j)) return false;
  // "Gen. Smith", "U.S. troops": no end after a known abbreviation or a single letter.
  if (text.charCodeAt(i) === 46 /* . */ && count > 0 && ends[count - 1] === i) {
    const lastStart = starts[count - 1] as number;
    if (i - lastStart === 1) return false;
    if (
      i - lastStart <= LONGEST_ABBREVIATION &&
      ABBREVIATIONS.has(fold(text.slice(lastStart, i)))
    ) {
      return false;
    }
  }
  return true;
}

/** A 4-digit number 1900..2099 written without separators. */
export function isYear(word: string): boolean {
  if (word.length !== 4) return false;
  const c0 = word.charCodeAt(0);
  const c1 = word.charCodeAt(1);
  if (!((c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48))) return false;
  return isDigit(word.charCodeAt(2)) && isDigit(word.charCodeAt(3));
}

/** Digits, possibly with thousands separators or a decimal point. */
export function isNumber(word: string): boolean {
  const c0 = word.charCodeAt(0);
  if (!isDigit(c0)) return false;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!isDigit(c) && c !== 44 && c !== 46) return false;
  }
  return true;
}
