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

/** Looks a folded token up by its hash: a word id, or -1 when no rule term uses the word. */
export interface Vocabulary {
  lookup(folded: string, start: number, end: number, hash: number): number;
}

export const FNV_OFFSET = 2166136261;
export const FNV_PRIME = 16777619;

/** Token kinds: a plain word, a number, or a number that is also a year 1900..2099. */
export const KIND_WORD = 0;
export const KIND_NUMBER = 1;
export const KIND_YEAR = 2;

/**
 * The tokens of one field: parallel arrays (no object, and no string, per token); only the first
 * `count` entries are valid (a stream may be reused, see tokenize). `ids` holds the vocabulary id
 * of each token (-1 when no term uses the word); the token strings are built only when `words` is
 * first read (extraction and explanations need them, matching does not).
 */
export class TokenStream {
  field = '';
  text = '';
  folded = '';
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly sentences: number[] = [];
  readonly ids: number[] = [];
  readonly kinds: number[] = [];
  count = 0;
  /** Number of sentences (the last sentence index + 1). */
  sentenceCount = 0;
  private cachedWords: string[] | undefined;

  get words(): string[] {
    if (!this.cachedWords) {
      const out = new Array<string>(this.count);
      for (let i = 0; i < this.count; i++) {
        out[i] = this.folded.slice(this.starts[i], this.ends[i]);
      }
      this.cachedWords = out;
    }
    return this.cachedWords;
  }

  /** @internal */
  reset(field: string, text: string, folded: string): void {
    this.field = field;
    this.text = text;
    this.folded = folded;
    this.count = 0;
    this.sentenceCount = 0;
    this.cachedWords = undefined;
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function isUpperAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 65 && code <= 90) return true;
  if (code < 128) return false;
  cls(code);
  return upperTable[code] === 1;
}

/**
 * Tokenise a field's text in one pass. With a vocabulary, each token's id is looked up by a hash
 * computed in the same pass (no token string is created).
 */
export function tokenize(
  field: string,
  text: string,
  vocab?: Vocabulary,
  into?: TokenStream
): TokenStream {
  const folded = fold(text);
  const ts = into ?? new TokenStream();
  ts.reset(field, text, folded);
  const { starts, ends, sentences, ids, kinds } = ts;
  let count = 0;
  let sentence = 0;
  let tokensInSentence = 0;
  const n = text.length;
  let i = 0;
  // Classes and hashes read the folded text (one character per original character, same class).
  while (i < n) {
    const code = folded.charCodeAt(i);
    const c = code < 128 ? (ASCII_CLS[code] as number) : cls(code);
    if (c === Cls.Word) {
      const start = i;
      let hash = Math.imul(FNV_OFFSET ^ code, FNV_PRIME);
      const numeric = isDigit(code);
      i++;
      while (i < n) {
        const k = folded.charCodeAt(i);
        // Lower-case ASCII letters (most characters) skip the class table.
        if ((k >= 97 && k <= 122) || (k < 128 ? ASCII_CLS[k] === Cls.Word : cls(k) === Cls.Word)) {
          hash = Math.imul(hash ^ k, FNV_PRIME);
          i++;
          continue;
        }
        // 1,141 and 671.7: a comma or period between digits stays inside the token.
        if (
          (k === 44 || k === 46) &&
          i + 1 < n &&
          isDigit(folded.charCodeAt(i - 1)) &&
          isDigit(folded.charCodeAt(i + 1))
        ) {
          hash = Math.imul(hash ^ k, FNV_PRIME);
          hash = Math.imul(hash ^ folded.charCodeAt(i + 1), FNV_PRIME);
          i += 2;
          continue;
        }
        break;
      }
      starts[count] = start;
      ends[count] = i;
      sentences[count] = sentence;
      ids[count] = vocab ? vocab.lookup(folded, start, i, hash) : -1;
      let kind = KIND_WORD;
      if (numeric) {
        kind = isNumber(folded.slice(start, i)) ? KIND_NUMBER : KIND_WORD;
        // isYear holds only for four digits.
        if (i - start === 4 && isYear(folded.slice(start, i))) kind = KIND_YEAR;
      }
      kinds[count] = kind;
      count++;
      tokensInSentence++;
      continue;
    }
    if (c === Cls.Apos) {
      // Possessive 's: drop it.
      const next = i + 1 < n ? folded.charCodeAt(i + 1) : 0;
      if (next === 115 /* s */ && count > 0 && ends[count - 1] === i) {
        const after = i + 2 < n ? folded.charCodeAt(i + 2) : 32;
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
      if (tokensInSentence > 0 && endsSentence(text, folded, i, starts, ends, count)) {
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
  folded: string,
  i: number,
  starts: number[],
  ends: number[],
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
  const code = text.charCodeAt(i);
  if (code === 46 /* . */) {
    const lastEnd = ends[count - 1];
    const lastStart = starts[count - 1] ?? 0;
    const last = lastEnd === i ? folded.slice(lastStart, lastEnd) : '';
    if (lastEnd === i && (last.length === 1 || ABBREVIATIONS.has(last))) {
      return false;
    }
  }
  const m = text.charCodeAt(j);
  if (isDigit(m) || m === 34 || m === 0x201c || m === 39 || m === 0x2018) return true;
  return isUpperAt(text, j);
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
