import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpOrFileFeedFetcher } from '../../../lambdas/adapters/http-or-file-feed-fetcher.ts';
import { type FeedServer, startFeedServer } from '../../helpers/feed-server.ts';
import { failure, okText } from '../../helpers/fetch-results.ts';
import { fixturePath } from '../../helpers/fixtures.ts';

const FEED = fixturePath('feeds/worthy-news.rss.xml');
const FEED_TEXT = readFileSync(FEED, 'utf8');

describe('Class: HttpOrFileFeedFetcher', () => {
  let server: FeedServer;

  beforeAll(async () => {
    server = await startFeedServer({ routes: { '/worthy.xml': { body: FEED_TEXT } } });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('fetches http(s) URLs and reads file:// URLs and paths', async () => {
    // Prepare
    const fetcher = new HttpOrFileFeedFetcher({ allowPrivate: true });

    // Act
    const results = await Promise.all(
      [server.url('/worthy.xml'), pathToFileURL(FEED).href, FEED].map((url) =>
        fetcher.fetch(url, {})
      )
    );

    // Assess
    for (const result of results) expect(okText(result)).toBe(FEED_TEXT);
    expect(server.requests('/worthy.xml')).toBe(1);
  });

  it('applies the byte cap to both', async () => {
    // Prepare
    const fetcher = new HttpOrFileFeedFetcher({ maxBytes: 1024, allowPrivate: true });

    // Act
    const http = await failure(fetcher.fetch(server.url('/worthy.xml'), {}));
    const file = await failure(fetcher.fetch(FEED, {}));

    // Assess
    expect(http.message).toMatch(/^response over 1 KiB /);
    expect(file.message).toMatch(/^response over 1 KiB \(\d+ bytes declared\) from /);
  });

  it('fails for what is neither', async () => {
    // Act
    const err = await failure(new HttpOrFileFeedFetcher().fetch('ftp://ftp.example/feed.xml', {}));

    // Assess
    expect(err.message).toBe(
      "cannot fetch: url 'ftp://ftp.example/feed.xml' is not http(s), file:// or a path"
    );
  });

  it('fails fast on nonsense options', () => {
    // Act + Assess
    expect(() => new HttpOrFileFeedFetcher({ maxBytes: 0 })).toThrow(
      /maxBytes must be a positive number, got 0/
    );
  });
});
