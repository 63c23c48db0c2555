/**
 * Feed parsing: RSS 0.9x, 1.0 (RDF), 2.0, Atom 0.3/1.0 and CDF text to Items. rss-parser is the
 * parser: every feed it is given goes through it. Before it, a bounded streaming pre-pass
 * (bound-feed-xml.ts) reads the text in slices (pauses and an abort signal for the per-feed time
 * limit), keeps at most `maxItems` items, expands DOCTYPE entities within bounds, and rewrites
 * prefixed roots and CDF into what rss-parser reads; a lenient second attempt repairs the
 * malformed XML real servers send; a failure has a readable reason, never a JavaScript error
 * text. Then normalised (normalise-feed.ts). Pure: the text, the feed's configuration and the
 * time are passed in.
 */
import Parser from 'rss-parser';
import { FeedError } from '../common/errors.ts';
import type { FeedConfig, Item } from '../common/types.ts';
import { type BoundedFeed, boundFeedXml } from './bound-feed-xml.ts';
import {
  MAX_ITEMS_PER_FEED,
  type NormaliseFeedOptions,
  normaliseFeed,
  pollHintsOf,
} from './normalise-feed.ts';

const PARSER_OPTIONS = {
  defaultRSS: 2,
  customFields: {
    // RSS 2.0's polling hints, read by the schedule (poll-schedule.ts).
    feed: ['ttl', 'skipHours'],
    // RSS 1.0's dc:description, when an item has no description (which rss-parser reads after).
    item: [
      ['issued', 'issued'],
      ['modified', 'modified'],
      ['created', 'created'],
      ['updated', 'updated'],
      ['published', 'published'],
      ['dc:identifier', 'dc:identifier'],
      ['dc:description', 'content'],
    ],
  },
};

/**
 * A new parser for every document: rss-parser keeps one xml2js parser per instance, and an xml2js
 * parser that has met a malformed document never calls back again (xml2js issues #365, #388), so a
 * shared one would leave every later feed's parse hanging.
 */
const parseWithRssParser = (xml: string): Promise<unknown> =>
  new Parser(PARSER_OPTIONS).parseString(xml);

export interface ParseFeedOptions extends NormaliseFeedOptions {
  /**
   * Checked while reading: once aborted, reading stops with a FeedError (the caller's per-feed
   * parse time limit; it may also stop waiting on its own).
   */
  readonly signal?: AbortSignal;
  /** Called between slices of the text. @default one turn of the event loop */
  readonly pause?: () => Promise<void>;
}

export interface ParsedFeed {
  /** The feed's items, at most `maxItems`. */
  readonly items: Item[];
  /** Items in the document: more than `items.length` when the cap left some out. */
  readonly itemsSeen: number;
  /** The feed's RSS `<ttl>`, in minutes, when it has a usable one. */
  readonly ttlMinutes?: number;
  /** The feed's RSS `<skipHours>` (UTC hours 0-23), when it has any. */
  readonly skipHours?: number[];
}

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

/** rss-parser's failure on the bounded text (the text is well-formed: this is no tokenizer's). */
class RssParserFailure extends Error {
  constructor(cause: unknown) {
    super(`rss-parser could not read the feed: ${firstLine(cause)}`, { cause });
  }
}

/** A tokenizer's complaint about the XML (a plain Error), not a fault of ours or a refusal. */
const isXmlError = (err: unknown): err is Error =>
  err instanceof Error && !(err instanceof FeedError) && err.constructor === Error;

/** An unexpected failure (a TypeError, say) as a readable reason; the original stays the cause. */
const unexpected = (url: string, err: unknown): FeedError =>
  new FeedError(url, `not a usable feed: ${url} could not be read as RSS, Atom or CDF`, {
    cause: err,
  });

/**
 * Parses feed text to normalised items, with how many the document had.
 * @throws FeedError with a readable reason for an empty body, an HTML page, a document that is
 * not RSS, Atom or CDF, XML that cannot be read even leniently, refused entities, nesting too
 * deep, or an aborted `signal`; never another kind of error
 */
export const readFeed = async (
  text: string,
  feed: FeedConfig,
  now: Date,
  options: ParseFeedOptions = {}
): Promise<ParsedFeed> => {
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
  if (!['rss', 'rdf', 'feed', 'channel'].includes(localRoot)) {
    throw new FeedError(
      feed.url,
      `not an RSS or Atom feed: the document's root element is <${root}> (${feed.url})`
    );
  }
  const maxItems = options.maxItems ?? MAX_ITEMS_PER_FEED;
  const bound = (xml: string) =>
    boundFeedXml(xml, feed.url, {
      maxItems,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.pause ? { pause: options.pause } : {}),
      abortReason: () =>
        new FeedError(feed.url, `not a usable feed: reading ${feed.url} took too long`),
    });
  /** The bounded text through rss-parser; its failures marked as such (not the tokenizer's). */
  const attempt = async (xml: string): Promise<{ bounded: BoundedFeed; output: unknown }> => {
    const bounded = await bound(xml);
    try {
      return { bounded, output: await parseWithRssParser(bounded.xml) };
    } catch (err) {
      throw new RssParserFailure(err);
    }
  };
  let parsed: { bounded: BoundedFeed; output: unknown };
  try {
    try {
      parsed = await attempt(body);
    } catch (first) {
      if (first instanceof FeedError) throw first;
      // Malformed XML, or a value rss-parser throws on (an invalid date): once more, repaired.
      try {
        parsed = await attempt(repair(body));
      } catch (second) {
        if (second instanceof FeedError || !isXmlError(second)) throw second;
        const reason = firstLine(isXmlError(first) ? first : second);
        throw new FeedError(feed.url, `not well-formed XML in ${feed.url}: ${reason}`, {
          cause: first,
        });
      }
    }
  } catch (err) {
    throw err instanceof FeedError ? err : unexpected(feed.url, err);
  }
  const { bounded, output } = parsed;
  let items: Item[];
  try {
    items = normaliseFeed(output, feed, now, { maxItems });
  } catch (err) {
    throw unexpected(feed.url, err);
  }
  return { items, itemsSeen: Math.max(bounded.itemsSeen, items.length), ...pollHintsOf(output) };
};

/**
 * Parses feed text to normalised items (readFeed without the count).
 * @throws FeedError with a readable reason (see readFeed)
 */
export const parseFeed = async (
  text: string,
  feed: FeedConfig,
  now: Date,
  options: ParseFeedOptions = {}
): Promise<Item[]> => (await readFeed(text, feed, now, options)).items;
