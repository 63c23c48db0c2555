import type {
  FeedFetcher,
  FetchResult,
  ObjectStore,
  PutOptions,
  Validators,
} from '../../lambdas/ports.ts';

/** Counts store requests (as S3 would bill them) and records every key written. */
export class CountingStore implements ObjectStore {
  readonly calls = { get: 0, put: 0, list: 0 };
  readonly putKeys: string[] = [];
  /** Bytes written, by the key's first segment ('items', 'state', ...). */
  readonly putBytes: Record<string, number> = {};

  constructor(private readonly inner: ObjectStore) {}

  reset(): void {
    this.calls.get = 0;
    this.calls.put = 0;
    this.calls.list = 0;
    this.putKeys.length = 0;
    for (const key of Object.keys(this.putBytes)) delete this.putBytes[key];
  }

  get(key: string) {
    this.calls.get += 1;
    return this.inner.get(key);
  }

  put(key: string, body: string, options?: PutOptions) {
    this.calls.put += 1;
    this.putKeys.push(key);
    const prefix = key.split('/')[0] ?? '';
    this.putBytes[prefix] = (this.putBytes[prefix] ?? 0) + Buffer.byteLength(body);
    return this.inner.put(key, body, options);
  }

  list(prefix: string) {
    this.calls.list += 1;
    return this.inner.list(prefix);
  }
}

/**
 * Counts what the fetcher hands to the parser: a text for every 'ok' result, nothing for
 * 'unchanged'. The poller can only parse what it was handed, so `texts` bounds the parses.
 */
export class CountingFetcher implements FeedFetcher {
  readonly counts = { ok: 0, unchanged: 0, failed: 0, texts: 0, textBytes: 0 };

  constructor(private readonly inner: FeedFetcher) {}

  reset(): void {
    for (const key of Object.keys(this.counts) as Array<keyof typeof this.counts>) {
      this.counts[key] = 0;
    }
  }

  async fetch(url: string, validators: Validators): Promise<FetchResult> {
    try {
      const result = await this.inner.fetch(url, validators);
      if (result.status === 'ok') {
        this.counts.ok += 1;
        this.counts.texts += 1;
        this.counts.textBytes += result.bytes;
      } else {
        this.counts.unchanged += 1;
      }
      return result;
    } catch (err) {
      this.counts.failed += 1;
      throw err;
    }
  }
}
