/**
 * What every section of the rule file's validation shares: the list of problems, the check of a
 * term list, and the lexicons that a term list names as "@lexicon".
 */
import type { DataPath, Locate } from './schema.ts';

/** Every problem found, each as `location: owner: what is wrong`; nothing stops at the first. */
export class Problems {
  readonly list: string[] = [];

  constructor(private readonly locate: Locate) {}

  /** `owner` names the rule, guard, category ... the value belongs to. */
  add(path: DataPath, what: string, owner?: string): void {
    this.list.push(`${this.locate(path)}: ${owner ? `${owner}: ` : ''}${what}`);
  }
}

/** The form of a rule, guard and category id. */
export const ID = /^[a-z0-9][a-z0-9-]*$/;
const WORD = /^(<num>|<year>|[^\s~<>@]+~?)$/;

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as a message quotes it. */
export const describe = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** Unknown keys of a mapping, each a problem naming the keys expected. */
export function checkKeys(
  value: Record<string, unknown>,
  expected: readonly string[],
  path: DataPath,
  problems: Problems,
  owner?: string
): void {
  for (const key of Object.keys(value)) {
    if (!expected.includes(key))
      problems.add(
        [...path, key],
        `unknown key '${key}' (expected one of ${expected.join(', ')})`,
        owner
      );
  }
}

/**
 * The valid terms of a list (a "@lexicon" reference is kept as it is, see Lexicons.expand).
 * `required`: the list must be there and hold a term.
 */
export function termList(
  v: unknown,
  path: DataPath,
  owner: string,
  problems: Problems,
  required: boolean
): string[] {
  if (v === undefined) {
    if (required)
      problems.add(
        path,
        `${String(path[path.length - 1])} must be a non-empty list of terms`,
        owner
      );
    return [];
  }
  if (!Array.isArray(v) || (required && v.length === 0)) {
    problems.add(
      path,
      `${String(path[path.length - 1])} must be a non-empty list of terms, got ${describe(v)}`,
      owner
    );
    return [];
  }
  const out: string[] = [];
  v.forEach((t: unknown, i: number) => {
    if (typeof t !== 'string' || t.trim() === '') {
      problems.add([...path, i], `a term must be a non-empty string, got ${describe(t)}`, owner);
      return;
    }
    if (!t.startsWith('@')) {
      const bad = t
        .trim()
        .split(/\s+/)
        .find((w) => !WORD.test(w));
      if (bad !== undefined) {
        problems.add(
          [...path, i],
          `term '${t}' has a bad word '${bad}' ('~' only at a word's end; '<num>' and '<year>' are the only classes)`,
          owner
        );
        return;
      }
    }
    out.push(t);
  });
  return out;
}

/** The `lexicons` section: named term lists that any term list may name as "@name". */
export class Lexicons {
  private readonly lists = new Map<string, string[]>();

  constructor(
    v: unknown,
    private readonly problems: Problems
  ) {
    if (v === undefined) return;
    if (!isObj(v)) {
      problems.add(['lexicons'], 'lexicons must be a mapping of name to a list of terms');
      return;
    }
    for (const [lex, list] of Object.entries(v)) {
      this.lists.set(lex, termList(list, ['lexicons', lex], `lexicon '${lex}'`, problems, false));
    }
  }

  /** `terms` with each "@lexicon" replaced by the lexicon's terms. */
  expand(terms: string[], path: DataPath, owner: string): string[] {
    const out: string[] = [];
    terms.forEach((t, i) => {
      if (t.startsWith('@')) {
        const lex = this.lists.get(t.slice(1));
        if (!lex)
          this.problems.add(
            [...path, i],
            `unknown lexicon '${t}' (define it under lexicons)`,
            owner
          );
        else out.push(...lex);
      } else out.push(t);
    });
    return out;
  }

  /** The valid terms of a list, lexicons expanded (see termList). */
  terms(v: unknown, path: DataPath, owner: string, required: boolean): string[] {
    return this.expand(termList(v, path, owner, this.problems, required), path, owner);
  }
}
