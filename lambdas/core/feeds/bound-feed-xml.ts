/**
 * (About 440 lines, one job: the sax handlers share the writer's state and bounds, and split
 * across files they would pass that state around on every event of a hot loop.)
 *
 * The bounded pre-pass before rss-parser: a streaming pass over feed XML on the sax tokenizer
 * (rss-parser's own tokenizer, through xml2js) that writes the document out again, bounded and in
 * a form rss-parser reads. rss-parser (xml2js) builds the whole document in one blocking call and
 * reads neither DOCTYPE entities nor prefixed roots nor CDF, so this pass:
 * - reads the text in slices with a pause between them (other feeds' network I/O goes on) and a
 *   check of the caller's abort signal (the per-feed parse time limit);
 * - counts the items and keeps at most `maxItems` of them, the newest by date (document order
 *   among equals; written newest first then), so rss-parser never sees a flood;
 * - bounds nesting (MAX_DEPTH), a field's text (MAX_FIELD_CHARS), an item (MAX_ITEM_CHARS) and
 *   everything outside items (MAX_OUTSIDE_CHARS): past a bound, markup and text are left out,
 *   never an element's closing tag;
 * - expands the entities the DOCTYPE declares within bounds (doctype-entities.ts), refuses
 *   external entities and bombs, and drops the DOCTYPE, comments and processing instructions;
 * - writes the elements of the feed's own namespaces unprefixed (`<r:rss>`, `<atom:feed>`,
 *   `<rss:item>`) and known extensions under their usual prefix (`dc:`, `content:`, `rdf:`);
 * - rewrites a CDF channel as RSS 2.0 (`<CHANNEL HREF>` to a channel with a link, `<ITEM HREF
 *   LASTMOD>` to an item with link and updated, nested channels unwrapped), and gives an RSS or
 *   RDF document without a channel an empty one (rss-parser fails on it with a TypeError);
 * - writes the markup inside text fields (`<title><b>Breaking</b> news</title>`, Atom xhtml
 *   content) as escaped text, which rss-parser keeps and cleanText strips.
 * Pure but for the pause, which is passed in (default: one turn of the event loop).
 */
import sax from 'sax';
import { FeedError } from '../common/errors.ts';
import { doctypeEntities } from './doctype-entities.ts';

/** Deepest element nesting read; deeper is refused. */
export const MAX_DEPTH = 512;
/** Characters of text kept in one element. */
export const MAX_FIELD_CHARS = 256_000;
/** Characters written for one item. */
export const MAX_ITEM_CHARS = 1024 * 1024;
/** Characters written outside items (the channel's own fields). */
export const MAX_OUTSIDE_CHARS = 1024 * 1024;
/** Characters handed to the tokenizer between two pauses. */
export const SLICE_CHARS = 64 * 1024;

export interface BoundFeedOptions {
  /** Items kept: once more are read, the newest by date (document order among equals). */
  readonly maxItems: number;
  /** Checked between slices: when aborted, reading stops with `abortReason()`. */
  readonly signal?: AbortSignal;
  /** The error thrown when `signal` is aborted. */
  readonly abortReason?: () => Error;
  /** Called between slices. @default one turn of the event loop (setImmediate) */
  readonly pause?: () => Promise<void>;
}

export interface BoundedFeed {
  /** The document for rss-parser: well-formed, at most `maxItems` items, no DOCTYPE. */
  readonly xml: string;
  /** Items in the document (read, whether kept or not). */
  readonly itemsSeen: number;
}

/** The format the root element names. */
type Format = 'rss' | 'rdf' | 'atom' | 'cdf';

const ROOT_FORMATS: Readonly<Record<string, Format>> = {
  rss: 'rss',
  rdf: 'rdf',
  feed: 'atom',
  channel: 'cdf',
};

/** Namespaces whose elements are the feed's own (written unprefixed). */
const FEED_NAMESPACES = new Set([
  'http://www.w3.org/2005/Atom',
  'http://purl.org/atom/ns#',
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://backend.userland.com/rss2',
  'http://backend.userland.com/rss',
]);

/** Extension namespaces, written under their usual prefix whatever prefix the feed binds. */
const EXTENSION_PREFIXES: Readonly<Record<string, string>> = {
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
};

/** Elements whose content is text: markup inside them is written as escaped text. */
const TEXT_FIELDS = new Set([
  'title',
  'description',
  'summary',
  'content',
  'subtitle',
  'tagline',
  'abstract',
  'content:encoded',
  'dc:title',
  'dc:description',
]);

/** An item's date elements (lowercased), in the order normalise-feed.ts prefers them. */
const DATE_FIELDS = [
  'pubdate',
  'published',
  'updated',
  'issued',
  'modified',
  'created',
  'dc:date',
  'dcterms:issued',
  'dcterms:modified',
  'dcterms:created',
];
const DATE_RANK = new Map(DATE_FIELDS.map((name, rank) => [name, rank]));

interface Open {
  /**
   * The name written; '' when the tags are left out but the content is not (a nested CDF
   * channel); undefined when the element is left out with its content (over a bound).
   */
  readonly written: string | undefined;
  /** Lowercased key: `prefix:local` for extensions, the local name otherwise. */
  readonly key: string;
  /** Prefix bindings this element declares, if any. */
  readonly scope?: ReadonlyMap<string, string>;
  /** Characters of text written in this element. */
  chars: number;
}

/** An item being written: its text, and its best date so far. */
interface ItemOut {
  readonly depth: number;
  readonly index: number;
  text: string;
  /** Characters written and reserved (for closing tags). */
  chars: number;
  dateRank: number;
  time: number;
}

interface Kept {
  readonly index: number;
  readonly time: number;
  readonly text: string;
}

const escapeText = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const escapeAttribute = (value: string): string =>
  escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);

const attribute = (attributes: Record<string, string>, name: string): string | undefined => {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(attributes)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
};

const defaultPause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The newest `keep` of `pool`, newest first (document order among equal dates). */
const newest = (pool: Kept[], keep: number): Kept[] =>
  [...pool].sort((a, b) => b.time - a.time || a.index - b.index).slice(0, keep);

/**
 * Writes feed XML out again for rss-parser, bounded (see the module comment).
 * @throws FeedError for an unknown root, too deep nesting or refused entities; the tokenizer's
 * Error for XML that is not well-formed; `abortReason()` when `signal` is aborted
 */
export const boundFeedXml = async (
  text: string,
  url: string,
  options: BoundFeedOptions
): Promise<BoundedFeed> => {
  const maxItems = Math.max(1, options.maxItems);
  const pause = options.pause ?? defaultPause;
  const parser = sax.parser(true, { trim: false, normalize: false, position: false });

  const stack: Open[] = [];
  /** The document outside items, with a slot (a number) where each item was. */
  const parts: (string | number)[] = [];
  let outsideChars = 0;
  let format: Format | undefined;
  let channelSeen = false;
  let item: ItemOut | undefined;
  let pool: Kept[] = [];
  let itemsSeen = 0;
  /** Depth of the text field being written, whose markup becomes text. */
  let fieldDepth = -1;
  /** Depth of the item date element being read, and its text. */
  let date: { depth: number; rank: number; text: string } | undefined;
  /** The root element's prefix (`<atom:feed>`): its elements are the feed's own, bound or not. */
  let rootPrefix: string | undefined;

  /**
   * Writes `chunk` to the current item or the document, unless that and `reserve` (room for the
   * closing tag that goes with it) would be over its bound.
   */
  const write = (chunk: string, reserve = 0): boolean => {
    const size = chunk.length + reserve;
    if (item !== undefined) {
      if (item.chars + size > MAX_ITEM_CHARS) return false;
      item.chars += size;
      item.text += chunk;
      return true;
    }
    if (outsideChars + size > MAX_OUTSIDE_CHARS) return false;
    outsideChars += size;
    parts.push(chunk);
    return true;
  };
  /** Closing tags (their room reserved) and the end of the document, whatever the bounds. */
  const writeAlways = (chunk: string) => {
    if (item !== undefined) item.text += chunk;
    else parts.push(chunk);
  };

  const resolve = (prefix: string): string | undefined => {
    if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const bound = stack[i]?.scope?.get(prefix);
      if (bound !== undefined) return bound;
    }
    return undefined;
  };

  /** The element's name as rss-parser reads it (case kept: `pubDate`), and its lowercased key. */
  const nameOf = (
    name: string,
    scope: ReadonlyMap<string, string> | undefined
  ): { name: string; key: string } => {
    const colon = name.indexOf(':');
    if (colon === -1) return { name, key: name.toLowerCase() };
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    const uri = scope?.get(prefix) ?? resolve(prefix);
    if ((uri !== undefined && FEED_NAMESPACES.has(uri)) || prefix === rootPrefix) {
      return { name: local, key: local.toLowerCase() };
    }
    const usual = (uri !== undefined ? EXTENSION_PREFIXES[uri] : undefined) ?? prefix;
    const written = `${usual}:${local}`;
    return { name: written, key: written.toLowerCase() };
  };

  const openTag = (name: string, attributes: Record<string, string>): string => {
    let tag = `<${name}`;
    for (const [key, value] of Object.entries(attributes)) {
      tag += ` ${key}="${escapeAttribute(value)}"`;
    }
    return `${tag}>`;
  };

  const startItem = (depth: number) => {
    item = {
      depth,
      index: itemsSeen,
      text: '',
      chars: 0,
      dateRank: Number.POSITIVE_INFINITY,
      time: Number.NEGATIVE_INFINITY,
    };
  };

  const setItemDate = (rank: number, value: string) => {
    if (item === undefined || rank >= item.dateRank) return;
    const ms = Date.parse(value.trim());
    if (Number.isNaN(ms)) return;
    item.dateRank = rank;
    item.time = ms;
  };

  const endItem = (done: ItemOut) => {
    parts.push(itemsSeen);
    pool.push({ index: itemsSeen, time: done.time, text: done.text });
    itemsSeen += 1;
    if (pool.length >= 2 * maxItems) pool = newest(pool, maxItems);
  };

  /** The CDF elements, as RSS 2.0: CHANNEL and ITEM with their HREF and LASTMOD attributes. */
  const openCdf = (key: string, attributes: Record<string, string>, depth: number): boolean => {
    const href = attribute(attributes, 'href')?.trim();
    if (key === 'channel') {
      if (depth === 0) {
        write('<rss version="2.0"><channel>');
        if (href) write(`<link>${escapeText(href)}</link>`);
        channelSeen = true;
      }
      // A nested channel is unwrapped: its items join the one channel.
      stack.push({ written: depth === 0 ? 'channel></rss' : '', key, chars: 0 });
      return true;
    }
    if (key === 'item' && item === undefined) {
      startItem(depth);
      const lastmod = attribute(attributes, 'lastmod')?.trim();
      write('<item>');
      if (href) write(`<link>${escapeText(href)}</link>`);
      if (lastmod) {
        write(`<updated>${escapeText(lastmod)}</updated>`);
        setItemDate(DATE_RANK.get('updated') ?? 0, lastmod);
      }
      stack.push({ written: 'item', key, chars: 0 });
      return true;
    }
    return false;
  };

  parser.ondoctype = (doctype) => {
    Object.assign(parser.ENTITIES, doctypeEntities(doctype, text, url));
  };

  parser.onopentag = (node) => {
    const attributes = node.attributes as Record<string, string>;
    let scope: Map<string, string> | undefined;
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        scope ??= new Map();
        scope.set(name === 'xmlns' ? '' : name.slice(6), value);
      }
    }
    const depth = stack.length;
    if (depth >= MAX_DEPTH) {
      throw new FeedError(url, `not a usable feed: elements nested too deeply in ${url}`);
    }
    if (depth === 0 && node.name.includes(':')) {
      rootPrefix = node.name.slice(0, node.name.indexOf(':'));
    }
    const named = nameOf(node.name, scope);
    const { key } = named;
    // rss-parser knows RSS 1.0 only as <rdf:RDF>, whatever prefix the document gives it.
    const name = depth === 0 && key.replace(/^.*:/, '') === 'rdf' ? 'rdf:RDF' : named.name;

    const parentDropped = depth > 0 && stack[depth - 1]?.written === undefined;
    if (fieldDepth !== -1) {
      // Markup inside a text field: written as text, which cleanText strips later.
      const written =
        !parentDropped && write(escapeText(`<${node.name}>`), node.name.length + 9)
          ? node.name
          : undefined;
      stack.push(scope ? { written, key, scope, chars: 0 } : { written, key, chars: 0 });
      return;
    }

    if (depth === 0) {
      format = ROOT_FORMATS[key.replace(/^.*:/, '')];
      if (format === undefined) {
        throw new FeedError(
          url,
          `not an RSS or Atom feed: <${node.name}> is not a known RSS or Atom root (${url})`
        );
      }
    }
    if (format === 'cdf') {
      if (openCdf(key, attributes, depth)) return;
    }
    const itemStarts = item === undefined && (key === 'item' || key === 'entry') && depth > 0;
    if (itemStarts) startItem(depth);
    if (key === 'channel' && depth === 1) channelSeen = true;

    // CDF's upper-case elements as RSS's: <TITLE> to <title>, <ABSTRACT> to <description>.
    const outName = format === 'cdf' ? (key === 'abstract' ? 'description' : key) : name;
    // An item has its own bound: it is written even where its container was left out.
    const written =
      (itemStarts || !parentDropped) && write(openTag(outName, attributes), outName.length + 3)
        ? outName
        : undefined;
    stack.push(scope ? { written, key, scope, chars: 0 } : { written, key, chars: 0 });
    if (TEXT_FIELDS.has(key)) fieldDepth = depth;
    if (item !== undefined && depth === item.depth + 1) {
      const rank = DATE_RANK.get(key);
      if (rank !== undefined) date = { depth, rank, text: '' };
    }
  };

  const onText = (value: string) => {
    const open = stack[stack.length - 1];
    if (open === undefined || open.written === undefined || open.chars >= MAX_FIELD_CHARS) return;
    const kept =
      value.length > MAX_FIELD_CHARS - open.chars
        ? value.slice(0, MAX_FIELD_CHARS - open.chars)
        : value;
    if (write(escapeText(kept))) open.chars += kept.length;
    if (date !== undefined && date.text.length < 256) date.text += kept.slice(0, 256);
  };
  parser.ontext = onText;
  parser.oncdata = onText;

  parser.onclosetag = (closed) => {
    const depth = stack.length - 1;
    const open = stack.pop();
    if (open === undefined) return;
    if (fieldDepth !== -1 && depth > fieldDepth) {
      if (open.written) writeAlways(escapeText(`</${closed}>`));
      return;
    }
    if (depth === fieldDepth) fieldDepth = -1;
    if (date !== undefined && depth === date.depth) {
      setItemDate(date.rank, date.text);
      date = undefined;
    }
    if (depth === 0 && (format === 'rss' || format === 'rdf') && !channelSeen) {
      // rss-parser reads channel[0] unguarded: a feed without a channel is an empty feed.
      writeAlways('<channel></channel>');
    }
    if (open.written) writeAlways(`</${open.written}>`);
    if (item !== undefined && depth === item.depth) {
      const done = item;
      item = undefined;
      endItem(done);
    }
  };

  parser.onerror = (err) => {
    throw err;
  };

  for (let at = 0; at < text.length; at += SLICE_CHARS) {
    parser.write(text.slice(at, at + SLICE_CHARS));
    if (at + SLICE_CHARS < text.length) {
      await pause();
      if (options.signal?.aborted) {
        throw options.abortReason?.() ?? new FeedError(url, `reading ${url} was stopped`);
      }
    }
  }
  parser.close();

  // Over the cap, the kept items go newest first into the places the kept ones had.
  const kept = itemsSeen > maxItems ? newest(pool, maxItems) : pool;
  const places = new Set(kept.map((k) => k.index));
  let next = 0;
  let xml = '';
  for (const part of parts) {
    if (typeof part === 'string') xml += part;
    else if (places.has(part)) {
      xml += kept[next]?.text ?? '';
      next += 1;
    }
  }
  return { xml, itemsSeen };
};
