/**
 * A streaming reader from feed XML (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF) to raw feed fields, on
 * the sax tokenizer. Built for hostile input: the text is fed to the tokenizer in slices, with a
 * pause between them (other feeds' network I/O goes on) and a check of the caller's abort signal
 * (the per-feed parse time limit); at most `maxItems` items are kept however many the feed has
 * (the newest, by date), elements nest at most MAX_DEPTH deep, a field keeps at most
 * MAX_FIELD_CHARS, and DOCTYPE entities expand within bounds (doctype-entities.ts). Pure but for
 * the pause, which is passed in (default: one turn of the event loop).
 */
import sax from 'sax';
import { FeedError } from '../common/errors.ts';
import { doctypeEntities } from './doctype-entities.ts';

/** Deepest element nesting read; deeper is refused. */
export const MAX_DEPTH = 512;
/** Characters kept of one field's text (cleanText looks at fewer). */
export const MAX_FIELD_CHARS = 256_000;
/** Characters handed to the tokenizer between two pauses. */
export const SLICE_CHARS = 64 * 1024;

export type RawItem = Record<string, unknown>;

export interface RawFeed {
  readonly title?: string;
  readonly link?: string;
  /** The kept items: in document order, or newest first when more than `maxItems` were read. */
  readonly items: RawItem[];
  /** Items in the document (read, whether kept or not). */
  readonly itemsSeen: number;
}

export interface ReadFeedOptions {
  /** Items kept: once more are read, the newest by date (document order among equals). */
  readonly maxItems: number;
  /** Checked between slices: when aborted, reading stops with `abortReason()`. */
  readonly signal?: AbortSignal;
  /** The error thrown when `signal` is aborted. */
  readonly abortReason?: () => Error;
  /** Called between slices. @default one turn of the event loop (setImmediate) */
  readonly pause?: () => Promise<void>;
}

/** The format the root element names. */
type Format = 'rss' | 'rdf' | 'atom' | 'cdf';

const ROOT_FORMATS: Readonly<Record<string, Format>> = {
  rss: 'rss',
  rdf: 'rdf',
  feed: 'atom',
  channel: 'cdf',
};

/** Namespaces whose elements are the feed's own (prefixed or not). */
const FEED_NAMESPACES = new Set([
  'http://www.w3.org/2005/Atom',
  'http://purl.org/atom/ns#',
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://backend.userland.com/rss2',
  'http://backend.userland.com/rss',
]);

/** Extension namespaces read, by their usual prefix whatever prefix the feed binds. */
const EXTENSION_PREFIXES: Readonly<Record<string, string>> = {
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
};

/** Item fields read (lowercased element keys) and the raw field each fills. */
const ITEM_FIELDS: Readonly<Record<string, string>> = {
  title: 'title',
  'dc:title': 'title',
  link: 'link',
  guid: 'guid',
  id: 'id',
  'dc:identifier': 'dc:identifier',
  description: 'content',
  'dc:description': 'content',
  abstract: 'summary',
  summary: 'summary',
  content: 'content',
  'content:encoded': 'content:encoded',
  pubdate: 'pubDate',
  published: 'published',
  updated: 'updated',
  issued: 'issued',
  modified: 'modified',
  created: 'created',
  'dc:date': 'date',
  'dcterms:issued': 'issued',
  'dcterms:modified': 'modified',
  'dcterms:created': 'created',
};

/** Raw date fields, in the order normalise-feed.ts prefers them. */
const DATE_FIELDS = ['pubDate', 'published', 'updated', 'issued', 'modified', 'created', 'date'];

interface Open {
  /** Lowercased key: local name for the feed's own elements, `prefix:local` for extensions. */
  readonly key: string;
  /** Prefix bindings this element declares, if any. */
  readonly scope?: ReadonlyMap<string, string>;
}

/** A field being read: its text, and whether markup inside it is kept as text. */
interface Capture {
  readonly target: Record<string, unknown>;
  readonly field: string;
  readonly depth: number;
  readonly attributes?: Record<string, string>;
  text: string;
}

const attribute = (attributes: Record<string, string>, name: string): string | undefined => {
  const direct = attributes[name];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(attributes)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
};

const defaultPause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Milliseconds of an item's first parseable date, or -Infinity. */
const itemTime = (item: RawItem): number => {
  for (const field of DATE_FIELDS) {
    const value = item[field];
    if (typeof value !== 'string' || value === '') continue;
    const ms = Date.parse(value.trim());
    if (!Number.isNaN(ms)) return ms;
  }
  return Number.NEGATIVE_INFINITY;
};

interface Pooled {
  readonly item: RawItem;
  readonly index: number;
  readonly time: number;
}

/** The newest `keep` of `pool`, newest first (document order among equal dates). */
const newest = (pool: Pooled[], keep: number): Pooled[] =>
  [...pool].sort((a, b) => b.time - a.time || a.index - b.index).slice(0, keep);

/**
 * Reads feed XML to its title, link and items (raw: the fields normalise-feed.ts reads).
 * @throws FeedError for an unknown root, too deep nesting or refused entities; the tokenizer's
 * Error for XML that is not well-formed; `abortReason()` when `signal` is aborted
 */
export const readFeedXml = async (
  text: string,
  url: string,
  options: ReadFeedOptions
): Promise<RawFeed> => {
  const maxItems = Math.max(1, options.maxItems);
  const pause = options.pause ?? defaultPause;
  const parser = sax.parser(true, { trim: false, normalize: false, position: false });

  const stack: Open[] = [];
  const feed: { title?: string; link?: string } = {};
  let format: Format | undefined;
  /** The element whose children are the feed's title and link. */
  let feedDepth = -1;
  let item: RawItem | undefined;
  let itemDepth = -1;
  let pool: Pooled[] = [];
  let itemsSeen = 0;
  let capture: Capture | undefined;
  /** The root element's prefix (`<atom:feed>`): its elements are the feed's own, bound or not. */
  let rootPrefix: string | undefined;

  const resolve = (prefix: string): string | undefined => {
    if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const bound = stack[i]?.scope?.get(prefix);
      if (bound !== undefined) return bound;
    }
    return undefined;
  };

  const keyOf = (name: string, scope: ReadonlyMap<string, string> | undefined): string => {
    const colon = name.indexOf(':');
    if (colon === -1) return name.toLowerCase();
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1).toLowerCase();
    const uri = scope?.get(prefix) ?? resolve(prefix);
    if ((uri !== undefined && FEED_NAMESPACES.has(uri)) || prefix === rootPrefix) return local;
    const known = uri !== undefined ? EXTENSION_PREFIXES[uri] : undefined;
    return `${known ?? prefix.toLowerCase()}:${local}`;
  };

  /** A link element's candidate href: alternate (or no rel) links only. */
  const linkHref = (attributes: Record<string, string>): string | undefined => {
    const rel = attribute(attributes, 'rel')?.trim().toLowerCase();
    if (rel !== undefined && rel !== '' && rel !== 'alternate') return undefined;
    return attribute(attributes, 'href');
  };

  const finishCapture = (done: Capture) => {
    const { target, field, attributes } = done;
    if (target[field] !== undefined) return;
    if (field === 'link') {
      const href = attributes ? linkHref(attributes) : undefined;
      const rel = attributes ? attribute(attributes, 'rel')?.trim().toLowerCase() : undefined;
      if (href !== undefined) target.link = href.trim();
      else if (!rel || rel === 'alternate') {
        const value = done.text.trim();
        if (value !== '') target.link = value;
      }
      return;
    }
    if (field === 'guid') {
      const isPermaLink = attributes ? attribute(attributes, 'isPermaLink') : undefined;
      target.guid = isPermaLink !== undefined ? { _: done.text, $: { isPermaLink } } : done.text;
      return;
    }
    target[field] = done.text;
  };

  const keep = (done: RawItem) => {
    pool.push({ item: done, index: itemsSeen, time: itemTime(done) });
    itemsSeen += 1;
    if (pool.length >= 2 * maxItems) pool = newest(pool, maxItems);
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
    if (depth === 0 && node.name.includes(':'))
      rootPrefix = node.name.slice(0, node.name.indexOf(':'));
    const key = keyOf(node.name, scope);
    stack.push(scope ? { key, scope } : { key });
    if (depth >= MAX_DEPTH) {
      throw new FeedError(url, `not a usable feed: elements nested too deeply in ${url}`);
    }

    if (capture) {
      // Markup inside a field (xhtml titles, unescaped HTML): kept as tags, cleanText strips them.
      if (capture.text.length < MAX_FIELD_CHARS) capture.text += `<${node.name}>`;
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
      if (format === 'atom' || format === 'cdf') {
        feedDepth = 0;
        if (format === 'cdf') {
          const href = attribute(attributes, 'href');
          if (href) feed.link = href.trim();
        }
      }
      return;
    }

    if (item === undefined && (key === 'item' || key === 'entry')) {
      item = {};
      itemDepth = depth;
      const about = attribute(attributes, 'rdf:about');
      if (about !== undefined) item['rdf:about'] = about;
      if (format === 'cdf') {
        const href = attribute(attributes, 'href');
        const lastmod = attribute(attributes, 'lastmod');
        if (href) item.link = href.trim();
        if (lastmod) item.updated = lastmod;
      }
      return;
    }

    if (item !== undefined) {
      if (depth !== itemDepth + 1) return;
      const field = ITEM_FIELDS[key];
      if (field === undefined || item[field] !== undefined) return;
      if (field === 'link' && attribute(attributes, 'href') !== undefined) {
        const href = linkHref(attributes);
        if (href !== undefined) item.link = href.trim();
        return;
      }
      capture = { target: item, field, depth, attributes, text: '' };
      return;
    }

    if (feedDepth === -1 && key === 'channel' && depth === 1) {
      feedDepth = depth;
      return;
    }
    if (depth === feedDepth + 1 && (key === 'title' || key === 'link')) {
      if (feed[key] !== undefined) return;
      if (key === 'link' && attribute(attributes, 'href') !== undefined) {
        const href = linkHref(attributes);
        if (href !== undefined) feed.link = href.trim();
        return;
      }
      capture = { target: feed, field: key, depth, attributes, text: '' };
    }
  };

  const onText = (value: string) => {
    if (capture && capture.text.length < MAX_FIELD_CHARS) {
      capture.text += value.length > MAX_FIELD_CHARS ? value.slice(0, MAX_FIELD_CHARS) : value;
    }
  };
  parser.ontext = onText;
  parser.oncdata = onText;

  parser.onclosetag = (name) => {
    const depth = stack.length - 1;
    stack.pop();
    if (capture) {
      if (depth > capture.depth) {
        if (capture.text.length < MAX_FIELD_CHARS) capture.text += `</${name}>`;
        return;
      }
      finishCapture(capture);
      capture = undefined;
      return;
    }
    if (item !== undefined && depth === itemDepth) {
      keep(item);
      item = undefined;
      itemDepth = -1;
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

  const kept = itemsSeen > maxItems ? newest(pool, maxItems) : pool;
  const items = kept.map((p) => p.item);
  return {
    ...(feed.title !== undefined ? { title: feed.title } : {}),
    ...(feed.link !== undefined ? { link: feed.link } : {}),
    items,
    itemsSeen,
  };
};
