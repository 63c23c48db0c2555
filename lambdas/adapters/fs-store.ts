import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PreconditionFailedError } from '../core/common/errors.ts';
import type { ObjectStore, PutOptions, StoredObject } from '../ports.ts';

const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;

/**
 * The object store as a folder (the local stand-in for the S3 bucket): key `a/b.json` is file
 * `<root>/a/b.json`. ETags are content hashes, so conditional writes behave as on S3 within one
 * process; writes go through a temporary file and a rename, so a reader never sees half a file.
 */
export class FsObjectStore implements ObjectStore {
  /** Writes to one key run one at a time, so check-then-write is atomic within this process. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  private serialise<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.writing.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.writing.set(key, settled);
    void settled.then(() => {
      if (this.writing.get(key) === settled) this.writing.delete(key);
    });
    return next;
  }

  private pathOf(key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '')) {
      throw new Error(`invalid store key '${key}': use relative keys like 'state/feeds/x.json'`);
    }
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const body = await readFile(this.pathOf(key), 'utf8');
      return { body, etag: etagOf(body) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async put(key: string, body: string, options: PutOptions = {}): Promise<{ etag: string }> {
    const path = this.pathOf(key);
    return this.serialise(key, () => this.write(key, path, body, options));
  }

  private async write(
    key: string,
    path: string,
    body: string,
    options: PutOptions
  ): Promise<{ etag: string }> {
    if (options.ifMatch !== undefined || options.ifNoneMatch !== undefined) {
      const current = await this.get(key);
      if (options.ifNoneMatch === '*' && current) throw new PreconditionFailedError(key);
      if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) {
        throw new PreconditionFailedError(key);
      }
    }
    await mkdir(dirname(path), { recursive: true });
    // Writes to one key are serialised, so one temporary name per key and process suffices.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, body, 'utf8');
    await rename(tmp, path);
    return { etag: etagOf(body) };
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (!entry.name.endsWith('.tmp'))
          keys.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    await walk(this.root);
    return keys.filter((k) => k.startsWith(prefix)).sort();
  }
}
