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
  const { summary, description } = value as Record<string, unknown>;
  // Feeds call the lede `description`: read it as the summary when there is none.
  const aliased =
    summary === undefined && typeof description === 'string'
      ? { ...(value as Item), summary: description }
      : (value as Item);
  return typeof id === 'string' ? aliased : { ...aliased, id: String(id) };
};

/**
 * Warns once per input when a line carries no text the rules read (an empty title and no summary,
 * description or content): such an item scores 0 without a word otherwise.
 */
export const noTextWarning = (io: Io, name: string) => {
  let warned = false;
  return (item: Item, n: number): void => {
    if (warned || item.title.trim() !== '' || item.summary || item.content) return;
    warned = true;
    io.err(
      `warning: ${name} line ${n} has no text the rules read (title, summary, description or content): such items score 0\n`
    );
  };
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
): AsyncGenerator<{ item: Item; raw: Record<string, unknown>; line: number }> {
  let n = 0;
  for await (const lines of readLineBatches(stream)) {
    for (const line of lines) {
      n += 1;
      const parsed = parseLine(line, n, name);
      if (parsed) yield { ...parsed, line: n };
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
  if (!options.input && io.stdinIsTty) {
    // Nothing piped in: a person at a terminal would otherwise see the command hang.
    io.err(
      'classify: waiting for JSON lines on stdin, one item per line ({"id": "1", "title": "...", "summary": "..."}); end with Ctrl-D (Ctrl-Z then Enter on Windows), or give --input FILE\n'
    );
  }
  const out = bufferedWriter(io.out);
  const warnNoText = noTextWarning(io, name);
  try {
    // A chunk of lines at a time, each line synchronously: no await per line.
    let n = 0;
    for await (const lines of readLineBatches(stream)) {
      for (const line of lines) {
        n += 1;
        const parsed = parseLine(line, n, name);
        if (!parsed) continue;
        warnNoText(parsed.item, n);
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
