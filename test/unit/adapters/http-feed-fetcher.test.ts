import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_USER_AGENT,
  HttpFeedFetcher,
} from '../../../lambdas/adapters/http-feed-fetcher.ts';
import { parseFeed } from '../../../lambdas/core/feeds/parse-feed.ts';
import { type FeedServer, startFeedServer } from '../../helpers/feed-server.ts';
import { failure, okText } from '../../helpers/fetch-results.ts';

const fixturePath = (name: string): string =>
  new URL(`../../fixtures/feeds/${name}`, import.meta.url).pathname;
const fixtureBytes = (name: string): Buffer => readFileSync(fixturePath(name));
const fixtureText = (name: string): string => fixtureBytes(name).toString('utf8');

const NOW = new Date('2024-11-30T00:00:00Z');

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
      const fetcher = new HttpFeedFetcher();
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
      const fetcher = new HttpFeedFetcher();

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
      const fetcher = new HttpFeedFetcher();
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
      await new HttpFeedFetcher().fetch(server.url('/ua.xml'), {});

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
      const fetcher = new HttpFeedFetcher();

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
      const fetcher = new HttpFeedFetcher({ maxBytes: 1024 * 1024 });
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
      const fetcher = new HttpFeedFetcher({ maxBytes: 1024 * 1024 });

      // Act
      const err = await failure(fetcher.fetch(server.url('/huge.xml'), {}));

      // Assess
      expect(err.url).toBe(server.url('/huge.xml'));
      expect(err.message).toMatch(/^response over 1 MiB \(52428800 bytes declared\) from /);
    });

    it('stops reading a chunked response without Content-Length at the cap', async () => {
      // Prepare
      server.route('/chunked.xml', { generate: { bytes: 50 * 1024 * 1024 }, chunked: true });
      const fetcher = new HttpFeedFetcher({ maxBytes: 1024 * 1024 });

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
      const err = await failure(new HttpFeedFetcher({ maxBytes: 256 * 1024 }).fetch(url, {}));
      liar.closeAllConnections();
      liar.close();

      // Assess
      expect(err.message).toMatch(/^response over 256 KiB from /);
    });

    it('accepts a body of exactly the cap', async () => {
      // Prepare
      server.route('/exact.xml', { generate: { bytes: 4096 } });

      // Act
      const result = await new HttpFeedFetcher({ maxBytes: 4096 }).fetch(
        server.url('/exact.xml'),
        {}
      );

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
      const fetcher = new HttpFeedFetcher({ timeoutMs: 1500 });
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
        new HttpFeedFetcher({ timeoutMs: 300 }).fetch(server.url('/silent.xml'), {})
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
      const result = await new HttpFeedFetcher().fetch(server.url('/r1'), {});

      // Assess
      expect(okText(result)).toContain('Slash News');
      expect(server.requests()).toBe(6);
    });

    it('fails after more than 5 redirects', async () => {
      // Prepare
      for (let i = 0; i < 7; i += 1) server.route(`/hop${i}`, { redirectTo: `/hop${i + 1}` });
      server.route('/hop7', { body: fixtureText('rss-1.0-rdf.xml') });

      // Act
      const err = await failure(new HttpFeedFetcher().fetch(server.url('/hop0'), {}));

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
      const err = await failure(new HttpFeedFetcher().fetch(server.url('/loop-a'), {}));

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
      const err = await failure(new HttpFeedFetcher().fetch(server.url('/to-file'), {}));

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
      const err = await failure(new HttpFeedFetcher().fetch(server.url(`/status-${status}`), {}));

      // Assess
      expect(err.message).toBe(`http ${status} ${reason} from ${server.url(`/status-${status}`)}`);
    });

    it('says when to retry a rate-limited feed', async () => {
      // Prepare
      server.route('/busy', { status: 429, body: 'slow down', headers: { 'retry-after': '120' } });

      // Act
      const err = await failure(new HttpFeedFetcher().fetch(server.url('/busy'), {}));

      // Assess
      expect(err.message).toBe(
        `http 429 too many requests from ${server.url('/busy')} (retry after 120 s)`
      );
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
      const fetcher = new HttpFeedFetcher();

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
      const err = await failure(new HttpFeedFetcher().fetch(server.url('/moved'), {}));

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
      const err = await failure(new HttpFeedFetcher().fetch(url, {}));

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
      const err = await failure(new HttpFeedFetcher().fetch(url, {}));

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
      const err = await failure(new HttpFeedFetcher({ timeoutMs: 5000 }).fetch(url, {}));

      // Assess
      expect(err.message).toMatch(
        /^(host no-such-host\.invalid not found \(DNS (ENOTFOUND|EAI_AGAIN)\)|timed out after 5 s) fetching http:\/\/no-such-host\.invalid\/feed\.xml$/
      );
    });

    it('fails for an unsupported scheme', async () => {
      // Act
      const err = await failure(new HttpFeedFetcher().fetch('ftp://ftp.example/feed.xml', {}));

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
      const result = await new HttpFeedFetcher().fetch(server.url(path), {});
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
      const fetcher = new HttpFeedFetcher();

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
      const fetcher = new HttpFeedFetcher();

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

    it('uses the injected fetch implementation', async () => {
      // Prepare
      const calls: string[] = [];
      const fetchImpl = (async (input: string | URL | Request) => {
        calls.push(String(input));
        return new Response('<rss version="2.0"><channel/></rss>', {
          status: 200,
          headers: { etag: '"x"' },
        });
      }) as typeof fetch;

      // Act
      const result = await new HttpFeedFetcher({ fetchImpl }).fetch(
        'https://feeds.example/rss',
        {}
      );

      // Assess
      expect(calls).toEqual(['https://feeds.example/rss']);
      expect(result.validators).toEqual({ etag: '"x"' });
    });
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
