import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_USER_AGENT,
  HttpFeedFetcher,
  type HttpFeedFetcherOptions,
} from '../../../lambdas/adapters/http-feed-fetcher.ts';
import {
  type HopRequest,
  type HopResponse,
  nodeTransport,
  type Transport,
} from '../../../lambdas/adapters/http-transport.ts';
import { parseFeed } from '../../../lambdas/core/feeds/parse-feed.ts';
import { type FeedServer, startFeedServer } from '../../helpers/feed-server.ts';
import { failure, okText } from '../../helpers/fetch-results.ts';

const fixturePath = (name: string): string =>
  new URL(`../../fixtures/feeds/${name}`, import.meta.url).pathname;
const fixtureBytes = (name: string): Buffer => readFileSync(fixturePath(name));
const fixtureText = (name: string): string => fixtureBytes(name).toString('utf8');

const NOW = new Date('2024-11-30T00:00:00Z');

/** The test servers listen on 127.0.0.1: allowed here, refused by default (see below). */
const loopbackFetcher = (options: HttpFeedFetcherOptions = {}) =>
  new HttpFeedFetcher({ allowPrivate: true, ...options });

describe('Class: HttpFeedFetcher', () => {
  let server: FeedServer;

  beforeAll(async () => {
    server = await startFeedServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.resetCounts();
  });

  describe('conditional GET', () => {
    it('gets 200 with validators, then 304 unchanged, and an unchanged feed is not parsed', async () => {
      // Prepare
      server.route('/worthy.xml', { body: fixtureText('worthy-news.rss.xml') });
      const fetcher = loopbackFetcher();
      let parses = 0;
      const poll = async (validators: { etag?: string; lastModified?: string }) => {
        const result = await fetcher.fetch(server.url('/worthy.xml'), validators);
        if (result.status === 'ok') {
          parses += 1;
          await parseFeed(result.text, { url: server.url('/worthy.xml') }, NOW);
        }
        return result;
      };

      // Act
      const first = await poll({});
      const second = await poll(first.validators);

      // Assess
      expect(first.status).toBe('ok');
      expect(first.validators.etag).toMatch(/^"[0-9a-f]{16}"$/);
      expect(first.validators.lastModified).toBe('Fri, 29 Nov 2024 12:00:00 GMT');
      expect(second).toEqual({ status: 'unchanged', validators: first.validators });
      expect(parses).toBe(1);
      expect(server.log.map((r) => r.status)).toEqual([200, 304]);
      expect(server.log[1]).toMatchObject({
        ifNoneMatch: first.validators.etag,
        ifModifiedSince: 'Fri, 29 Nov 2024 12:00:00 GMT',
      });
    });

    it('uses If-Modified-Since alone when the server sends no ETag', async () => {
      // Prepare
      server.route('/lm.xml', { body: fixtureText('rss-1.0-rdf.xml'), etag: false });
      const fetcher = loopbackFetcher();

      // Act
      const first = await fetcher.fetch(server.url('/lm.xml'), {});
      const second = await fetcher.fetch(server.url('/lm.xml'), first.validators);

      // Assess
      expect(first.validators).toEqual({ lastModified: 'Fri, 29 Nov 2024 12:00:00 GMT' });
      expect(second.status).toBe('unchanged');
    });

    it('gets the new body when the feed changed since', async () => {
      // Prepare
      server.route('/changing.xml', { body: fixtureText('rss-1.0-rdf.xml') });
      const fetcher = loopbackFetcher();
      const first = await fetcher.fetch(server.url('/changing.xml'), {});
      server.route('/changing.xml', {
        body: fixtureText('worthy-news.rss.xml'),
        lastModified: 'Fri, 29 Nov 2024 16:00:00 GMT',
      });

      // Act
      const second = await fetcher.fetch(server.url('/changing.xml'), first.validators);

      // Assess
      expect(okText(second)).toContain('Worthy News');
      expect(second.validators.etag).not.toBe(first.validators.etag);
    });

    it('sends a descriptive User-Agent and accepts compressed responses', async () => {
      // Prepare
      server.route('/ua.xml', { body: '<rss version="2.0"><channel/></rss>' });

      // Act
      await loopbackFetcher().fetch(server.url('/ua.xml'), {});

      // Assess
      expect(server.log[0]?.userAgent).toBe(DEFAULT_USER_AGENT);
      expect(DEFAULT_USER_AGENT).toMatch(/^newsalert\/[\d.]+ \(\+https:\/\//);
      expect(server.log[0]?.acceptEncoding).toMatch(/gzip/);
    });
  });

  describe('compression', () => {
    it('decompresses gzip, deflate and brotli and counts decompressed bytes', async () => {
      // Prepare
      const xml = fixtureText('second-outlet.atom.xml');
      server.route('/gzip.xml', { body: xml, gzip: true });
      server.route('/deflate.xml', {
        body: deflateSync(Buffer.from(xml)),
        headers: { 'content-encoding': 'deflate' },
      });
      server.route('/br.xml', {
        body: brotliCompressSync(Buffer.from(xml)),
        headers: { 'content-encoding': 'br' },
      });
      const fetcher = loopbackFetcher();

      // Act
      const results = await Promise.all(
        ['/gzip.xml', '/deflate.xml', '/br.xml'].map((p) => fetcher.fetch(server.url(p), {}))
      );

      // Assess
      for (const result of results) {
        expect(okText(result)).toBe(xml);
        expect(result.status === 'ok' && result.bytes).toBe(Buffer.byteLength(xml));
      }
    });

    it('stops a gzip bomb at the byte cap', async () => {
      // Prepare
      server.route('/bomb.xml', {
        generate: { bytes: 1024 * 1024 * 1024, fill: '\0' },
        gzip: true,
      });
      const fetcher = loopbackFetcher({ maxBytes: 1024 * 1024 });
      const started = performance.now();

      // Act
      const err = await failure(fetcher.fetch(server.url('/bomb.xml'), {}));

      // Assess
      expect(err.message).toBe(
        `response over 1 MiB from ${server.url('/bomb.xml')}: not fetched in full; raise the byte cap if this feed is really that large`
      );
      expect(performance.now() - started).toBeLessThan(5000);
    });
  });

  describe('byte cap', () => {
    it('rejects early when Content-Length is over the cap', async () => {
      // Prepare
      server.route('/huge.xml', { generate: { bytes: 50 * 1024 * 1024 } });
      const fetcher = loopbackFetcher({ maxBytes: 1024 * 1024 });

      // Act
      const err = await failure(fetcher.fetch(server.url('/huge.xml'), {}));

      // Assess
      expect(err.url).toBe(server.url('/huge.xml'));
      expect(err.message).toMatch(/^response over 1 MiB \(52428800 bytes declared\) from /);
    });

    it('stops reading a chunked response without Content-Length at the cap', async () => {
      // Prepare
      server.route('/chunked.xml', { generate: { bytes: 50 * 1024 * 1024 }, chunked: true });
      const fetcher = loopbackFetcher({ maxBytes: 1024 * 1024 });

      // Act
      const err = await failure(fetcher.fetch(server.url('/chunked.xml'), {}));

      // Assess
      expect(err.message).toMatch(/^response over 1 MiB from /);
    });

    it('stops an endless stream at the cap', async () => {
      // Prepare: a raw server that never stops sending.
      const liar = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('x'.repeat(4096));
        const timer = setInterval(() => res.write('x'.repeat(64 * 1024)), 5);
        res.on('close', () => clearInterval(timer));
      });
      await new Promise<void>((done) => liar.listen(0, '127.0.0.1', done));
      const url = `http://127.0.0.1:${(liar.address() as AddressInfo).port}/feed`;

      // Act
      const err = await failure(loopbackFetcher({ maxBytes: 256 * 1024 }).fetch(url, {}));
      liar.closeAllConnections();
      liar.close();

      // Assess
      expect(err.message).toMatch(/^response over 256 KiB from /);
    });

    it('accepts a body of exactly the cap', async () => {
      // Prepare
      server.route('/exact.xml', { generate: { bytes: 4096 } });

      // Act
      const result = await loopbackFetcher({ maxBytes: 4096 }).fetch(server.url('/exact.xml'), {});

      // Assess
      expect(result.status === 'ok' && result.bytes).toBe(4096);
    });
  });

  describe('timeout', () => {
    it('fails a server that sends a byte a second at the timeout, body read included', async () => {
      // Prepare
      server.route('/drip.xml', {
        body: fixtureText('worthy-news.rss.xml'),
        drip: { bytes: 1, intervalMs: 1000 },
      });
      const fetcher = loopbackFetcher({ timeoutMs: 1500 });
      const started = performance.now();

      // Act
      const err = await failure(fetcher.fetch(server.url('/drip.xml'), {}));
      const elapsed = performance.now() - started;

      // Assess
      expect(err.message).toBe(`timed out after 1.5 s fetching ${server.url('/drip.xml')}`);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(3000);
    });

    it('fails a server that never answers', async () => {
      // Prepare
      server.route('/silent.xml', { body: 'x', latencyMs: 10_000 });

      // Act
      const err = await failure(
        loopbackFetcher({ timeoutMs: 300 }).fetch(server.url('/silent.xml'), {})
      );

      // Assess
      expect(err.message).toBe(`timed out after 0.3 s fetching ${server.url('/silent.xml')}`);
    });
  });

  describe('redirects', () => {
    it('follows up to 5 redirects, relative and absolute', async () => {
      // Prepare
      server.route('/feed.xml', { body: fixtureText('rss-1.0-rdf.xml') });
      server.route('/r1', { redirectTo: '/r2', status: 301 });
      server.route('/r2', { redirectTo: server.url('/r3'), status: 302 });
      server.route('/r3', { redirectTo: '/r4', status: 307 });
      server.route('/r4', { redirectTo: '/r5', status: 308 });
      server.route('/r5', { redirectTo: '/feed.xml', status: 303 });

      // Act
      const result = await loopbackFetcher().fetch(server.url('/r1'), {});

      // Assess
      expect(okText(result)).toContain('Slash News');
      expect(server.requests()).toBe(6);
    });

    it('fails after more than 5 redirects', async () => {
      // Prepare
      for (let i = 0; i < 7; i += 1) server.route(`/hop${i}`, { redirectTo: `/hop${i + 1}` });
      server.route('/hop7', { body: fixtureText('rss-1.0-rdf.xml') });

      // Act
      const err = await failure(loopbackFetcher().fetch(server.url('/hop0'), {}));

      // Assess
      expect(err.message).toBe(
        `too many redirects (more than 5) from ${server.url('/hop0')}, last to ${server.url('/hop6')}`
      );
      expect(server.requests()).toBe(6);
    });

    it('detects a redirect loop', async () => {
      // Prepare
      server.route('/loop-a', { redirectTo: '/loop-b' });
      server.route('/loop-b', { redirectTo: '/loop-a' });

      // Act
      const err = await failure(loopbackFetcher().fetch(server.url('/loop-a'), {}));

      // Assess
      expect(err.message).toBe(
        `redirect loop at ${server.url('/loop-a')} from ${server.url('/loop-a')}`
      );
      expect(server.requests()).toBe(2);
    });

    it('refuses a redirect to a non-http(s) URL', async () => {
      // Prepare
      server.route('/to-file', { redirectTo: 'file:///etc/passwd' });
      server.route('/to-file', {
        status: 302,
        headers: { location: 'file:///etc/passwd' },
        body: '',
      });

      // Act
      const err = await failure(loopbackFetcher().fetch(server.url('/to-file'), {}));

      // Assess
      expect(err.message).toBe(
        `redirect to a non-http(s) url 'file:///etc/passwd' from ${server.url('/to-file')}`
      );
    });
  });

  describe('http errors', () => {
    it.each([
      [404, 'not found'],
      [410, 'gone'],
      [500, 'internal server error'],
      [503, 'service unavailable'],
    ])('fails with a readable reason for %i', async (status, reason) => {
      // Prepare
      server.route(`/status-${status}`, { status, body: '<html>error</html>' });

      // Act
      const err = await failure(loopbackFetcher().fetch(server.url(`/status-${status}`), {}));

      // Assess
      expect(err.message).toBe(`http ${status} ${reason} from ${server.url(`/status-${status}`)}`);
    });

    it('says when to retry a rate-limited feed', async () => {
      // Prepare
      server.route('/busy', { status: 429, body: 'slow down', headers: { 'retry-after': '120' } });

      // Act
      const err = await failure(loopbackFetcher().fetch(server.url('/busy'), {}));

      // Assess
      expect(err.message).toBe(
        `http 429 too many requests from ${server.url('/busy')} (retry after 120 s)`
      );
      expect(err).toMatchObject({ retryAfter: '120' });
    });

    it('returns Cache-Control and Retry-After with a feed and with a 304, for the schedule', async () => {
      // Prepare
      server.route('/cached.xml', {
        body: fixtureText('rss-1.0-rdf.xml'),
        headers: { 'cache-control': 'public, max-age=600', 'retry-after': '900' },
      });

      // Act
      const first = await loopbackFetcher().fetch(server.url('/cached.xml'), {});
      const second = await loopbackFetcher().fetch(server.url('/cached.xml'), first.validators);

      // Assess
      expect(first.status).toBe('ok');
      expect(first.headers).toEqual({ cacheControl: 'public, max-age=600', retryAfter: '900' });
      expect(second).toMatchObject({
        status: 'unchanged',
        headers: { cacheControl: 'public, max-age=600', retryAfter: '900' },
      });
    });

    it('sends credentials in the URL as Basic auth, and not to another origin', async () => {
      // Prepare
      const seen: (string | undefined)[] = [];
      const other = await startFeedServer();
      other.route('/feed.xml', { body: fixtureText('rss-1.0-rdf.xml') });
      const auth = createServer((req, res) => {
        seen.push(req.headers.authorization);
        if (req.url === '/private.xml') {
          res.writeHead(302, { location: other.url('/feed.xml') }).end();
        } else {
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.end(fixtureText('rss-1.0-rdf.xml'));
        }
      });
      await new Promise<void>((done) => auth.listen(0, '127.0.0.1', done));
      const port = (auth.address() as AddressInfo).port;
      const fetcher = loopbackFetcher();

      // Act
      const direct = await fetcher.fetch(`http://reader:s%40cret@127.0.0.1:${port}/feed.xml`, {});
      const redirected = await fetcher.fetch(
        `http://reader:s%40cret@127.0.0.1:${port}/private.xml`,
        {}
      );
      auth.close();
      await other.stop();

      // Assess
      expect(direct.status).toBe('ok');
      expect(redirected.status).toBe('ok');
      const basic = `Basic ${Buffer.from('reader:s@cret').toString('base64')}`;
      expect(seen).toEqual([basic, basic]);
      expect(other.log).toHaveLength(1);
      expect(other.log[0]?.authorization).toBeUndefined();
    });

    it('names the redirect target that failed', async () => {
      // Prepare
      server.route('/moved', { redirectTo: '/gone-now' });

      // Act
      const err = await failure(loopbackFetcher().fetch(server.url('/moved'), {}));

      // Assess
      expect(err.message).toBe(
        `http 404 not found from ${server.url('/gone-now')} (via ${server.url('/moved')})`
      );
    });
  });

  describe('network errors', () => {
    it('keeps a password in the URL out of messages', async () => {
      // Prepare
      server.route('/private-missing', { status: 404 });
      const url = server.url('/private-missing').replace('http://', 'http://reader:hunter2@');

      // Act
      const err = await failure(loopbackFetcher().fetch(url, {}));

      // Assess
      expect(err.url).toBe(url);
      expect(err.message).toBe(`http 404 not found from ${url.replace('hunter2', '***')}`);
    });

    it('names the URL and ECONNREFUSED when nothing listens', async () => {
      // Prepare: a port that was free a moment ago.
      const probe = createServer();
      await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
      const { port } = probe.address() as AddressInfo;
      await new Promise((done) => probe.close(done));
      const url = `http://127.0.0.1:${port}/feed.xml`;

      // Act
      const err = await failure(loopbackFetcher().fetch(url, {}));

      // Assess
      expect(err.url).toBe(url);
      expect(err.message).toBe(
        `connection refused by 127.0.0.1:${port} (ECONNREFUSED) fetching ${url}`
      );
    });

    it('names the host when DNS cannot resolve it', async () => {
      // Prepare
      const url = 'http://no-such-host.invalid/feed.xml';

      // Act
      const err = await failure(loopbackFetcher({ timeoutMs: 5000 }).fetch(url, {}));

      // Assess
      expect(err.message).toMatch(
        /^(host no-such-host\.invalid not found \(DNS (ENOTFOUND|EAI_AGAIN)\)|timed out after 5 s) fetching http:\/\/no-such-host\.invalid\/feed\.xml$/
      );
    });

    it('fails for an unsupported scheme', async () => {
      // Act
      const err = await failure(loopbackFetcher().fetch('ftp://ftp.example/feed.xml', {}));

      // Assess
      expect(err.message).toBe(
        "cannot fetch: url 'ftp://ftp.example/feed.xml' is not http(s), file:// or a path"
      );
    });
  });

  describe('charsets', () => {
    it.each([
      ['windows-1252-declared.xml', 'text/xml', '“Prices” rise – coffee now €5 at the café'],
      [
        'windows-1252-undeclared.xml',
        'application/rss+xml',
        '“Prices” rise – coffee now €5 at the café',
      ],
      [
        'windows-1252-undeclared.xml',
        'application/rss+xml; charset=windows-1252',
        '“Prices” rise – coffee now €5 at the café',
      ],
      ['latin1-declared.xml', 'application/xml', 'Grüße aus Zürich: Déjà vu am See'],
      ['latin1-declared.xml', 'application/xml; charset=utf-8', 'Grüße aus Zürich: Déjà vu am See'],
      ['utf-16-bom.xml', 'application/rss+xml', 'Αθήνα — Москва: νέα πτήση 🛫'],
      ['utf-16-bom.xml', 'application/rss+xml; charset=utf-8', 'Αθήνα — Москва: νέα πτήση 🛫'],
      ['big5-declared.xml', 'text/xml', '台北今天天氣晴朗'],
      ['big5-declared.xml', 'text/xml; charset="Big5"', '台北今天天氣晴朗'],
      ['big5-undeclared.xml', 'application/rss+xml', '台北今天天氣晴朗'],
      ['utf-8-bom.xml', 'application/rss+xml; charset=iso-8859-1', 'Ça marche — 日本語 ✓'],
      ['utf-16be-bom.xml', 'text/xml', 'Ça marche — 日本語 ✓'],
      ['windows-1251-undeclared.xml', 'text/xml', 'Москва: погода на неделю'],
    ])('decodes %s served as %s', async (name, contentType, title) => {
      // Prepare
      const path = `/charset/${name}/${encodeURIComponent(contentType)}`;
      server.route(path, { body: fixtureBytes(name), contentType });

      // Act
      const result = await loopbackFetcher().fetch(server.url(path), {});
      const items = await parseFeed(okText(result), { url: server.url(path) }, NOW);

      // Assess
      expect(items[0]?.title).toBe(title);
    });
  });

  describe('content types', () => {
    it('reads a feed served with a wrong content type, and reports an HTML page as one', async () => {
      // Prepare
      server.route('/feed-as-html', {
        body: fixtureText('rss-1.0-rdf.xml'),
        contentType: 'text/html; charset=utf-8',
      });
      server.route('/homepage', {
        body: fixtureText('html-page.html'),
        contentType: 'application/rss+xml',
      });
      const fetcher = loopbackFetcher();

      // Act
      const feed = await fetcher.fetch(server.url('/feed-as-html'), {});
      const page = await fetcher.fetch(server.url('/homepage'), {});
      const items = await parseFeed(okText(feed), { url: server.url('/feed-as-html') }, NOW);
      const err = await parseFeed(okText(page), { url: server.url('/homepage') }, NOW).catch(
        (e: unknown) => e
      );

      // Assess
      expect(items).toHaveLength(2);
      expect((err as Error).message).toMatch(/^not an RSS or Atom feed: looks like an HTML page/);
    });
  });

  describe('the test feed server', () => {
    it('adds latency, answers 404 for unknown paths and counts every request', async () => {
      // Prepare
      const slow = await startFeedServer({
        latencyMs: 100,
        routes: { '/a.xml': { body: fixtureText('rss-1.0-rdf.xml') } },
      });
      const fetcher = loopbackFetcher();

      // Act
      const started = performance.now();
      await fetcher.fetch(slow.url('/a.xml'), {});
      const elapsed = performance.now() - started;
      const missing = await failure(fetcher.fetch(slow.url('/missing.xml'), {}));
      await slow.stop();

      // Assess
      expect(elapsed).toBeGreaterThanOrEqual(95);
      expect(missing.message).toMatch(/^http 404 not found from /);
      expect(slow.requests('/a.xml')).toBe(1);
      expect(slow.requests()).toBe(2);
    });
  });

  describe('options', () => {
    it('fails fast on nonsense options', () => {
      // Act + Assess
      expect(() => new HttpFeedFetcher({ timeoutMs: 0 })).toThrow(
        /timeoutMs must be a positive number/
      );
      expect(() => new HttpFeedFetcher({ maxRedirects: -1 })).toThrow(/maxRedirects/);
    });

    it('sends each hop through the injected transport, to the addresses resolved', async () => {
      // Prepare
      const seen: HopRequest[] = [];
      const transport: Transport = async (request) => {
        seen.push(request);
        return hopResponse(200, '<rss version="2.0"><channel/></rss>', { etag: '"x"' });
      };
      const resolve = async () => [{ address: PUBLIC_ADDRESS, family: 4 }];

      // Act
      const result = await new HttpFeedFetcher({ transport, resolve }).fetch(
        'https://feeds.example/rss',
        {}
      );

      // Assess
      expect(seen.map((r) => [r.url.href, r.addresses])).toEqual([
        ['https://feeds.example/rss', [{ address: PUBLIC_ADDRESS, family: 4 }]],
      ]);
      expect(result.validators).toEqual({ etag: '"x"' });
    });
  });

  describe('remote text in messages', () => {
    /** A server on loopback that answers every request with these raw bytes. */
    const rawServer = async (response: string) => {
      const raw = createNetServer((socket) => {
        socket.once('data', () => socket.end(Buffer.from(response, 'latin1')));
      });
      await new Promise<void>((done) => raw.listen(0, '127.0.0.1', done));
      return {
        url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`,
        close: () => new Promise((done) => raw.close(done)),
      };
    };
    /** Control (C0, C1, DEL) and bidi control characters. */
    const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

    it('keeps escape sequences and control characters of a status line and headers out of the message', async () => {
      // Prepare: ESC in the reason phrase (Node passes it), C1 CSI and bidi bytes in a header
      const raw = await rawServer(
        'HTTP/1.1 599 Busy\x1b]8;;http://evil.example\x07\x1b[2J\x9b31m now\r\nRetry-After: \x9b2J\xe2\x80\xae soon\r\nContent-Length: 0\r\n\r\n'
      );

      // Act
      const err = await failure(loopbackFetcher().fetch(`${raw.url}/feed.xml`, {}));
      await raw.close();

      // Assess
      expect(err.message).not.toMatch(UNSAFE);
      expect(err.message).toBe(
        `http 599 busy]8;;http://evil.example[2j31m now from ${raw.url}/feed.xml (retry after 2Jâ® soon)`
      );
    });

    it('keeps them out of messages quoting a redirect location or a certificate', async () => {
      // Prepare: a transport handing over any text, as a future one might
      const hostile = '\u001b[2J\u009b31m\u202Egnp.exe\u2066';
      const headers = (values: Record<string, string>) => ({
        get: (name: string) => values[name] ?? null,
      });
      const transport: Transport = async ({ url }) => {
        if (url.pathname === '/tls') {
          throw Object.assign(new Error(`altnames: DNS:${hostile}`), { code: 'ERR_TLS_X' });
        }
        return {
          ...hopResponse(302, ''),
          headers: headers({ location: url.pathname === '/ftp' ? `ftp://x/${hostile}` : hostile }),
        };
      };
      const fetcher = new HttpFeedFetcher({ transport, resolve: publicResolver, maxRedirects: 0 });

      // Act
      const errors = await Promise.all(
        ['/ftp', '/loop', '/tls'].map((path) =>
          failure(fetcher.fetch(`https://feeds.example${path}`, {}))
        )
      );

      // Assess
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/^too many redirects/),
        expect.stringMatching(/^too many redirects/),
        'network error fetching https://feeds.example/tls: ERR_TLS_X altnames: DNS:[2J31mgnp.exe',
      ]);
      for (const err of errors) expect(err.message).not.toMatch(UNSAFE);
    });
  });
});

/** A public address for resolvers that stand in for DNS: no test ever connects to it. */
const PUBLIC_ADDRESS = '93.184.215.14';
const publicResolver = async () => [{ address: PUBLIC_ADDRESS, family: 4 }];

/** A response as a transport gives it, with a body read in one chunk. */
const hopResponse = (
  status: number,
  body: string,
  headers: Record<string, string> = {}
): HopResponse => ({
  status,
  statusText: '',
  headers: new Headers(headers),
  body: async function* () {
    yield Buffer.from(body);
  },
  discard: () => undefined,
});

describe('Class: HttpFeedFetcher, private addresses', () => {
  let server: FeedServer;
  /** The real transport, for hops to the loopback server: what would reach it if a check failed. */
  const real = nodeTransport();

  beforeAll(async () => {
    server = await startFeedServer({
      routes: { '/feed.xml': { body: fixtureText('rss-1.0-rdf.xml') } },
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.resetCounts();
  });

  it('refuses a feed on 127.0.0.1 by default, naming the host and the rule, and sends nothing', async () => {
    // Act
    const err = await failure(new HttpFeedFetcher().fetch(server.url('/feed.xml'), {}));

    // Assess
    expect(err.message).toBe('refused 127.0.0.1 (loopback): private addresses are not fetched');
    expect(server.requests()).toBe(0);
  });

  it('adds the hint it is given, and fetches the same feed when private addresses are allowed', async () => {
    // Act
    const refused = await failure(
      new HttpFeedFetcher({ privateHint: 'use --allow-private for a local feed' }).fetch(
        server.url('/feed.xml'),
        {}
      )
    );
    const allowed = await new HttpFeedFetcher({ allowPrivate: true }).fetch(
      server.url('/feed.xml'),
      {}
    );

    // Assess
    expect(refused.message).toBe(
      'refused 127.0.0.1 (loopback): private addresses are not fetched; use --allow-private for a local feed'
    );
    expect(allowed.status).toBe('ok');
  });

  it.each([
    ['http://[::1]/feed.xml', 'refused ::1 (loopback)'],
    ['http://[::ffff:127.0.0.1]/feed.xml', 'refused ::ffff:7f00:1 (IPv4-mapped loopback)'],
    ['http://169.254.169.254/latest/meta-data/', 'refused 169.254.169.254 (link-local)'],
    ['http://0x7f.1/feed.xml', 'refused 127.0.0.1 (loopback)'],
    ['http://2130706433/feed.xml', 'refused 127.0.0.1 (loopback)'],
    ['https://10.0.0.8/feed.xml', 'refused 10.0.0.8 (private network)'],
  ])(
    'refuses the address written in %s without resolving or sending anything',
    async (url, refusal) => {
      // Prepare
      const resolve = vi.fn(publicResolver);
      const transport = vi.fn(real);

      // Act
      const err = await failure(new HttpFeedFetcher({ resolve, transport }).fetch(url, {}));

      // Assess
      expect(err.message).toBe(`${refusal}: private addresses are not fetched`);
      expect(resolve).not.toHaveBeenCalled();
      expect(transport).not.toHaveBeenCalled();
    }
  );

  it('refuses a name that resolves to a private address, naming both', async () => {
    // Prepare
    const transport = vi.fn(real);
    const resolve = async () => [{ address: '10.1.2.3', family: 4 }];

    // Act
    const err = await failure(
      new HttpFeedFetcher({ resolve, transport }).fetch('https://intranet.example/rss', {})
    );

    // Assess
    expect(err.message).toBe(
      'refused intranet.example (10.1.2.3, private network): private addresses are not fetched'
    );
    expect(transport).not.toHaveBeenCalled();
  });

  it('refuses a redirect from a public host to 127.0.0.1, and the loopback server gets nothing', async () => {
    // Prepare: feeds.example (public) redirects to the loopback feed
    const transport = vi.fn<Transport>((request) =>
      request.url.hostname === 'feeds.example'
        ? Promise.resolve(hopResponse(302, '', { location: server.url('/feed.xml') }))
        : real(request)
    );

    // Act
    const err = await failure(
      new HttpFeedFetcher({ resolve: publicResolver, transport }).fetch(
        'https://feeds.example/rss',
        {}
      )
    );

    // Assess
    expect(err.message).toBe(
      'refused 127.0.0.1 (loopback) on the redirect from https://feeds.example/rss: private addresses are not fetched'
    );
    expect(transport).toHaveBeenCalledTimes(1);
    expect(server.requests()).toBe(0);
  });

  it('refuses a redirect to a name that resolves to the metadata service', async () => {
    // Prepare
    const resolve = async (host: string) => [
      { address: host === 'metadata.internal' ? '169.254.169.254' : PUBLIC_ADDRESS, family: 4 },
    ];
    const transport = vi.fn<Transport>(async () =>
      hopResponse(301, '', { location: 'http://metadata.internal/latest/' })
    );

    // Act
    const err = await failure(
      new HttpFeedFetcher({ resolve, transport }).fetch('https://feeds.example/rss', {})
    );

    // Assess
    expect(err.message).toMatch(
      /^refused metadata\.internal \(169\.254\.169\.254, link-local\) on the redirect from https:\/\/feeds\.example\/rss: /
    );
    expect(transport).toHaveBeenCalledTimes(1);
  });

  it('refuses DNS rebinding: a name answering a public address first and 127.0.0.1 second', async () => {
    // Prepare: rebind.example answers public, then loopback; its first hop redirects to itself
    const answers = [PUBLIC_ADDRESS, '127.0.0.1'];
    const resolve = vi.fn(async () => [{ address: answers.shift() ?? '127.0.0.1', family: 4 }]);
    const port = new URL(server.origin).port;
    const transport = vi.fn<Transport>((request) =>
      request.addresses[0]?.address === PUBLIC_ADDRESS
        ? Promise.resolve(
            hopResponse(302, '', { location: `http://rebind.example:${port}/feed.xml` })
          )
        : real(request)
    );

    // Act
    const err = await failure(
      new HttpFeedFetcher({ resolve, transport }).fetch(`http://rebind.example:${port}/rss`, {})
    );

    // Assess: one lookup per hop, each hop sent to the address checked, the second one refused
    expect(err.message).toBe(
      `refused rebind.example (127.0.0.1, loopback) on the redirect from http://rebind.example:${port}/rss: private addresses are not fetched`
    );
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(transport.mock.calls.map(([r]) => r.addresses)).toEqual([
      [{ address: PUBLIC_ADDRESS, family: 4 }],
    ]);
    expect(server.requests()).toBe(0);
  });

  it('refuses a name answering a public and a private address at once, before connecting', async () => {
    // Prepare
    const transport = vi.fn(real);
    const resolve = async () => [
      { address: PUBLIC_ADDRESS, family: 4 },
      { address: '::1', family: 6 },
    ];

    // Act
    const err = await failure(
      new HttpFeedFetcher({ resolve, transport }).fetch('https://feeds.example/rss', {})
    );

    // Assess
    expect(err.message).toBe(
      'refused feeds.example (::1, loopback): private addresses are not fetched'
    );
    expect(transport).not.toHaveBeenCalled();
  });

  it('connects to the address resolved and checked, never resolving the name again', async () => {
    // Prepare: feeds.test resolves nowhere (.test is reserved): only the pinned address can work
    const resolve = vi.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
    const url = `http://feeds.test:${new URL(server.origin).port}/feed.xml`;

    // Act
    const result = await new HttpFeedFetcher({ allowPrivate: true, resolve }).fetch(url, {});

    // Assess
    expect(okText(result)).toContain('Slash News');
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(server.requests('/feed.xml')).toBe(1);
  });
});

describe('Class: HttpFeedFetcher, files refused', () => {
  it.each(['file:///proc/self/environ', '/etc/passwd', './config/feeds.yaml'])(
    'refuses %s, naming the feed',
    async (url) => {
      // Prepare
      const fetcher = new HttpFeedFetcher();

      // Act
      const result = fetcher.fetch(url, {});

      // Assess
      await expect(result).rejects.toThrow(
        `cannot fetch ${url}: only http(s) feeds are allowed here`
      );
    }
  );
});
