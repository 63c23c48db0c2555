import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '../lambdas/core/common/errors.ts';
import type { RuleSet } from '../lambdas/core/rules/index.ts';
import { parseRuleFileJson, readRuleDocumentJson } from '../lambdas/core/rules/load-json.ts';
import { compileRuleFile } from '../lambdas/core/rules/ruleset.ts';
import type { RuleFileCheck } from '../lambdas/core/rules/schema.ts';
import { DEFAULT_RULES, isJsonFile, PACKAGE_ROOT, readUserFile, UsageError } from './io.ts';
import { readMatcherSnapshot, textHash } from './rules-snapshot.ts';
import { checkRuleDocument, parseRuleFile } from './yaml/rules.ts';

/** Defined as true in the prebundled command (scripts/build-cli.mjs); undefined in the sources. */
declare const NEWSALERT_BUNDLED: boolean | undefined;

const DIST = join(PACKAGE_ROOT, 'dist', 'cli');

/**
 * The default rules as JSON (written by scripts/build-cli.mjs), while config/rules.yaml is the text
 * it was made from (its digest is kept beside it): JSON parses natively, the YAML parser costs most
 * of the start-up.
 */
const defaultRulesJson = (): string | undefined => {
  try {
    const meta = JSON.parse(readFileSync(join(DIST, 'default-rules.meta.json'), 'utf8')) as {
      sha1?: unknown;
    };
    if (meta.sha1 !== textHash(readFileSync(DEFAULT_RULES, 'utf8'))) return undefined;
    return readFileSync(join(DIST, 'default-rules.json'), 'utf8');
  } catch {
    return undefined; // no current copy: the YAML file is read below
  }
};

/** Loads and validates a rules file: a bad one is a usage error naming the file and each problem. */
export const loadRulesFile = async (path: string | undefined): Promise<RuleSet> => {
  if (!path) {
    const json = defaultRulesJson();
    if (json !== undefined) {
      // The prebundled command also has the compiled matcher of that JSON, built with it from the
      // same sources; run from the sources, the rules are compiled (the sources may be newer).
      const matcher =
        typeof NEWSALERT_BUNDLED !== 'undefined' && NEWSALERT_BUNDLED
          ? readMatcherSnapshot(json, join(DIST, 'default-rules.matcher.bin'), (message) =>
              process.stderr.write(message)
            )
          : undefined;
      try {
        return compileRuleFile(parseRuleFileJson(json, DEFAULT_RULES), DEFAULT_RULES, matcher);
      } catch (err) {
        // Problems are reported against the YAML file, with its line numbers.
        if (!(err instanceof InvalidInputError)) throw err;
      }
    }
  }
  const file = path ? resolve(path) : DEFAULT_RULES;
  const text = await readUserFile(file, 'rules');
  return compileRuleFile(checkRulesText(text, file), file);
};

/**
 * What a file that is no rule file looks like (a binary, an image, an HTML or XML page), from its
 * first bytes; undefined when it may be one. Its text is never echoed.
 */
export const foreignContent = (text: string): string | undefined => {
  const head = text.slice(0, 512);
  if (head.slice(1, 4) === 'PNG') return 'a PNG image';
  if (head.startsWith('%PDF-')) return 'a PDF document';
  if (head.startsWith('GIF8')) return 'a GIF image';
  // Control characters other than tab and line ends, or bytes that are not UTF-8 text.
  for (let k = 0; k < head.length; k++) {
    const c = head.charCodeAt(k);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) return 'binary data';
  }
  const start = head.trimStart().slice(0, 100).toLowerCase();
  if (/^(<!doctype html|<html|<head|<body)/.test(start)) return 'an HTML page';
  if (start.startsWith('<')) return 'an XML or HTML document';
  return undefined;
};

/**
 * Every problem (and warning) of a rules file, read as loadRulesFile reads it (`newsalert rules
 * check`): a .json file strictly, as the Lambdas read it; either merged with the default rules
 * when it says `extend: default`.
 */
export const checkRulesText = (text: string, file: string): RuleFileCheck => {
  const foreign = foreignContent(text);
  if (foreign !== undefined) {
    throw new UsageError(
      `${file} is not a rule file: it looks like ${foreign}. A rule file is YAML or JSON text (see config/rules.yaml)`
    );
  }
  if (!isJsonFile(file)) return parseRuleFile(text, file);
  const doc = readRuleDocumentJson(text, file);
  if (doc.problems.length > 0) return { problems: doc.problems };
  return checkRuleDocument(doc, text);
};
