/**
 * The compiled matcher of the default rules, stored beside their JSON copy in dist/cli by
 * scripts/build-cli.mjs, so `newsalert` starts without compiling thousands of terms (the
 * compilation is most of its start-up). Used only by the prebundled command, built from the same
 * sources in the same step, and only for the JSON text it was built from (a hash of it is kept).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Matcher, type MatcherSnapshot } from '../lambdas/core/rules/matcher.ts';
import { pack, unpack } from '../lambdas/core/rules/packed.ts';
import type { RuleSet } from '../lambdas/core/rules/ruleset.ts';

/** FNV-1a over the UTF-16 code units: tells one rules text from another, cheaply. */
export const textHash = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(h >>> 0).toString(16)}`;
};

/** Writes the matcher of `rules`, compiled from `rulesText`, to `path`. */
export const writeMatcherSnapshot = (rules: RuleSet, rulesText: string, path: string): void => {
  const { data, arrays } = rules.matcher.snapshot();
  writeFileSync(path, pack({ rules: textHash(rulesText), matcher: data }, arrays));
};

/**
 * The matcher stored at `path` for `rulesText`, or undefined when there is none or it was built
 * from another text.
 * @throws Error when the file exists but is not a matcher snapshot.
 */
export const readMatcherSnapshot = (rulesText: string, path: string): Matcher | undefined => {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined; // not built: the rules are compiled instead
  }
  const { data, arrays } = unpack<{ rules: string; matcher: MatcherSnapshot['data'] }>(bytes, path);
  if (data.rules !== textHash(rulesText)) return undefined;
  return Matcher.restore({ data: data.matcher, arrays });
};
