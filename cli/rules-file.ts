import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '../lambdas/core/errors.ts';
import { loadRules, loadRulesJson, type RuleSet } from '../lambdas/core/rules/index.ts';
import { DEFAULT_RULES, PACKAGE_ROOT, readUserFile } from './io.ts';

/**
 * The default rules as JSON (written by scripts/build-cli.mjs), while config/rules.yaml is not
 * newer than the copy: JSON parses natively, the YAML parser costs most of the start-up.
 */
const defaultRulesJson = (): string | undefined => {
  try {
    const dir = join(PACKAGE_ROOT, 'dist', 'cli');
    const meta = JSON.parse(readFileSync(join(dir, 'default-rules.meta.json'), 'utf8')) as {
      mtimeMs?: unknown;
    };
    if (typeof meta.mtimeMs !== 'number' || statSync(DEFAULT_RULES).mtimeMs > meta.mtimeMs) {
      return undefined;
    }
    return readFileSync(join(dir, 'default-rules.json'), 'utf8');
  } catch {
    return undefined; // no current copy: the YAML file is read below
  }
};

/** Loads and validates a rules file: a bad one is a usage error naming the file and each problem. */
export const loadRulesFile = async (path: string | undefined): Promise<RuleSet> => {
  if (!path) {
    const json = defaultRulesJson();
    if (json !== undefined) {
      try {
        return loadRulesJson(json, DEFAULT_RULES);
      } catch (err) {
        // Problems are reported against the YAML file, with its line numbers.
        if (!(err instanceof InvalidInputError)) throw err;
      }
    }
  }
  const file = path ? resolve(path) : DEFAULT_RULES;
  return loadRules(await readUserFile(file, 'rules'), file);
};
