import type { ObjectStore, PutOptions } from '../../lambdas/ports.ts';

/**
 * Wraps a store to inject faults: `failPuts(prefix, n)` makes the next n writes under prefix
 * throw, as a failing S3 PutObject would. Counts every call, for asserting request totals.
 */
export class FaultyStore implements ObjectStore {
  readonly calls = { get: 0, put: 0, list: 0 };
  readonly puts: string[] = [];
  private readonly faults: Array<{ prefix: string; remaining: number }> = [];

  constructor(private readonly inner: ObjectStore) {}

  failPuts(prefix: string, times = 1): this {
    this.faults.push({ prefix, remaining: times });
    return this;
  }

  get(key: string) {
    this.calls.get += 1;
    return this.inner.get(key);
  }

  async put(key: string, body: string, options?: PutOptions) {
    this.calls.put += 1;
    const fault = this.faults.find((f) => f.remaining > 0 && key.startsWith(f.prefix));
    if (fault) {
      fault.remaining -= 1;
      throw new Error(`injected fault: put ${key} failed`);
    }
    const result = await this.inner.put(key, body, options);
    this.puts.push(key);
    return result;
  }

  list(prefix: string) {
    this.calls.list += 1;
    return this.inner.list(prefix);
  }
}
