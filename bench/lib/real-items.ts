/**
 * The classify bench's corpus from real news text: the labelled development set and the October
 * 2023 stream, read where they lie when the bench runs (never copied into the repository). Each
 * item is one real entry's headline and lede, followed by the ledes of other real entries (drawn
 * with a seeded generator) until the item holds about 1 KB of text: real words, real sentence
 * shapes, real numbers and names, in the mix of ordinary and violent news those files hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item } from '../../lambdas/core/common/types.ts';
import { prng } from './prng.ts';

/** Where the texts are read from: ../shared/eval beside the project's folder. */
export const EVAL_DIR = fileURLToPath(new URL('../../../shared/eval/', import.meta.url));
/** The files read, in this order. */
export const REAL_SOURCES = ['dev.jsonl', 'stream-2023-10.jsonl'] as const;

/** Characters of title and summary an item is filled up to. */
export const TEXT_CHARS = 850;

interface Entry {
  readonly title: string;
  readonly summary: string;
  readonly published?: string;
  readonly source?: string;
}

/** The entries of the source files that hold some text. */
export const readEntries = (dir = EVAL_DIR): Entry[] => {
  const entries: Entry[] = [];
  for (const name of REAL_SOURCES) {
    const path = join(dir, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(
        `the classify bench reads real news text from ${path} (${(err as Error).message})`
      );
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const e = JSON.parse(line) as Record<string, unknown>;
      const title = typeof e.title === 'string' ? e.title : '';
      const summary = typeof e.summary === 'string' ? e.summary : '';
      if (title === '' && summary === '') continue;
      entries.push({
        title,
        summary,
        ...(typeof e.published === 'string' ? { published: e.published } : {}),
        ...(typeof e.outlet === 'string' ? { source: e.outlet } : {}),
      });
    }
  }
  if (entries.length === 0) throw new Error(`no entries with text in ${dir}`);
  return entries;
};

/**
 * `count` items from the real entries: item n takes entry n (cycling) for its headline and the
 * start of its summary (an entry without a headline, as the dev set's event snippets are, takes
 * another entry's), then further ledes drawn from `seed` until it holds TEXT_CHARS characters.
 */
export const realItems = (count: number, seed = 7, entries = readEntries()): Item[] => {
  const r = prng(seed);
  const titled = entries.filter((e) => e.title !== '');
  const ledes = entries.map((e) => e.summary).filter((s) => s !== '');
  if (titled.length === 0 || ledes.length === 0) {
    throw new Error('the real entries need some headlines and some ledes');
  }
  const items: Item[] = [];
  for (let n = 0; n < count; n += 1) {
    const entry = entries[n % entries.length] as Entry;
    const title = entry.title !== '' ? entry.title : r.pick(titled).title;
    const parts = entry.summary !== '' ? [entry.summary] : [];
    let size = title.length + entry.summary.length;
    while (size < TEXT_CHARS) {
      const lede = r.pick(ledes);
      parts.push(lede);
      size += lede.length + 1;
    }
    items.push({
      id: `real-${n}`,
      title,
      summary: parts.join(' '),
      ...(entry.published ? { published: entry.published } : {}),
      ...(entry.source ? { source: entry.source } : {}),
    });
  }
  return items;
};
