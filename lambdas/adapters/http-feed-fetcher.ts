/**
 * Feeds over http(s), with Node's fetch: conditional GET, one timeout for the whole request, a
 * byte cap while streaming, at most N redirects, credentials in the URL sent as Basic auth to
 * the same origin only. Anything else (a file:// URL, a path) is refused: this is the fetcher of
 * the Lambda, whose feed list must not be able to read the function's own filesystem.
 */
import { errorMessage, FeedError } from '../core/common/errors.ts';
import { feedLocationKind } from '../core/feeds/feeds-config.ts';
import type { FeedFetcher, FetchResult, Validators } from '../ports.ts';
import { decodeFeedBytes } from './feed-charset.ts';
import { maxBytesOption, redactUrl, tooLargeError } from './feed-fetch-limits.ts';

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
}

export const DEFAULT_TIMEOUT_MS = 15_000;
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

const formatSeconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;

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

/**
 * Fetches feeds over http(s); refuses file:// URLs and paths.
 * Every failure is a FeedError naming the URL and the cause.
 */
export class HttpFeedFetcher implements FeedFetcher {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: HttpFeedFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.fetchImpl = options.fetchImpl ?? globalThis.fetch;
    if (!(this.timeoutMs > 0)) {
      throw new Error(`timeoutMs must be a positive number, got ${options.timeoutMs}`);
    }
    this.maxBytes = maxBytesOption(options.maxBytes);
    if (!(Number.isInteger(this.maxRedirects) && this.maxRedirects >= 0)) {
      throw new Error(`maxRedirects must be a whole number >= 0, got ${options.maxRedirects}`);
    }
  }

  async fetch(url: string, validators: Validators = {}): Promise<FetchResult> {
    const kind = feedLocationKind(url);
    if (typeof kind === 'object') throw new FeedError(url, `cannot fetch: ${kind.reason}`);
    if (kind !== 'http') {
      throw new FeedError(url, `cannot fetch ${url}: only http(s) feeds are allowed here`);
    }
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
          throw tooLargeError(url, this.maxBytes, declared);
        }
        const bytes = await readCapped(response.body, this.maxBytes, () =>
          tooLargeError(url, this.maxBytes)
        );
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
}
