import { createReadStream } from 'node:fs';
import type { Item } from '../lambdas/core/common/types.ts';
import { classify, explain, type RuleSet } from '../lambdas/core/rules/index.ts';
import { bufferedWriter, type Io, READ_CHUNK, readLineBatches, UsageError } from './io.ts';

/** Checks that a parsed line has the Item shape classify needs, naming the line when not. */
export const toItem = (value: unknown, where: string): Item => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: expected a JSON object with "id" and "title"`);
  }
  const { id, title } = value as Record<string, unknown>;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new UsageError(`${where}: "id" must be a string`);
  }
  if (typeof title !== 'string') throw new UsageError(`${where}: "title" must be a string`);
  return typeof id === 'string' ? (value as Item) : { ...(value as Item), id: String(id) };
};

/** Parses line `n` of a JSON-lines input into an item (undefined for a blank line). */
const parseLine = (
  line: string,
  n: number,
  name: string
): { item: Item; raw: Record<string, unknown> } | undefined => {
  if (line.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new UsageError(`${name} line ${n}: not valid JSON`);
  }
  return { item: toItem(raw, `${name} line ${n}`), raw: raw as Record<string, unknown> };
};

/** Yields the items of a JSON-lines input, one per non-empty line. */
export async function* readItems(
  stream: NodeJS.ReadableStream,
  name: string
): AsyncGenerator<{ item: Item; raw: Record<string, unknown> }> {
  let n = 0;
  for await (const lines of readLineBatches(stream)) {
    for (const line of lines) {
      n += 1;
      const parsed = parseLine(line, n, name);
      if (parsed) yield parsed;
    }
  }
}

export const openInput = (
  io: Io,
  input?: string
): { stream: NodeJS.ReadableStream; name: string } =>
  input
    ? {
        stream: createReadStream(input, { highWaterMark: READ_CHUNK }),
        name: input,
      }
    : { stream: io.stdin, name: 'stdin' };

/** `newsalert classify`: one result line per item line, same order; --explain for people. */
export const classifyCommand = async (
  io: Io,
  rules: RuleSet,
  options: { input?: string; explain?: boolean }
): Promise<number> => {
  const { stream, name } = openInput(io, options.input);
  const out = bufferedWriter(io.out);
  try {
    // A chunk of lines at a time, each line synchronously: no await per line.
    let n = 0;
    for await (const lines of readLineBatches(stream)) {
      for (const line of lines) {
        n += 1;
        const parsed = parseLine(line, n, name);
        if (!parsed) continue;
        out.write(
          options.explain
            ? `${explain(parsed.item, rules)}\n\n`
            : `${JSON.stringify(classify(parsed.item, rules))}\n`
        );
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`cannot read the input file ${options.input}: no such file`);
    }
    throw err;
  } finally {
    out.flush();
  }
  return 0;
};
