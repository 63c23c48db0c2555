/**
 * Feed parsing: RSS 0.9x, 1.0 (RDF), 2.0 and Atom 0.3/1.0 text to rss-parser's output, with a
 * lenient second attempt for the malformed XML real servers send, and a readable reason when
 * the text is no feed; then normalised to Items (normalise-feed.ts). Pure: the text, the feed's
 * configuration and the time are passed in.
 */
import Parser from 'rss-parser';
import { FeedError } from '../common/errors.ts';
import type { FeedConfig, Item } from '../common/types.ts';
import { type NormaliseFeedOptions, normaliseFeed } from './normalise-feed.ts';

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
  options: NormaliseFeedOptions = {}
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
