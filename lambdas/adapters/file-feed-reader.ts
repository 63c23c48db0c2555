/**
 * Feeds from disk: file:// URLs and local paths, for the CLI and tests. Never used in the Lambda,
 * whose feed list must not be able to read the function's own filesystem.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, FeedError } from '../core/common/errors.ts';
import type { FeedFetcher, FetchResult, Validators } from '../ports.ts';
import { decodeFeedBytes } from './feed-charset.ts';
import { maxBytesOption, tooLargeError } from './feed-fetch-limits.ts';

export interface FileFeedReaderOptions {
  /** Largest file read. @default 5 MiB */
  readonly maxBytes?: number;
}

/**
 * Reads a file:// URL or a local path (relative to the working directory). Its validators are
 * the size and modification time: when they match, the file is 'unchanged' and not read.
 * Every failure is a FeedError naming the file and the cause.
 */
export class FileFeedReader implements FeedFetcher {
  readonly maxBytes: number;

  constructor(options: FileFeedReaderOptions = {}) {
    this.maxBytes = maxBytesOption(options.maxBytes);
  }

  async fetch(url: string, validators: Validators = {}): Promise<FetchResult> {
    let path: string;
    try {
      path = url.toLowerCase().startsWith('file:') ? fileURLToPath(url) : resolve(url);
    } catch (err) {
      throw new FeedError(url, `cannot read ${url}: ${errorMessage(err)}`, { cause: err });
    }
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new FeedError(url, `cannot read ${url}: ${path} is not a file`);
      const current: Validators = {
        etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
        lastModified: info.mtime.toUTCString(),
      };
      if (validators.etag === current.etag && validators.lastModified === current.lastModified) {
        return { status: 'unchanged', validators: current };
      }
      if (info.size > this.maxBytes) throw tooLargeError(url, this.maxBytes, info.size);
      const handle = await open(path, 'r');
      try {
        const chunks: Buffer[] = [];
        let total = 0;
        for (;;) {
          const chunk = Buffer.alloc(64 * 1024);
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) break;
          total += bytesRead;
          if (total > this.maxBytes) throw tooLargeError(url, this.maxBytes);
          chunks.push(chunk.subarray(0, bytesRead));
        }
        const bytes = Buffer.concat(chunks, total);
        return {
          status: 'ok',
          text: decodeFeedBytes(bytes),
          bytes: total,
          validators: current,
        };
      } finally {
        await handle.close();
      }
    } catch (err) {
      if (err instanceof FeedError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? `no such file ${path}`
          : code === 'EACCES'
            ? `permission denied reading ${path}`
            : code === 'EISDIR'
              ? `${path} is a directory`
              : errorMessage(err);
      throw new FeedError(url, `cannot read ${url}: ${reason}`, { cause: err });
    }
  }
}
