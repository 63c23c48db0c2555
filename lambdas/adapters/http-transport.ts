/**
 * One HTTP GET over node:http(s), connected only to addresses resolved and checked beforehand:
 * the request's `lookup` answers with exactly those, so Node never resolves the name again and a
 * DNS answer that changes between the check and the connection (rebinding) changes nothing. The
 * body is decompressed (gzip, deflate, br). Redirects, the byte cap and the timeout are the feed
 * fetcher's.
 */

import type { LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export interface HopRequest {
  /** Without credentials (the fetcher sends them as a header). */
  readonly url: URL;
  /** Where to connect: the host's addresses, already checked. */
  readonly addresses: readonly LookupAddress[];
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface HopResponse {
  readonly status: number;
  /** The reason phrase as the server sent it (remote text: clean it before showing it). */
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  /** The body, decompressed. Read it, or discard it. */
  body(): AsyncIterable<Uint8Array>;
  /** Drops the body unread (the connection is kept when the body is already in). */
  discard(): void;
}

/** Sends one request and resolves with the response head; the body is read after. */
export type Transport = (request: HopRequest) => Promise<HopResponse>;

/** A lookup that answers with the given addresses only. */
const pinnedLookup =
  (addresses: readonly LookupAddress[]): LookupFunction =>
  (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family ? addresses.filter((a) => a.family === family) : addresses;
    const first = usable[0];
    if (!first) {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      });
      callback(err, '', 0);
    } else if (options.all) callback(null, [...usable]);
    else callback(null, first.address, first.family);
  };

// As browsers and fetch do: a body cut short or with trailing bytes still gives what came.
const decoders: Readonly<Record<string, () => Transform>> = {
  gzip: () => createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }),
  'x-gzip': () =>
    createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }),
  deflate: () =>
    createInflate({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }),
  br: () =>
    createBrotliDecompress({
      flush: constants.BROTLI_OPERATION_FLUSH,
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
    }),
};

const ignore = () => undefined;

/** The body decompressed as Content-Encoding says; as it came when a coding is unknown. */
const decoded = (res: IncomingMessage): Readable => {
  const codings = (res.headers['content-encoding'] ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.some((c) => !decoders[c])) return res;
  let body: Readable = res;
  // Applied in order, so undone last first.
  for (const coding of codings.reverse()) {
    const decoder = decoders[coding];
    if (decoder) body = pipeline(body, decoder(), ignore);
  }
  return body;
};

const responseOf = (res: IncomingMessage): HopResponse => {
  // Errors reach whoever reads the body; one nobody reads must not crash the process.
  res.on('error', ignore);
  return {
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    headers: {
      get: (name) => {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: () => decoded(res),
    discard: () => {
      if (res.complete) res.resume();
      else res.destroy();
    },
  };
};

/** A transport over node:http(s) with its own keep-alive connection pools. */
export const nodeTransport = (): Transport => {
  // As Node's global agent: idle connections kept 5 s at most (less when the server says so).
  const pool = { keepAlive: true, scheduling: 'lifo', timeout: 5000 } as const;
  const agents = { http: new HttpAgent(pool), https: new HttpsAgent(pool) };
  return ({ url, addresses, headers, signal }) =>
    new Promise((resolve, reject) => {
      const https = url.protocol === 'https:';
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          agent: https ? agents.https : agents.http,
          headers,
          signal,
          lookup: pinnedLookup(addresses),
        },
        (res) => resolve(responseOf(res))
      );
      req.on('error', reject);
      req.end();
    });
};
