/**
 * Where sentences end: at . ! ? followed by a space and a capital, digit or quote (not after a
 * known abbreviation or a single letter), and at line breaks (the tokenizer handles those).
 */
import { ASCII_CLS, Cls, cls, fold, isDigit, isUpperAt } from './fold.ts';

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

/**
 * The stop (. ! ?) at text[i] ends a sentence; `starts`, `ends` and `count` are the tokens read
 * so far.
 */
export function endsSentence(
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
  const kc = k < 128 ? (ASCII_CLS[k] as number) : cls(k);
  if (kc !== Cls.Space && kc !== Cls.Newline) return false;
  while (j < n) {
    const m = text.charCodeAt(j);
    const mc = m < 128 ? (ASCII_CLS[m] as number) : cls(m);
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
