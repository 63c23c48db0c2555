/**
 * A loopback HTTP server for tests, demos and benchmarks that serves feeds the way real servers
 * do (and the way bad ones do).
 *
 *   const server = await startFeedServer({ routes: { '/a.xml': { body: xml } } });
 *   await fetch(server.url('/a.xml'));             // 200 with ETag and Last-Modified
 *   // same request with If-None-Match or If-Modified-Since -> 304, no body
 *   server.route('/slow.xml', { body: xml, drip: { bytes: 1, intervalMs: 1000 } });
 *   server.requests('/a.xml');                      // how many requests that path got
 *   await server.stop();                            // or stopFeedServer(server)
 *
 * Listens on 127.0.0.1, port 0 (a free port). Unknown paths answer 404.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';

export interface FeedRoute {
  /** The response body. @default '' */
  readonly body?: string | Uint8Array;
  /** @default 'application/rss+xml; charset=utf-8' */
  readonly contentType?: string;
  /** @default 200 */
  readonly status?: number;
  /** ETag sent and matched against If-None-Match. @default a hash of the body; false: none */
  readonly etag?: string | false;
  /** Last-Modified sent and compared with If-Modified-Since. @default 'Fri, 29 Nov 2024 12:00:00 GMT'; false: none */
  readonly lastModified?: string | false;
  /** Delay before the response starts, in ms. @default the server's latencyMs */
  readonly latencyMs?: number;
  /** Compress the body with gzip (Content-Encoding: gzip). */
  readonly gzip?: boolean;
  /** Send the body slowly: `bytes` every `intervalMs`. */
  readonly drip?: { readonly bytes: number; readonly intervalMs: number };
  /** Redirect to this path or absolute URL, with `status` (@default 302). */
  readonly redirectTo?: string;
  /** Leave out Content-Length (chunked transfer encoding). */
  readonly chunked?: boolean;
  /** Instead of `body`, stream this many bytes of `fill` (for byte caps and gzip bombs). */
  readonly generate?: { readonly bytes: number; readonly fill?: string };
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestRecord {
  readonly path: string;
  readonly status: number;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly userAgent?: string;
  readonly acceptEncoding?: string;
  readonly authorization?: string;
}

export interface FeedServer {
  /** e.g. 'http://127.0.0.1:41234' */
  readonly origin: string;
  /** The absolute URL of a path on this server. */
  url(path: string): string;
  /** Adds or replaces what a path serves. */
  route(path: string, route: FeedRoute): void;
  /** Requests received (for one path, or all), including 304s and redirects. */
  requests(path?: string): number;
  /** Every request received, in order. */
  readonly log: readonly RequestRecord[];
  /** Forgets the request log and counts. */
  resetCounts(): void;
  /** Closes the server and every open connection (slow drips included). */
  stop(): Promise<void>;
}

export interface FeedServerOptions {
  readonly routes?: Readonly<Record<string, FeedRoute>>;
  /** Delay before every response, in ms. @default 0 */
  readonly latencyMs?: number;
}

export const DEFAULT_LAST_MODIFIED = 'Fri, 29 Nov 2024 12:00:00 GMT';

interface PreparedRoute {
  readonly route: FeedRoute;
  readonly body: Buffer;
  readonly gzipped?: Buffer;
  readonly etag?: string;
  readonly lastModified?: string;
}

const prepare = (route: FeedRoute): PreparedRoute => {
  const body = Buffer.from(route.body ?? '');
  const etag =
    route.etag === false
      ? undefined
      : (route.etag ?? `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`);
  const lastModified =
    route.lastModified === false ? undefined : (route.lastModified ?? DEFAULT_LAST_MODIFIED);
  return {
    route,
    body,
    ...(route.gzip && !route.generate ? { gzipped: gzipSync(body) } : {}),
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const notModified = (req: IncomingMessage, prepared: PreparedRoute): boolean => {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return prepared.etag !== undefined && inm.split(/\s*,\s*/).includes(prepared.etag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined && prepared.lastModified !== undefined) {
    const since = Date.parse(ims);
    const modified = Date.parse(prepared.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
};

/** A stream of `bytes` bytes made of `fill` repeated, produced lazily. */
const generated = (bytes: number, fill: string): Readable => {
  const unit = Buffer.from(fill.length > 0 ? fill : 'x');
  const block = Buffer.alloc(64 * 1024, unit);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, block.length);
      left -= n;
      this.push(block.subarray(0, n));
    },
  });
};

/** A stream that sends `body` a few bytes at a time. */
const dripped = (body: Buffer, bytes: number, intervalMs: number): Readable => {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= body.length) {
        this.push(null);
        return;
      }
      setTimeout(() => {
        const chunk = body.subarray(offset, offset + bytes);
        offset += chunk.length;
        this.push(chunk);
      }, intervalMs);
    },
  });
};

/** Starts the server on 127.0.0.1 with a free port. */
export const startFeedServer = async (options: FeedServerOptions = {}): Promise<FeedServer> => {
  const routes = new Map<string, PreparedRoute>();
  for (const [path, route] of Object.entries(options.routes ?? {}))
    routes.set(path, prepare(route));
  let log: RequestRecord[] = [];
  const counts = new Map<string, number>();
  let origin = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const prepared = routes.get(path);
    const record = (status: number) => {
      log.push({
        path,
        status,
        ...(req.headers['if-none-match'] ? { ifNoneMatch: req.headers['if-none-match'] } : {}),
        ...(req.headers['if-modified-since']
          ? { ifModifiedSince: req.headers['if-modified-since'] }
          : {}),
        ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(req.headers['accept-encoding']
          ? { acceptEncoding: String(req.headers['accept-encoding']) }
          : {}),
      });
      counts.set(path, (counts.get(path) ?? 0) + 1);
    };
    const latency = prepared?.route.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) await sleep(latency);
    if (!prepared) {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const { route } = prepared;
    if (route.redirectTo !== undefined) {
      const status = route.status ?? 302;
      record(status);
      const location = /^https?:/.test(route.redirectTo)
        ? route.redirectTo
        : `${origin}${route.redirectTo}`;
      res.writeHead(status, { location, 'content-length': '0' }).end();
      return;
    }
    const validators: Record<string, string> = {
      ...(prepared.etag ? { etag: prepared.etag } : {}),
      ...(prepared.lastModified ? { 'last-modified': prepared.lastModified } : {}),
    };
    if (notModified(req, prepared)) {
      record(304);
      // A 304 repeats the caching headers a 200 would carry (RFC 9110, 15.4.5).
      const caching = Object.fromEntries(
        Object.entries(route.headers ?? {}).filter(([name]) =>
          ['cache-control', 'expires', 'retry-after'].includes(name.toLowerCase())
        )
      );
      res.writeHead(304, { ...validators, ...caching }).end();
      return;
    }
    const status = route.status ?? 200;
    record(status);
    const headers: Record<string, string> = {
      'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
      ...validators,
      ...(route.gzip ? { 'content-encoding': 'gzip' } : {}),
      ...route.headers,
    };
    let source: Readable;
    if (route.generate) {
      const raw = generated(route.generate.bytes, route.generate.fill ?? ' ');
      if (!route.gzip && !route.chunked) headers['content-length'] = String(route.generate.bytes);
      source = route.gzip ? raw.pipe(createGzip()) : raw;
    } else {
      const payload = prepared.gzipped ?? prepared.body;
      if (!route.chunked) headers['content-length'] = String(payload.length);
      source = route.drip
        ? dripped(payload, route.drip.bytes, route.drip.intervalMs)
        : Readable.from([payload]);
    }
    res.writeHead(status, headers);
    await pipeline(source, res).catch(() => undefined); // the client may hang up early
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route: (path, route) => {
      routes.set(path, prepare(route));
    },
    requests: (path) => (path === undefined ? log.length : (counts.get(path) ?? 0)),
    get log() {
      return log;
    },
    resetCounts: () => {
      log = [];
      counts.clear();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
};

/** Stops a server started with startFeedServer. */
export const stopFeedServer = (server: FeedServer): Promise<void> => server.stop();
