import type { Item } from './types.ts';

/** Items as JSON lines: the format of items/ objects and of `newsalert classify` input. */
export const toItemLines = (items: readonly Item[]): string =>
  items.map((item) => `${JSON.stringify(item)}\n`).join('');

/** Parses JSON lines of items, naming the source and line of a bad one. */
export const parseItemLines = (text: string, source: string): Item[] =>
  text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as Item];
    } catch (err) {
      throw new Error(`${source}: line ${i + 1} is not valid JSON`, { cause: err });
    }
  });
