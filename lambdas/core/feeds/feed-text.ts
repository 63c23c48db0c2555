/**
 * Text from feeds made plain and bounded: markup, entities, control and invisible characters
 * removed, whitespace folded, long text cut at a word. Pure.
 */
import { decodeHTML } from 'entities';

/** Raw field text looked at, in characters, before cleaning (bounds the regex work). */
const MAX_RAW_CHARS = 200_000;

/** C0 and C1 control characters, tab, line feed and carriage return aside. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/**
 * Zero-width spaces and bidirectional overrides/isolates: invisible, and a spoofing risk in
 * alerts. Joiners and direction marks (U+200C-U+200F) stay: Persian, Hindi and emoji need them.
 */
const INVISIBLE_CHARS = /[\u200B\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Openings of what a reader never sees: comments and script/style blocks. */
const HIDDEN_OPENINGS = /<!--|<(script|style|noscript|template)\b[^<>]*>/gi;
const CDATA_MARKERS = /<!\[CDATA\[|\]\]>/g;
const BLOCK_TAGS =
  /<\/?(?:p|br|div|li|ul|ol|h[1-6]|blockquote|section|article|table|tr|td|th|hr|figure|figcaption|header|footer|pre)\b[^<>]*>/gi;
/** Only things that look like real tags, so that "a < b and c > d" survives. */
const TAGS = /<\/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?\/?>/g;

/**
 * Removes comments and script/style blocks in one pass (linear time even when they are never
 * closed: an unclosed one hides the rest, as in a browser).
 */
const removeHidden = (text: string): string => {
  if (!text.includes('<')) return text;
  const open = new RegExp(HIDDEN_OPENINGS.source, 'gi');
  let out = '';
  let pos = 0;
  for (let match = open.exec(text); match !== null; match = open.exec(text)) {
    out += `${text.slice(pos, match.index)} `;
    const close = match[1] ? new RegExp(`</${match[1]}\\s*>`, 'gi') : /-->/g;
    close.lastIndex = open.lastIndex;
    if (close.exec(text) === null) return out;
    pos = close.lastIndex;
    open.lastIndex = pos;
  }
  return out + text.slice(pos);
};

/**
 * Markup or text to clean plain text: hidden blocks and tags removed, entities decoded (once,
 * then tags that were escaped twice removed too), control and invisible characters removed,
 * whitespace folded to single spaces.
 */
export const cleanText = (raw: string): string => {
  let text = raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
  text = removeHidden(text.replace(CDATA_MARKERS, '')).replace(BLOCK_TAGS, ' ').replace(TAGS, '');
  if (text.includes('&')) {
    text = decodeHTML(text);
    if (text.includes('<')) text = removeHidden(text).replace(BLOCK_TAGS, ' ').replace(TAGS, '');
  }
  return text
    .replace(LONE_SURROGATES, '')
    .replace(CONTROL_CHARS, ' ')
    .replace(INVISIBLE_CHARS, '')
    .replace(/\s+/g, ' ')
    .trim();
};

/** Cuts text to at most `max` characters, at a word boundary when one is near, with an ellipsis. */
export const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  // At a word boundary already when the next character is a space.
  const space = /\s/.test(text.charAt(max - 1)) ? cut.length : cut.lastIndexOf(' ');
  const head = space > max * 0.6 ? cut.slice(0, space) : cut;
  // Never end on half a surrogate pair.
  return `${head.replace(/[\uD800-\uDBFF]$/, '').trimEnd()}…`;
};
