import { createReadStream, existsSync, fstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import type { InvalidInputError } from '../lambdas/core/common/errors.ts';

/** The nearest folder above `from` holding a package.json: the same from cli/ and dist/cli/. */
const packageRoot = (from: string): string => {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
};

/** The package's own folder: the embedded defaults live in its config/ and demo/ folders. */
export const PACKAGE_ROOT = packageRoot(fileURLToPath(import.meta.url));
export const DEFAULT_FEEDS = join(PACKAGE_ROOT, 'config', 'feeds.yaml');
export const DEFAULT_RULES = join(PACKAGE_ROOT, 'config', 'rules.yaml');
export const DEMO_FEEDS_DIR = join(PACKAGE_ROOT, 'demo', 'feeds');

/** Bad usage or unusable input: exit status 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream;
  readonly stderrIsTty: boolean;
  /** Standard input is a terminal (a person would type the input): undefined means no. */
  readonly stdinIsTty?: boolean;
}

/** Bytes per read of an input file: process.stdin reads 64 KiB at a time, one event-loop turn each. */
export const READ_CHUNK = 1 << 20;

/** Standard input; a regular file redirected into it (`< items.jsonl`) is read in large chunks. */
const openStdin = (): NodeJS.ReadableStream => {
  let isFile = false;
  try {
    isFile = fstatSync(0).isFile();
  } catch {
    // No usable descriptor 0 (closed): process.stdin then reports end of input.
  }
  return isFile
    ? createReadStream('', { fd: 0, highWaterMark: READ_CHUNK, autoClose: false })
    : process.stdin;
};

export const processIo = (): Io => {
  let stdin: NodeJS.ReadableStream | undefined;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    get stdin() {
      stdin ??= openStdin();
      return stdin;
    },
    stderrIsTty: Boolean(process.stderr.isTTY),
    // Asked of the descriptor: reading process.stdin.isTTY would open the stream.
    stdinIsTty: isatty(0),
  };
};

/**
 * A `.json` config file is read exactly as the Lambdas read the deployed config (strict JSON, so a
 * file checked here loads there); any other as YAML, which also reads JSON, more leniently.
 */
export const isJsonFile = (path: string): boolean => /\.json$/i.test(path);

/** Reads a file the user named, turning "no such file" into a usage error that names it. */
export const readUserFile = async (path: string, what: string): Promise<string> => {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the ${what} file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
};

/**
 * The problems of a user-supplied file as one message naming each once: the error's headline
 * (its first line, unless that is already the first problem), then every problem.
 */
export const describeInvalid = (err: InvalidInputError): string => {
  if (err.problems.length === 0) return err.message;
  const first = err.message.split('\n')[0] ?? '';
  const n = err.problems.length;
  const head = err.problems.some((p) => first.startsWith(p))
    ? `${n} problem${n === 1 ? '' : 's'}:`
    : first;
  return [head, ...err.problems.map((p) => `  - ${p}`)].join('\n');
};

/**
 * Reads the lines of a stream or file a chunk at a time: one array of lines per chunk read (one
 * await per chunk, not per line), the last line possibly without its newline.
 */
export async function* readLineBatches(stream: NodeJS.ReadableStream): AsyncGenerator<string[]> {
  // Bytes are split at newlines before decoding (a UTF-8 sequence never holds byte 10), so each
  // chunk is decoded once, natively. Chunks without a newline wait in `pending` (a line longer
  // than a chunk is joined once, not rescanned for every chunk).
  const pending: Buffer[] = [];
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    const end = bytes.lastIndexOf(10);
    if (end === -1) {
      pending.push(bytes);
      continue;
    }
    const head = bytes.subarray(0, end);
    const text = pending.length > 0 ? Buffer.concat([...pending, head]) : head;
    pending.length = 0;
    if (end + 1 < bytes.length) pending.push(Buffer.from(bytes.subarray(end + 1)));
    yield text.toString('utf8').split('\n');
  }
  if (pending.length > 0) yield [Buffer.concat(pending).toString('utf8')];
}

/** Buffers writes into large chunks: per-line writes dominate the cost of big outputs. */
export const bufferedWriter = (write: (text: string) => void, limit = 1 << 16) => {
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length > 0) write(parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write(text: string) {
      parts.push(text);
      size += text.length;
      if (size >= limit) flush();
    },
    flush,
  };
};
