import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules, parseRuleFile } from '../../cli/yaml/rules.ts';
import { parseItemLines } from '../../lambdas/core/common/item-lines.ts';
import type { Item } from '../../lambdas/core/common/types.ts';
import type { RuleSet } from '../../lambdas/core/rules/index.ts';

export const fixturePath = (relative: string): string =>
  fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));

export const projectPath = (relative: string): string =>
  fileURLToPath(new URL(`../../${relative}`, import.meta.url));

/** The seed reports as items: [Worthy News report, second outlet's report, ...four teasers]. */
export const seedItems = (): Item[] => {
  const path = fixturePath('items/seeds.jsonl');
  return parseItemLines(readFileSync(path, 'utf8'), path);
};

let defaultRules: RuleSet | undefined;
/** The default rules of config/rules.yaml, compiled once per test file. */
export const defaultRuleSet = (): RuleSet => {
  const path = projectPath('config/rules.yaml');
  defaultRules ??= loadRules(readFileSync(path, 'utf8'), path);
  return defaultRules;
};

/** config/rules.yaml as the deploy uploads it to config/rules.json. */
export const defaultRulesJson = (): string => {
  const path = projectPath('config/rules.yaml');
  return JSON.stringify(parseRuleFile(readFileSync(path, 'utf8'), path).document);
};
