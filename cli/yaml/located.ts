/**
 * Parsing YAML (or JSON) config files so that problems found later, by the validators of the core
 * on the parsed value, can name the line and column of the value at fault.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';

/** Keys and list indexes from the document's root, e.g. `['rules', 3, 'any']`. */
export type DocumentPath = readonly (string | number)[];

export type LocatedDocument =
  | {
      readonly root: unknown;
      /** `source:line:col` of the deepest node that exists on the path. */
      readonly locate: (path: DocumentPath) => string;
      readonly problems?: undefined;
    }
  | { readonly problems: string[] };

/**
 * Parses YAML, or JSON (parsed natively; the YAML parser then runs only to locate problems).
 * Syntax problems come back with their `source:line:col`.
 */
export const parseLocated = (text: string, source: string): LocatedDocument => {
  let located: { doc: ReturnType<typeof parseDocument>; lineCounter: LineCounter } | undefined;
  const locateDoc = () => {
    if (!located) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
      located = { doc, lineCounter };
    }
    return located;
  };
  let root: unknown;
  let parsed = false;
  if (/^\s*[{[]/.test(text)) {
    try {
      root = JSON.parse(text);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  if (!parsed) {
    const { doc, lineCounter } = locateDoc();
    const problems = doc.errors.map((err) => {
      const pos = lineCounter.linePos(err.pos[0]);
      return `${source}:${pos.line}:${pos.col}: ${err.message.split('\n')[0]}`;
    });
    if (problems.length > 0) return { problems };
    try {
      // Aliases that point nowhere, or too many of them (a YAML "billion laughs"), throw here.
      root = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (err) {
      return { problems: [`${source}:1:1: not usable YAML: ${(err as Error).message}`] };
    }
  }
  const locate = (path: DocumentPath): string => {
    if (path.length === 0) return `${source}:1:1`;
    const { doc, lineCounter } = locateDoc();
    // The deepest node that exists on the path gives the location.
    for (let k = path.length; k >= 0; k--) {
      const node = doc.getIn(path.slice(0, k), true) as { range?: [number, number, number] };
      if (node && typeof node === 'object' && Array.isArray(node.range)) {
        const pos = lineCounter.linePos(node.range[0]);
        return `${source}:${pos.line}:${pos.col}`;
      }
      if (k === 0 && isMap(doc.contents)) break;
    }
    return `${source}:1:1`;
  };
  return { root, locate };
};
