/**
 * Text made safe for narrow channels: SMS in one GSM-7 segment, the SNS subject in ASCII.
 * Pure functions, no I/O. One line of plain text and shortening are common/plain-text.ts.
 */
import { CONTROL, collapseSpaces, INVISIBLE, WHITESPACE } from '../common/plain-text.ts';

/** The GSM 03.38 basic character set (escape 0x1B left out: it introduces an extension). */
const GSM7_BASIC = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
  )
);

/** The GSM 03.38 extension table: each costs two septets (escape + char). */
const GSM7_EXTENSION = new Set(Array.from('\f^{}\\[~]|€'));

/** Replacements that read the same in ASCII, applied before diacritics are stripped. */
const COMMON_MAP: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '\u02BC': "'",
  '\u02BB': "'",
  '\u2039': "'",
  '\u203A': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u00AD': '',
  '\u2026': '...',
  '\u2022': '*',
  '\u00B7': '-',
  '\u00D7': 'x',
  '\u00F7': '/',
  '\u00B0': ' deg',
  '\u00A9': '(c)',
  '\u00AE': '(R)',
  '\u2122': '(TM)',
  '\u00BD': '1/2',
  '\u00BC': '1/4',
  '\u00BE': '3/4',
  '\u20AC': 'EUR',
  '\u00A3': 'GBP',
  '\u00A5': 'JPY',
  '\u20B9': 'INR',
  '\u20BD': 'RUB',
  '\u20B4': 'UAH',
  '\u00A4': '',
  '\u00A7': 'S',
  '\u00A1': '',
  '\u00BF': '',
  '\u00DF': 'ss',
  '\u00C6': 'AE',
  '\u00E6': 'ae',
  '\u00D8': 'O',
  '\u00F8': 'o',
  '\u0152': 'OE',
  '\u0153': 'oe',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u00D0': 'D',
  '\u00F0': 'd',
  '\u00DE': 'Th',
  '\u00FE': 'th',
  '\u0131': 'i',
  '\u0126': 'H',
  '\u0127': 'h',
  '\u0192': 'f',
  '`': "'",
};

/** ASCII characters that GSM-7 lacks or holds only in its two-septet extension table. */
const GSM_ONLY_MAP: Readonly<Record<string, string>> = {
  '[': '(',
  ']': ')',
  '{': '(',
  '}': ')',
  '\\': '/',
  '^': "'",
  '~': '-',
  '|': '/',
  '\f': ' ',
};

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

const GREEK: Readonly<Record<string, string>> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/** Latin transliteration of a Cyrillic or Greek letter (capitalised like the input), if known. */
const scriptLetter = (ch: string): string | undefined => {
  const lower = ch.toLowerCase();
  const latin = CYRILLIC[lower] ?? GREEK[lower];
  if (latin === undefined) return undefined;
  if (lower === ch || latin === '') return latin;
  return latin.charAt(0).toUpperCase() + latin.slice(1);
};

type Target = (ch: string) => boolean;

const isPrintableAscii: Target = (ch) => ch >= ' ' && ch <= '~';
const isGsm7Basic: Target = (ch) => GSM7_BASIC.has(ch) && ch !== '\n' && ch !== '\r';

const convert = (text: string, keep: Target, extraMap: Readonly<Record<string, string>>) => {
  let out = '';
  for (const ch of text) {
    if (keep(ch) && extraMap[ch] === undefined) {
      out += ch;
      continue;
    }
    const mapped = extraMap[ch] ?? COMMON_MAP[ch];
    if (mapped !== undefined) {
      out += convert(mapped, keep, extraMap);
      continue;
    }
    if (WHITESPACE.test(ch) || CONTROL.test(ch)) {
      out += ' ';
      continue;
    }
    if (INVISIBLE.test(ch)) continue;
    // Before stripping diacritics: й and ї are letters of their own, not и and і with marks.
    const latin = scriptLetter(ch);
    if (latin !== undefined) {
      out += convert(latin, keep, extraMap);
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
    if (base !== ch && base !== '') out += convert(base, keep, extraMap);
    // Anything else (other scripts, emoji, symbols) has no sensible stand-in and is dropped.
  }
  return out;
};

/** One line in printable ASCII (0x20-0x7E): quotes, dashes and diacritics transliterated. */
export const toAscii = (text: string): string =>
  collapseSpaces(convert(text.normalize('NFC'), isPrintableAscii, {}));

/**
 * One line in the GSM-7 basic character set only, so an SMS never falls back to UCS-2:
 * letters GSM-7 has (é, ü, ñ ...) are kept, others transliterated, extension characters
 * ([ ] { } ~ | ^ \ €) replaced by basic ones.
 */
export const toGsm7 = (text: string): string =>
  collapseSpaces(convert(text.normalize('NFC'), isGsm7Basic, GSM_ONLY_MAP));

/**
 * The number of septets the text costs in GSM-7 (extension characters count 2), or undefined
 * when some character is not in GSM-7 at all (the message would be sent as UCS-2).
 */
export const gsm7Septets = (text: string): number | undefined => {
  let septets = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENSION.has(ch)) septets += 2;
    else return undefined;
  }
  return septets;
};

/** True when every character is in the GSM-7 basic set (no extension, no UCS-2). */
export const isGsm7BasicOnly = (text: string): boolean =>
  Array.from(text).every((ch) => GSM7_BASIC.has(ch));
