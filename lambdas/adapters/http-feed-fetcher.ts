/**
 * Feeds over http(s): conditional GET, one timeout for the whole request, a byte cap while
 * streaming, at most N redirects, credentials in the URL sent as Basic auth to the same origin
 * only. Every hop's host is resolved once and connected to at the addresses checked, and only
 * public addresses are fetched from unless private ones are allowed (public-address.ts). Anything
 * else (a file:// URL, a path) is refused: this is the fetcher of the Lambda, whose feed list must
 * not be able to read the function's own filesystem or reach its network.
 */
import { errorMessage, FeedError } from '../core/common/errors.ts';
import { redactUrl } from '../core/common/links.ts';
import { oneLine, truncate } from '../core/common/plain-text.ts';
import { feedLocationKind } from '../core/feeds/feeds-config.ts';
import type { FeedFetcher, FetchResult, PollHeaders, Validators } from '../ports.ts';
import { decodeFeedBytes } from './feed-charset.ts';
import { maxBytesOption, tooLargeError } from './feed-fetch-limits.ts';
import { type HopResponse, nodeTransport, type Transport } from './http-transport.ts';
import { addressesOf, firstRefused, type Resolver, systemResolver } from './public-address.ts';

export interface HttpFeedFetcherOptions {
  /** Whole request, body included, in milliseconds. @default 15000 */
  readonly timeoutMs?: number;
  /** Largest body accepted, counted after decompression. @default 5 MiB */
  readonly maxBytes?: number;
  /** Redirects followed. @default 5 */
  readonly maxRedirects?: number;
  /** @default 'newsalert/0.1 (+https://github.com/newsalert/newsalert)' */
  readonly userAgent?: string;
  /**
   * Fetch from loopback, private, link-local and other non-public addresses too (a feed served on
   * this machine or the local network). Never for the Lambda. @default false
   */
  readonly allowPrivate?: boolean;
  /** Appended to the message refusing a private address (how to allow it, say). */
  readonly privateHint?: string;
  /** Resolves each hop's host once. @default the system resolver (dns.lookup) */
  readonly resolve?: Resolver;
  /** Sends each hop's request to the resolved addresses. For tests. @default node:http(s) */
  readonly transport?: Transport;
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

/** Remote text (a reason phrase, a header) for a message: one line, no control characters. */
const remoteText = (text: string): string => truncate(oneLine(text), 200);

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
      // May quote the server (a certificate's names, say).
      const detail = remoteText(errorMessage(cause));
      return `network error fetching ${original}: ${typeof code === 'string' ? `${code} ` : ''}${detail}`;
    }
  }
};

/** Reads a body up to maxBytes, dropping the rest of it beyond (leaving the loop closes it). */
const readCapped = async (
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  tooLarge: () => FeedError
): Promise<Uint8Array> => {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
};

const validatorsOf = (headers: HopResponse['headers']): Validators => {
  const etag = headers.get('etag') ?? undefined;
  const lastModified = headers.get('last-modified') ?? undefined;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
};

/** Cache-Control and Retry-After, as sent (bounded), for the schedule; {} without either. */
const pollHeadersOf = (headers: HopResponse['headers']): PollHeaders => {
  const cacheControl = headers.get('cache-control')?.slice(0, 500);
  const retryAfter = headers.get('retry-after')?.slice(0, 100);
  return { ...(cacheControl ? { cacheControl } : {}), ...(retryAfter ? { retryAfter } : {}) };
};

/** `{headers}` when the response sent any polling header, else nothing. */
const withPollHeaders = (headers: HopResponse['headers']): { headers?: PollHeaders } => {
  const poll = pollHeadersOf(headers);
  return Object.keys(poll).length > 0 ? { headers: poll } : {};
};

/** The promise, or an AbortError as soon as the signal aborts (a DNS lookup cannot be cancelled). */
const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> => {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
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
  readonly allowPrivate: boolean;
  private readonly privateHint: string;
  private readonly resolve: Resolver;
  private readonly transport: Transport;

  constructor(options: HttpFeedFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.allowPrivate = options.allowPrivate ?? false;
    this.privateHint = options.privateHint ? `; ${options.privateHint}` : '';
    this.resolve = options.resolve ?? systemResolver;
    this.transport = options.transport ?? nodeTransport();
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
        const addresses = await untilAborted(addressesOf(current.hostname, this.resolve), signal);
        const refused = this.allowPrivate ? undefined : firstRefused(addresses);
        if (refused) {
          const host = current.hostname.replace(/^\[|\]$/g, '');
          const what =
            host === refused.address
              ? `${host} (${refused.range})`
              : `${host} (${refused.address}, ${refused.range})`;
          const hop = redirects === 0 ? '' : ` on the redirect from ${redactUrl(url)}`;
          throw new FeedError(
            url,
            `refused ${what}${hop}: private addresses are not fetched${this.privateHint}`
          );
        }
        const response = await this.transport({
          url: current,
          addresses,
          signal,
          headers:
            authorization && current.origin === origin ? { ...headers, authorization } : headers,
        });
        if (REDIRECT_STATUSES.has(response.status)) {
          response.discard();
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
              `too many redirects (more than ${this.maxRedirects}) from ${redactUrl(url)}, last to ${redactUrl(remoteText(location))}`
            );
          }
          let next: URL;
          try {
            next = new URL(location, current);
          } catch {
            throw new FeedError(
              url,
              `invalid redirect location '${remoteText(location)}' from ${redactUrl(url)}`
            );
          }
          if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            throw new FeedError(
              url,
              `redirect to a non-http(s) url '${remoteText(next.href)}' from ${redactUrl(url)}`
            );
          }
          if (visited.has(next.href)) {
            throw new FeedError(
              url,
              `redirect loop at ${redactUrl(next.href)} from ${redactUrl(url)}`
            );
          }
          visited.add(next.href);
          current = next;
          continue;
        }
        if (response.status === 304) {
          response.discard();
          const fresh = validatorsOf(response.headers);
          return {
            status: 'unchanged',
            validators: { ...validators, ...fresh },
            ...withPollHeaders(response.headers),
          };
        }
        if (response.status < 200 || response.status > 299) {
          response.discard();
          const reason =
            REASONS[response.status] ?? (remoteText(response.statusText).toLowerCase() || 'error');
          const where =
            redirects === 0 ? redactUrl(url) : `${redactUrl(current.href)} (via ${redactUrl(url)})`;
          const retryAfter = remoteText(response.headers.get('retry-after') ?? '');
          const retry = retryAfter
            ? /^\d+$/.test(retryAfter)
              ? ` (retry after ${retryAfter} s)`
              : ` (retry after ${retryAfter})`
            : '';
          throw new FeedError(
            url,
            `http ${response.status} ${reason} from ${where}${retry}`,
            pollHeadersOf(response.headers)
          );
        }
        const declared = Number(response.headers.get('content-length'));
        if (!response.headers.get('content-encoding') && declared > this.maxBytes) {
          response.discard();
          throw tooLargeError(url, this.maxBytes, declared);
        }
        const bytes = await readCapped(response.body(), this.maxBytes, () =>
          tooLargeError(url, this.maxBytes)
        );
        return {
          status: 'ok',
          text: decodeFeedBytes(bytes, response.headers.get('content-type')),
          bytes: bytes.byteLength,
          validators: validatorsOf(response.headers),
          ...withPollHeaders(response.headers),
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
