import { PreconditionFailedError } from '../core/common/errors.ts';
import type { ObjectStore, PutOptions, StoredObject } from '../ports.ts';

/**
 * The object store in memory: for a replay that keeps no state folder, where each simulated
 * poll would otherwise pay a file system round trip per object. Conditional writes behave as
 * on S3; ETags are version numbers.
 */
export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  private version = 0;

  async get(key: string): Promise<StoredObject | undefined> {
    return this.objects.get(key);
  }

  async put(key: string, body: string, options: PutOptions = {}): Promise<{ etag: string }> {
    const current = this.objects.get(key);
    if (options.ifNoneMatch === '*' && current) throw new PreconditionFailedError(key);
    if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) {
      throw new PreconditionFailedError(key);
    }
    this.version += 1;
    const etag = `"${this.version}"`;
    this.objects.set(key, { body, etag });
    return { etag };
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}
