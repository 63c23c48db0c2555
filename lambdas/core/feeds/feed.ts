/**
 * Feed parsing and normalisation: RSS 0.9x, 1.0 (RDF), 2.0 and Atom 0.3/1.0 text in, the Item
 * shape of DESIGN.md out. Pure: the text, the feed's configuration and the time are passed in.
 */
import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { FeedError } from '../common/errors.ts';
import type { FeedConfig, Item } from '../common/types.ts';

/** Items kept per feed: a feed of tens of thousands of items stays bounded. */
export const MAX_ITEMS_PER_FEED = 2000;
/** Longest title kept, in characters. */
export const MAX_TITLE_CHARS = 300;
/** Longest summary kept, in characters. */
export const MAX_SUMMARY_CHARS = 2000;
/** Longest content kept, in characters. */
export const MAX_CONTENT_CHARS = 20_000;
/** Longest guid used as an id as is; longer ones are hashed. */
const MAX_ID_CHARS = 500;
/** Raw field text looked at, in characters, before cleaning (bounds the regex work). */
const MAX_RAW_CHARS = 200_000;
/** Dates before this are absurd for news. */
const EARLIEST_DATE = Date.UTC(1990, 0, 1);
/** Dates this far after `now` are absurd (a day covers time-zone mistakes). */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

export interface ParseFeedOptions {
  /** @default MAX_ITEMS_PER_FEED */
  readonly maxItems?: number;
}

type RawItem = Record<string, unknown>;
interface RawFeed {
  readonly title?: unknown;
  readonly link?: unknown;
  readonly items?: unknown;
}

const PARSER_OPTIONS = {
  defaultRSS: 2,
  customFields: {
    item: ['issued', 'modified', 'created', 'updated', 'published', 'dc:identifier'],
  },
};

/**
 * A new parser for every document: rss-parser keeps one xml2js parser per instance, and an xml2js
 * parser that has met a malformed document never calls back again (xml2js issues #365, #388), so a
 * shared one would leave every later feed's parse hanging.
 */
const parseXmlText = (text: string) => new Parser(PARSER_OPTIONS).parseString(text);

// ---------------------------------------------------------------------------------------------
// Text cleaning

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
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

/** Any field value rss-parser/xml2js may produce, as a string ('' when it carries no text). */
const asString = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return asString(value[0]);
  if (value !== null && typeof value === 'object') {
    const text = (value as { _?: unknown })._;
    if (typeof text === 'string') return text;
    const href = (value as { $?: { href?: unknown } }).$?.href;
    if (typeof href === 'string') return href;
  }
  return '';
};

// ---------------------------------------------------------------------------------------------
// Links, dates, ids

const httpUrl = (value: string, base?: string): string | undefined => {
  const trimmed = value.replace(CONTROL_CHARS, '').trim();
  if (trimmed === '' || trimmed.length > 4096) return undefined;
  try {
    const url = base ? new URL(trimmed, base) : new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.hostname === '') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
};

/** An ISO date, or undefined when it cannot be parsed or is absurd for news. */
export const sensibleDate = (raw: string, now: Date): string | undefined => {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.length > 100) return undefined;
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms) || ms < EARLIEST_DATE || ms > now.getTime() + MAX_FUTURE_MS) {
    return undefined;
  }
  return new Date(ms).toISOString();
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

// ---------------------------------------------------------------------------------------------
// Normalisation

interface FeedContext {
  readonly feed: FeedConfig;
  readonly now: Date;
  readonly base?: string;
  readonly source?: string;
}

const firstText = (item: RawItem, keys: readonly string[]): string => {
  for (const key of keys) {
    const text = asString(item[key]);
    if (text.trim() !== '') return text;
  }
  return '';
};

/** One raw rss-parser item to an Item, or undefined when it has neither title nor summary. */
const normaliseItem = (raw: RawItem, ctx: FeedContext): Item | undefined => {
  const summaryRaw = firstText(raw, ['summary', 'content', 'content:encoded']);
  const contentRaw = firstText(raw, ['content:encoded', 'content']);
  const summaryText = cleanText(summaryRaw);
  const contentText = contentRaw === summaryRaw ? summaryText : cleanText(contentRaw);
  let title = cleanText(firstText(raw, ['title']));
  const summary = truncate(summaryText, MAX_SUMMARY_CHARS);
  if (title === '') {
    if (summary === '') return undefined;
    title = truncate(summary, 120);
  }
  title = truncate(title, MAX_TITLE_CHARS);

  const guid = asString(raw.guid ?? raw.id ?? raw['rdf:about'] ?? raw['dc:identifier'])
    .replace(CONTROL_CHARS, '')
    .trim();
  let link = httpUrl(asString(raw.link), ctx.base);
  if (!link && guid && raw.guid !== undefined) {
    // An RSS guid that is a permalink (the default) doubles as the link.
    const permaLink = (raw.guid as { $?: { isPermaLink?: string } })?.$?.isPermaLink;
    if (permaLink !== 'false') link = httpUrl(guid);
  }

  let published: string | undefined;
  for (const key of [
    'isoDate',
    'pubDate',
    'published',
    'updated',
    'issued',
    'modified',
    'created',
    'date',
  ]) {
    const text = asString(raw[key]);
    if (text === '') continue;
    published = sensibleDate(text, ctx.now);
    if (published) break;
  }

  let id: string;
  if (guid !== '') id = guid.length > MAX_ID_CHARS ? `hash:${sha256(`guid\n${guid}`)}` : guid;
  else if (link) id = link.length > MAX_ID_CHARS ? `hash:${sha256(`link\n${link}`)}` : link;
  else id = `hash:${sha256(`${title}\n${published ?? ''}`)}`;

  const content =
    contentText.length > summary.length * 1.5 + 200
      ? truncate(contentText, MAX_CONTENT_CHARS)
      : undefined;

  return {
    id,
    title,
    ...(summary && summary !== title ? { summary } : {}),
    ...(content ? { content } : {}),
    ...(link ? { link } : {}),
    ...(published ? { published } : {}),
    ...(ctx.source ? { source: ctx.source } : {}),
    feed: ctx.feed.url,
  };
};

const hostnameOf = (url: string): string | undefined => {
  try {
    const { hostname } = new URL(url);
    return hostname || undefined;
  } catch {
    return undefined;
  }
};

/**
 * Some feeds give every item the same guid (the feed URL, say). Different items sharing an id
 * would be taken for one, so those get their link, else a hash of id, title and date, instead.
 * Identical items keep their shared id (the seen-item logic keeps one).
 */
const distinctIds = (items: Item[]): Item[] => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
  if (counts.size === items.length) return items;
  return items.map((item) => {
    if ((counts.get(item.id) ?? 0) < 2) return item;
    const id =
      item.link &&
      item.link !== item.id &&
      item.link.length <= MAX_ID_CHARS &&
      !counts.has(item.link)
        ? item.link
        : `hash:${sha256(`${item.id}\n${item.title}\n${item.published ?? ''}`)}`;
    return { ...item, id };
  });
};

/**
 * rss-parser's output (or anything else) to Items. Never throws: fields of the wrong type
 * count as missing. Keeps at most `maxItems`, the newest first when the feed has more.
 */
export const normaliseFeed = (
  output: unknown,
  feed: FeedConfig,
  now: Date,
  options: ParseFeedOptions = {}
): Item[] => {
  const raw = (output !== null && typeof output === 'object' ? output : {}) as RawFeed;
  const feedUrl = httpUrl(feed.url);
  const base = httpUrl(asString(raw.link), feedUrl) ?? feedUrl;
  const source =
    feed.name?.trim() || truncate(cleanText(asString(raw.title)), 200) || hostnameOf(feed.url);
  const ctx: FeedContext = {
    feed,
    now,
    ...(base ? { base } : {}),
    ...(source ? { source } : {}),
  };
  const rawItems = Array.isArray(raw.items) ? raw.items : [];
  const items: Item[] = [];
  for (const rawItem of rawItems) {
    if (rawItem === null || typeof rawItem !== 'object') continue;
    const item = normaliseItem(rawItem as RawItem, ctx);
    if (item) items.push(item);
  }
  const unique = distinctIds(items);
  const maxItems = options.maxItems ?? MAX_ITEMS_PER_FEED;
  if (unique.length <= maxItems) return unique;
  // Keep the newest: feeds are usually newest first, but not all of them.
  const order = unique.map((item, index) => ({ item, index }));
  order.sort(
    (a, b) => (b.item.published ?? '').localeCompare(a.item.published ?? '') || a.index - b.index
  );
  return order.slice(0, maxItems).map((o) => o.item);
};

// ---------------------------------------------------------------------------------------------
// Parsing with recovery

const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0]?.trim().toLowerCase() ?? '';

/** The name of the document's root element, after the prolog, comments and doctype. */
const rootElement = (text: string): string | undefined => {
  const rest = text
    .slice(0, 4096)
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/i, '');
  return /<([a-zA-Z_][\w:.-]*)/.exec(rest)?.[1];
};

const looksLikeHtml = (text: string): boolean => {
  const head = text.slice(0, 2048).toLowerCase();
  if (/<!doctype\s+html/.test(head)) return true;
  const root = rootElement(text)?.toLowerCase();
  return root === 'html' || root === 'head' || root === 'body';
};

/** Characters XML 1.0 forbids (sax accepts some of them; remove all for the lenient parse). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** An '&' that does not start an entity or character reference: AT&T, "Q&A". */
const BARE_AMPERSAND = /&(?!(?:[a-zA-Z][a-zA-Z0-9]{0,31}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/g;
/** A '<' that cannot start markup: "5 < 7", "<3", "a <= b". */
const BARE_LESS_THAN = /<(?=[\s\d=<])/g;
/** A title element (at most 4000 characters long, so the scan stays linear). */
const TITLE_ELEMENTS = /<title(\s[^<>]*)?>([\s\S]{0,4000}?)<\/title>/g;

/**
 * Titles with markup as child elements (`<title><b>Breaking</b> news</title>`, Atom
 * `type="xhtml"`) lose their text in rss-parser; as CDATA they keep it, and cleanText strips
 * the tags.
 */
const wrapTitleMarkup = (text: string): string =>
  text.includes('<title')
    ? text.replace(TITLE_ELEMENTS, (whole, attrs: string | undefined, inner: string) =>
        /<[a-zA-Z/]/.test(inner) && !inner.includes('<![CDATA[') && !inner.includes(']]>')
          ? `<title${attrs ?? ''}><![CDATA[${inner}]]></title>`
          : whole
      )
    : text;

const DATE_ELEMENTS =
  /<((?:[a-zA-Z]+:)?(?:published|updated|issued|modified|created|date|pubDate))(\s[^>]*)?>([^<]*)<\/\1>/g;

/**
 * A second chance for feeds real servers send: bare ampersands, forbidden control characters,
 * an XML declaration that no longer applies (the text is already decoded), and dates that make
 * rss-parser throw.
 */
const repair = (text: string): string =>
  text
    .replace(/^[\s\S]*?(?=<)/, '')
    .replace(/^<\?xml[^>]*\?>/, '')
    .replace(XML_INVALID, '')
    .replace(BARE_AMPERSAND, '&amp;')
    .replace(BARE_LESS_THAN, '&lt;')
    .replace(DATE_ELEMENTS, (whole, _tag, _attrs, value: string) =>
      Number.isNaN(Date.parse(value.trim())) ? '' : whole
    );

/** Parses with titles' markup kept (see wrapTitleMarkup), else as is. */
const parseXml = async (text: string): Promise<unknown> => {
  const wrapped = wrapTitleMarkup(text);
  if (wrapped !== text) {
    try {
      return await parseXmlText(wrapped);
    } catch {
      // A <title> inside a CDATA section (an embedded HTML page): parse the text as it is.
    }
  }
  return parseXmlText(text);
};

/**
 * Parses feed text to normalised items.
 * @throws FeedError with a readable reason for an empty body, an HTML page, a document that is
 * not RSS or Atom, or XML that cannot be read even leniently.
 */
export const parseFeed = async (
  text: string,
  feed: FeedConfig,
  now: Date,
  options: ParseFeedOptions = {}
): Promise<Item[]> => {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    throw new FeedError(feed.url, `empty response from ${feed.url}: expected an RSS or Atom feed`);
  }
  if (looksLikeHtml(body)) {
    throw new FeedError(
      feed.url,
      `not an RSS or Atom feed: looks like an HTML page (${feed.url}); use the site's feed URL`
    );
  }
  const root = rootElement(body);
  if (root === undefined) {
    throw new FeedError(feed.url, `not an RSS or Atom feed: no XML element found in ${feed.url}`);
  }
  const localRoot = root.replace(/^.*:/, '').toLowerCase();
  if (!['rss', 'rdf', 'feed'].includes(localRoot)) {
    throw new FeedError(
      feed.url,
      `not an RSS or Atom feed: the document's root element is <${root}> (${feed.url})`
    );
  }
  let output: unknown;
  try {
    output = await parseXml(body);
  } catch (first) {
    if (first instanceof RangeError && /call stack/i.test(first.message)) {
      throw new FeedError(
        feed.url,
        `not a usable feed: elements nested too deeply in ${feed.url}`,
        { cause: first }
      );
    }
    // A prefixed Atom root (<atom:feed xmlns:atom="...">): rss-parser knows only <feed>.
    const prefix = /^([\w.-]+):feed$/.exec(root)?.[1];
    const unprefixed = prefix ? body.replace(new RegExp(`<(/?)${prefix}:`, 'g'), '<$1') : body;
    try {
      output = await parseXml(repair(unprefixed));
    } catch {
      const reason = firstLine(first);
      throw new FeedError(
        feed.url,
        /not recognized/.test(reason)
          ? `not an RSS or Atom feed: <${root}> is not a known RSS or Atom root (${feed.url})`
          : `not well-formed XML in ${feed.url}: ${reason}`,
        { cause: first }
      );
    }
  }
  return normaliseFeed(output, feed, now, options);
};
