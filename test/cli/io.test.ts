import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLineBatches } from '../../cli/io.ts';

const collect = async (chunks: (string | Buffer)[]): Promise<string[][]> => {
  const batches: string[][] = [];
  for await (const lines of readLineBatches(Readable.from(chunks, { objectMode: false }))) {
    batches.push(lines);
  }
  return batches;
};

describe('reading input lines a chunk at a time', () => {
  it('joins a line, and a character, split across chunks', async () => {
    // Prepare: "Saná’a" has a three-byte character cut between two chunks.
    const bytes = Buffer.from('{"t":"one"}\n{"t":"Saná’a"}\n{"t":"three"}');
    const cut = bytes.indexOf(Buffer.from('’')) + 1;

    // Act
    const batches = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);

    // Assess
    expect(batches.flat()).toEqual(['{"t":"one"}', '{"t":"Saná’a"}', '{"t":"three"}']);
    expect(batches[0]).toEqual(['{"t":"one"}']);
  });

  it('yields nothing more for a final newline, and a last line without one', async () => {
    expect((await collect(['a\nb\n'])).flat()).toEqual(['a', 'b']);
    expect((await collect(['a\n', 'b'])).flat()).toEqual(['a', 'b']);
    expect((await collect(['no newline at all'])).flat()).toEqual(['no newline at all']);
    expect(await collect([])).toEqual([]);
  });

  it('joins a line spread over many chunks, once', async () => {
    // Prepare: a 30 KB line cut into 1 KB chunks, between two short lines
    const long = JSON.stringify({ t: 'é'.repeat(15_000) });
    const bytes = Buffer.from(`{"a":1}\n${long}\n{"b":2}`);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 1000) chunks.push(bytes.subarray(at, at + 1000));

    // Act
    const lines = (await collect(chunks)).flat();

    // Assess
    expect(lines).toEqual(['{"a":1}', long, '{"b":2}']);
  });

  it('keeps empty lines for the caller to skip', async () => {
    expect((await collect(['a\n\nb\n'])).flat()).toEqual(['a', '', 'b']);
  });
});
