/**
 * The CLI's fetcher: a feed list may name http(s) URLs, file:// URLs and local paths alike.
 */
import { feedLocationKind } from '../core/feeds/feeds-config.ts';
import type { FeedFetcher, FetchResult, Validators } from '../ports.ts';
import { FileFeedReader } from './file-feed-reader.ts';
import { HttpFeedFetcher, type HttpFeedFetcherOptions } from './http-feed-fetcher.ts';

/**
 * Fetches http(s) feeds with HttpFeedFetcher and reads file:// URLs and paths with
 * FileFeedReader (`maxBytes` caps both). Every failure is a FeedError naming the URL and the cause.
 */
export class HttpOrFileFeedFetcher implements FeedFetcher {
  private readonly http: HttpFeedFetcher;
  private readonly files: FileFeedReader;

  constructor(options: HttpFeedFetcherOptions = {}) {
    this.http = new HttpFeedFetcher(options);
    this.files = new FileFeedReader({ maxBytes: this.http.maxBytes });
  }

  fetch(url: string, validators: Validators = {}): Promise<FetchResult> {
    const kind = feedLocationKind(url);
    const onDisk = kind === 'file' || kind === 'path';
    return onDisk ? this.files.fetch(url, validators) : this.http.fetch(url, validators);
  }
}
