import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HttpOrFileFeedFetcher } from '../lambdas/adapters/http-or-file-feed-fetcher.ts';
import type { FeedConfig } from '../lambdas/core/common/types.ts';
import type { RuleSet } from '../lambdas/core/rules/index.ts';
import { DEMO_FEEDS_DIR, type Io } from './io.ts';
import { exitStatusOf, runOnce } from './run.ts';

/**
 * Serves the bundled sample feeds on 127.0.0.1 the way a real outlet does, with ETag and
 * Last-Modified, answering 304 to a conditional GET.
 */
export const serveDemoFeeds = async (
  dir = DEMO_FEEDS_DIR
): Promise<{ server: Server; feeds: FeedConfig[] }> => {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.xml')).sort();
  const files = new Map<string, { body: Buffer; etag: string; type: string }>();
  for (const name of names) {
    const body = await readFile(join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const type = name.includes('atom') ? 'application/atom+xml' : 'application/rss+xml';
    files.set(`/${name}`, { body, etag, type: `${type}; charset=utf-8` });
  }
  const lastModified = new Date(Date.UTC(2024, 10, 29, 18)).toUTCString();
  const server = createServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { etag: file.etag }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': file.type, etag: file.etag, 'last-modified': lastModified })
      .end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  // No names: each feed's own title names its outlet, as with a real feed.
  const feeds = names.map((name) => ({ url: `http://127.0.0.1:${port}/${name}` }));
  return { server, feeds };
};

/**
 * The demo's clock: the sample reports are from the evening of 29 November 2024, and news that
 * old raises no alert, so the demo runs at the time they came out (the first poll just after the
 * newest of them, the second five minutes later).
 */
export const DEMO_TIME = new Date('2024-11-29T19:30:00Z');

/** `newsalert demo`: the whole pipeline, offline, on the bundled sample feeds. Polls twice. */
export const demoCommand = async (
  io: Io,
  rules: RuleSet,
  options: { data: string; json: boolean }
): Promise<number> => {
  const { server, feeds } = await serveDemoFeeds();
  let now = DEMO_TIME;
  try {
    const ctx = {
      clock: { now: () => now },
      io,
      feeds,
      rules,
      data: options.data,
      json: options.json,
      concurrency: 4,
      // The demo's own feeds are on 127.0.0.1.
      fetcher: new HttpOrFileFeedFetcher({ timeoutMs: 10_000, allowPrivate: true }),
    };
    io.err(
      `demo: serving ${feeds.length} sample feeds on ${new URL(feeds[0]?.url ?? 'http://127.0.0.1').host}; data in ${options.data}\n` +
        `demo: the clock is set to ${DEMO_TIME.toISOString().slice(0, 16).replace('T', ' ')} UTC, when the sample reports came out\n` +
        'demo: first poll (two outlets report the Aleppo offensive beside ordinary news)\n'
    );
    const first = await runOnce(ctx);
    now = new Date(DEMO_TIME.getTime() + 5 * 60_000);
    io.err('\ndemo: second poll (nothing changed: the feeds answer 304, no alert repeats)\n');
    const second = await runOnce(ctx);
    return Math.max(exitStatusOf(first), exitStatusOf(second));
  } finally {
    await new Promise((done) => server.close(done));
  }
};
