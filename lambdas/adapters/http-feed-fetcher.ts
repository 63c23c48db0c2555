/**
 * The feed fetcher: http(s) with Node's fetch (conditional GET, one timeout for the whole
 * request, a byte cap while streaming, at most N redirects), and file:// URLs or local paths
 * from disk. Bodies are decoded to text with the charset from the BOM, the Content-Type header
 * or the XML declaration (the platform's TextDecoder, full ICU), falling back to Windows-1252 when "UTF-8" is not.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, FeedError } from '../core/common/errors.ts';
import { feedLocationKind } from '../core/feeds/feeds-config.ts';
import type { FeedFetcher, FetchResult, Validators } from '../ports.ts';

export interface HttpFeedFetcherOptions {
  /** Whole request, body included, in milliseconds. @default 15000 */
  readonly timeoutMs?: number;
  /** Largest body accepted, counted after decompression. @default 5 MiB */
  readonly maxBytes?: number;
  /** Redirects followed. @default 5 */
  readonly maxRedirects?: number;
  /** @default 'newsalert/0.1 (+https://github.com/newsalert/newsalert)' */
  readonly userAgent?: string;
  /** For tests. @default globalThis.fetch */
  readonly fetchImpl?: typeof fetch;
  /**
   * Read file:// URLs and local paths. Off in the Lambda: a feed list in the bucket must not be
   * able to read the function's own filesystem. @default true
   */
  readonly allowFiles?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_USER_AGENT = 'newsalert/0.1 (+https://github.com/newsalert/newsalert)';

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const REASONS: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  406: 'not acceptable',
  408: 'request timeout',
  410: 'gone',
  429: 'too many requests',
  451: 'unavailable for legal reasons',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

/** The URL for messages: a password in it is replaced by '***'. */
export const redactUrl = (url: string): string =>
  url.replace(/^(https?:\/\/[^/@:]*:)[^/@]*@/i, '$1***@');

/** 5242880 -> '5 MiB', 1500 -> '1500 bytes'. */
const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;

const formatSeconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Charset detection and decoding

const charsetFromContentType = (contentType: string | null | undefined): string | undefined => {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
};

const charsetFromBom = (bytes: Uint8Array): string | undefined => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // UTF-16 without a BOM, recognised by '<?' with zero bytes between.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) {
    return 'utf-16le';
  }
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) {
    return 'utf-16be';
  }
  return undefined;
};

const charsetFromXmlDeclaration = (bytes: Uint8Array): string | undefined => {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1]?.toLowerCase();
};

/** Legacy charsets by language, for undeclared non-UTF-8 feeds (what browsers guess too). */
const LEGACY_CHARSETS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^zh-(tw|hk|mo|hant)/, 'big5'],
  [/^zh/, 'gb18030'],
  [/^ja/, 'shift_jis'],
  [/^ko/, 'euc-kr'],
  [/^(ru|uk|be|bg|sr|mk)\b/, 'windows-1251'],
  [/^el/, 'windows-1253'],
  [/^tr/, 'windows-1254'],
  [/^(he|iw)/, 'windows-1255'],
  [/^(ar|fa|ur)/, 'windows-1256'],
  [/^(pl|cs|sk|hu|sl|hr|ro)\b/, 'windows-1250'],
  [/^(lt|lv|et)\b/, 'windows-1257'],
  [/^vi/, 'windows-1258'],
  [/^th/, 'windows-874'],
];

/** The legacy charset the feed's declared language suggests (`<language>` or `xml:lang`). */
const charsetFromLanguage = (bytes: Uint8Array): string | undefined => {
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('latin1');
  const lang = (
    /<(?:dc:)?language>\s*([A-Za-z-]+)\s*</.exec(head)?.[1] ??
    /\sxml:lang\s*=\s*["']([A-Za-z-]+)["']/.exec(head)?.[1]
  )?.toLowerCase();
  if (!lang) return undefined;
  return LEGACY_CHARSETS.find(([pattern]) => pattern.test(lang))?.[1];
};

const isUtf8 = (name: string): boolean => /^utf-?8$/i.test(name);
const isUtf16 = (name: string): boolean => /^(utf-?16|ucs-?2)/i.test(name);

/**
 * The bytes as UTF-8 when they are UTF-8: valid, or mostly valid (more well-formed non-ASCII
 * characters than broken sequences, so a stray Latin-1 byte does not garble the rest).
 */
const asUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    let broken = 0;
    let wellFormed = 0;
    for (let i = 0; i < lossy.length; i += 1) {
      const code = lossy.charCodeAt(i);
      if (code === 0xfffd) broken += 1;
      else if (code > 0x7f) wellFormed += 1;
    }
    return wellFormed > broken ? lossy : undefined;
  }
};

/**
 * Decodes a feed body. Order: a byte-order mark (unambiguous), the Content-Type charset, the
 * XML declaration, then UTF-8. A label TextDecoder does not know is skipped. When the chosen
 * charset is UTF-8 but the bytes are not (mostly) UTF-8 (a wrong declaration, common with Latin-1
 * feeds), the XML declaration's charset is used instead, else the legacy charset of the feed's
 * declared language (`zh-TW` -> Big5, `ru` -> Windows-1251...), else Windows-1252. A declared UTF-16
 * without a BOM or zero bytes is not believed (the text was transcoded by some proxy).
 */
export const decodeFeedBytes = (bytes: Uint8Array, contentType?: string | null): string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = charsetFromBom(buffer);
  const header = charsetFromContentType(contentType);
  const declared = charsetFromXmlDeclaration(buffer);
  const usable = (name: string | undefined): name is string =>
    name !== undefined && encodingExists(name) && (bom !== undefined || !isUtf16(name));
  const candidates = [bom, header, declared].filter(usable);
  let charset = candidates[0] ?? 'utf-8';
  if (isUtf8(charset)) {
    const text = asUtf8(buffer);
    if (text !== undefined) return text.replace(/^\uFEFF/, '');
    const alternative = [header, declared].find(
      (name) => usable(name) && !isUtf8(name) && !isUtf16(name)
    );
    charset = alternative ?? charsetFromLanguage(buffer) ?? 'windows-1252';
  }
  // TextDecoder strips a BOM by default.
  const decoder = new TextDecoder(charset);
  const text = decoder.decode(buffer);
  return decoder.encoding === 'windows-1252' ? fixWindows1252(text) : text;
};

/**
 * Node's TextDecoder decodes windows-1252 (and the labels WHATWG maps to it: latin1,
 * iso-8859-1, ascii) as ISO-8859-1, turning bytes 0x80-0x9F (curly quotes, dashes, the euro
 * sign) into C1 control characters. This maps them as the WHATWG windows-1252 index does.
 */
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const fixWindows1252 = (text: string): string =>
  text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c);

/** Whether the WHATWG encoding label is known (Node's full ICU knows every WHATWG encoding). */
const encodingExists = (label: string): boolean => {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------------
// HTTP

const describeNetworkError = (err: unknown, url: URL, original: string, timeoutMs: number) => {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `timed out after ${formatSeconds(timeoutMs)} fetching ${original}`;
  }
  let cause: unknown = err instanceof Error && err.cause !== undefined ? err.cause : err;
  if (cause instanceof AggregateError && cause.errors.length > 0 && !('code' in cause)) {
    cause = cause.errors[0];
  }
  const code = (cause as { code?: unknown })?.code;
  const host = url.host;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${host} (ECONNREFUSED) fetching ${original}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${url.hostname} not found (DNS ${code}) fetching ${original}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection reset by ${host} (${code}) fetching ${original}`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect to ${host} in time (${code}) fetching ${original}`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls certificate of ${host} rejected (${code}) fetching ${original}`;
    default: {
      const detail = errorMessage(cause);
      return `network error fetching ${original}: ${typeof code === 'string' ? `${code} ` : ''}${detail}`;
    }
  }
};

/** Reads a body stream up to maxBytes (+1 to detect overflow), cancelling it beyond. */
const readCapped = async (
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: () => FeedError
): Promise<Uint8Array> => {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, total);
};

const discard = async (response: Response): Promise<void> => {
  await response.body?.cancel().catch(() => undefined);
};

const validatorsOf = (headers: Headers): Validators => {
  const etag = headers.get('etag') ?? undefined;
  const lastModified = headers.get('last-modified') ?? undefined;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
};

// ---------------------------------------------------------------------------------------------
// The fetcher

/**
 * Fetches feeds over http(s), or from disk for file:// URLs and local paths.
 * Every failure is a FeedError naming the URL and the cause.
 */
export class HttpFeedFetcher implements FeedFetcher {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;
  private readonly allowFiles: boolean;

  constructor(options: HttpFeedFetcherOptions = {}) {
    this.allowFiles = options.allowFiles ?? true;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.fetchImpl = options.fetchImpl ?? globalThis.fetch;
    if (!(this.timeoutMs > 0)) {
      throw new Error(`timeoutMs must be a positive number, got ${options.timeoutMs}`);
    }
    if (!(this.maxBytes > 0)) {
      throw new Error(`maxBytes must be a positive number, got ${options.maxBytes}`);
    }
    if (!(Number.isInteger(this.maxRedirects) && this.maxRedirects >= 0)) {
      throw new Error(`maxRedirects must be a whole number >= 0, got ${options.maxRedirects}`);
    }
  }

  async fetch(url: string, validators: Validators = {}): Promise<FetchResult> {
    const kind = feedLocationKind(url);
    if (typeof kind === 'object') throw new FeedError(url, `cannot fetch: ${kind.reason}`);
    if (kind === 'http') return this.fetchHttp(url, validators);
    if (!this.allowFiles) {
      throw new FeedError(url, `cannot fetch ${url}: only http(s) feeds are allowed here`);
    }
    return this.fetchFile(url, validators);
  }

  private tooLarge(url: string, declared?: number): FeedError {
    const size = declared !== undefined ? ` (${declared} bytes declared)` : '';
    return new FeedError(
      url,
      `response over ${formatBytes(this.maxBytes)}${size} from ${redactUrl(url)}: not fetched in full; raise the byte cap if this feed is really that large`
    );
  }

  private async fetchHttp(url: string, validators: Validators): Promise<FetchResult> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
      ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
      ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
    };
    let current = new URL(url);
    // fetch refuses URLs with credentials: send them as Basic auth, to the same origin only.
    let authorization: string | undefined;
    if (current.username || current.password) {
      const user = decodeURIComponent(current.username);
      const password = decodeURIComponent(current.password);
      authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      current.username = '';
      current.password = '';
    }
    const origin = current.origin;
    const visited = new Set([current.href]);
    try {
      for (let redirects = 0; ; redirects += 1) {
        const response = await this.fetchImpl(current, {
          redirect: 'manual',
          signal,
          headers:
            authorization && current.origin === origin ? { ...headers, authorization } : headers,
        });
        if (REDIRECT_STATUSES.has(response.status)) {
          await discard(response);
          const location = response.headers.get('location');
          if (!location) {
            throw new FeedError(
              url,
              `http ${response.status} redirect without a location from ${redactUrl(url)}`
            );
          }
          if (redirects >= this.maxRedirects) {
            throw new FeedError(
              url,
              `too many redirects (more than ${this.maxRedirects}) from ${redactUrl(url)}, last to ${location}`
            );
          }
          let next: URL;
          try {
            next = new URL(location, current);
          } catch {
            throw new FeedError(
              url,
              `invalid redirect location '${location}' from ${redactUrl(url)}`
            );
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            throw new FeedError(
              url,
              `redirect to a non-http(s) url '${next.href}' from ${redactUrl(url)}`
            );
          }
          if (visited.has(next.href)) {
            throw new FeedError(url, `redirect loop at ${next.href} from ${redactUrl(url)}`);
          }
          visited.add(next.href);
          current = next;
          continue;
        }
        if (response.status === 304) {
          await discard(response);
          const fresh = validatorsOf(response.headers);
          return { status: 'unchanged', validators: { ...validators, ...fresh } };
        }
        if (response.status < 200 || response.status > 299) {
          await discard(response);
          const reason = REASONS[response.status] ?? (response.statusText.toLowerCase() || 'error');
          const where =
            redirects === 0 ? redactUrl(url) : `${current.href} (via ${redactUrl(url)})`;
          const retryAfter = response.headers.get('retry-after')?.trim();
          const retry = retryAfter
            ? /^\d+$/.test(retryAfter)
              ? ` (retry after ${retryAfter} s)`
              : ` (retry after ${retryAfter})`
            : '';
          throw new FeedError(url, `http ${response.status} ${reason} from ${where}${retry}`);
        }
        const declared = Number(response.headers.get('content-length'));
        if (!response.headers.get('content-encoding') && declared > this.maxBytes) {
          await discard(response);
          throw this.tooLarge(url, declared);
        }
        const bytes = await readCapped(response.body, this.maxBytes, () => this.tooLarge(url));
        return {
          status: 'ok',
          text: decodeFeedBytes(bytes, response.headers.get('content-type')),
          bytes: bytes.byteLength,
          validators: validatorsOf(response.headers),
        };
      }
    } catch (err) {
      if (err instanceof FeedError) throw err;
      if (signal.aborted) {
        throw new FeedError(
          url,
          `timed out after ${formatSeconds(this.timeoutMs)} fetching ${redactUrl(url)}`,
          { cause: err }
        );
      }
      throw new FeedError(url, describeNetworkError(err, current, redactUrl(url), this.timeoutMs), {
        cause: err,
      });
    }
  }

  /**
   * Reads a file:// URL or a local path (relative to the working directory). Its validators are
   * the size and modification time: when they match, the file is 'unchanged' and not read.
   */
  private async fetchFile(url: string, validators: Validators): Promise<FetchResult> {
    let path: string;
    try {
      path = url.toLowerCase().startsWith('file:') ? fileURLToPath(url) : resolve(url);
    } catch (err) {
      throw new FeedError(url, `cannot read ${url}: ${errorMessage(err)}`, { cause: err });
    }
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new FeedError(url, `cannot read ${url}: ${path} is not a file`);
      const current: Validators = {
        etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        lastModified: info.mtime.toUTCString(),
      };
      if (validators.etag === current.etag && validators.lastModified === current.lastModified) {
        return { status: 'unchanged', validators: current };
      }
      if (info.size > this.maxBytes) throw this.tooLarge(url, info.size);
      const handle = await open(path, 'r');
      try {
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
          const chunk = Buffer.alloc(64 * 1024);
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) break;
          total += bytesRead;
          if (total > this.maxBytes) throw this.tooLarge(url);
          chunks.push(chunk.subarray(0, bytesRead));
        }
        const bytes = Buffer.concat(chunks, total);
        return {
          status: 'ok',
          text: decodeFeedBytes(bytes),
          bytes: total,
          validators: current,
        };
      } finally {
        await handle.close();
      }
    } catch (err) {
      if (err instanceof FeedError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? `no such file ${path}`
          : code === 'EACCES'
            ? `permission denied reading ${path}`
            : code === 'EISDIR'
              ? `${path} is a directory`
              : errorMessage(err);
      throw new FeedError(url, `cannot read ${url}: ${reason}`, { cause: err });
    }
  }
}
