/**
 * The compiled matcher of the default rules, stored beside their JSON copy in dist/cli by
 * scripts/build-cli.mjs, so `newsalert` starts without compiling thousands of terms (the
 * compilation is most of its start-up). Used only by the prebundled command, built from the same
 * sources in the same step, only for the JSON text it was built from (a hash of it is kept), and
 * only while its tables are intact (a checksum of them is kept): it is a cache, so anything wrong
 * with it means compiling the rules instead, never a failed command or a changed result.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Matcher, type MatcherSnapshot } from '../lambdas/core/rules/matcher.ts';
import type { RuleSet } from '../lambdas/core/rules/ruleset.ts';
import { type PackedArray, pack, unpack } from './packed.ts';

/** A digest of a text: tells one rules text from another. */
export const textHash = (text: string): string => createHash('sha1').update(text).digest('hex');

/** A checksum of the arrays' bytes, in name order. */
const arraysCrc = (arrays: Record<string, PackedArray>): number =>
  Object.keys(arrays)
    .sort()
    .reduce((crc, name) => {
      const a = arrays[name] as PackedArray;
      return crc32(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), crc);
    }, 0);

interface Stored {
  readonly rules: string;
  readonly crc: number;
  readonly matcher: MatcherSnapshot['data'];
}

/** Writes the matcher of `rules`, compiled from `rulesText`, to `path`. */
export const writeMatcherSnapshot = (rules: RuleSet, rulesText: string, path: string): void => {
  const { data, arrays } = rules.matcher.snapshot();
  const stored: Stored = { rules: textHash(rulesText), crc: arraysCrc(arrays), matcher: data };
  writeFileSync(path, pack(stored, arrays));
};

/**
 * The matcher stored at `path` for `rulesText`, or undefined when there is none, it was built from
 * another text, or it is damaged (then `warn` says so: the rules are compiled instead).
 */
export const readMatcherSnapshot = (
  rulesText: string,
  path: string,
  warn: (message: string) => void
): Matcher | undefined => {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined; // not built: the rules are compiled instead
  }
  try {
    const { data, arrays } = unpack<Stored>(bytes, path);
    if (data.rules !== textHash(rulesText)) return undefined;
    if (data.crc !== arraysCrc(arrays)) throw new Error(`${path}: its tables fail their checksum`);
    return Matcher.restore({ data: data.matcher, arrays });
  } catch (err) {
    warn(
      `${(err as Error).message}; compiling the default rules instead (npm run build rebuilds it)\n`
    );
    return undefined;
  }
};
