/**
 * Characters: their class (word, space, sentence stop, apostrophe, line break, other) and their
 * folded form, from tables filled on first sight of each character.
 *
 * Folding: lower case, diacritics removed (NFKD, combining marks dropped), curly quotes and
 * dashes mapped to ASCII. Every character folds to exactly one character, so offsets survive.
 */

export enum Cls {
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

/** The class of a character (any code; ASCII_CLS is the quicker table for ASCII). */
export function cls(code: number): number {
  let c = clsTable[code] as number;
  if (c === Cls.Unknown) {
    fill(code);
    c = clsTable[code] as number;
  }
  return c;
}

/** The classes of the ASCII characters. */
export const ASCII_CLS = new Uint8Array(128).fill(Cls.Other);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))
    ASCII_CLS[c] = Cls.Word;
  else if (c === 10 || c === 13) ASCII_CLS[c] = Cls.Newline;
  else if (c === 32 || c === 9 || c === 12 || c === 11) ASCII_CLS[c] = Cls.Space;
  else if (c === 46 || c === 33 || c === 63) ASCII_CLS[c] = Cls.Stop;
  else if (c === 39 || c === 96) ASCII_CLS[c] = Cls.Apos;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * Fold one string (used for terms and for whole texts). Same length as the input. The ASCII runs
 * between the other characters (a few curly quotes and accents in most news text) are lower-cased
 * whole; each other character is folded alone (a whole-string toLowerCase could change its length).
 */
export function fold(text: string): string {
  NON_ASCII.lastIndex = 0;
  let match = NON_ASCII.exec(text);
  if (match === null) return text.toLowerCase();
  let out = '';
  let from = 0;
  while (match !== null) {
    const at = match.index;
    const code = text.charCodeAt(at);
    cls(code);
    out += text.slice(from, at).toLowerCase() + String.fromCharCode(foldTable[code] as number);
    from = at + 1;
    match = NON_ASCII.exec(text);
  }
  return out + text.slice(from).toLowerCase();
}

/**
 * A character's folded code, except that ASCII capitals stay as they are: the class table and the
 * automaton's columns treat both cases alike, and skipping the lower-case copy of the text is
 * faster.
 */
export function foldCode(code: number): number {
  if (code < 128) return code;
  cls(code);
  return foldTable[code] as number;
}

/** The character at `i` is a capital (before folding). */
export function isUpperAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code >= 65 && code <= 90) return true;
  if (code < 128) return false;
  cls(code);
  return upperTable[code] === 1;
}
