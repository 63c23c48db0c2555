/**
 * Plain text for any output: one line without control or invisible characters, and text
 * shortened to fit. Pure. The narrow channels (GSM-7, ASCII) are delivery/transliterate.ts.
 */

/** One whitespace character of any kind (Unicode spaces and line breaks). */
export const WHITESPACE = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;
/**
 * A zero-width or byte-order-mark character, or a bidirectional embedding, override or isolate
 * (U+202A-U+202E, U+2066-U+2069): invisible, and able to make text read other than it is.
 */
export const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/u;
/** A control character (C0, C1, DEL). */
export const CONTROL = /\p{Cc}/u;

/** Collapses runs of whitespace to one space and trims. */
export const collapseSpaces = (text: string): string => text.replace(/ {2,}/g, ' ').trim();

/** Removes control characters (C0, C1, DEL), invisible and bidi control characters; keeps newlines if asked. */
export const stripControl = (text: string, keepNewlines = false): string =>
  Array.from(text.normalize('NFC'))
    .map((ch) => {
      if (keepNewlines && ch === '\n') return ch;
      if (ch === '\t' || ch === '\r' || ch === '\n' || WHITESPACE.test(ch)) return ' ';
      if (CONTROL.test(ch) || INVISIBLE.test(ch)) return '';
      return ch;
    })
    .join('');

/** One line of plain Unicode text: no control characters, single spaces. */
export const oneLine = (text: string): string => collapseSpaces(stripControl(text));

/**
 * Shortens text to at most `max` units of `measure` (default: code points), cutting at a word
 * boundary when one is near and appending '...'.
 */
export const truncate = (
  text: string,
  max: number,
  measure: (s: string) => number = (s) => Array.from(s).length
): string => {
  if (measure(text) <= max) return text;
  const ellipsis = '...';
  if (max <= ellipsis.length) return ellipsis.slice(0, Math.max(0, max));
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  // Longest prefix whose measure plus the ellipsis fits (measure is monotone in the prefix).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('')) + ellipsis.length <= max) lo = mid;
    else hi = mid - 1;
  }
  let cut = chars.slice(0, lo).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-|/]+$/u, '')}${ellipsis}`;
};
