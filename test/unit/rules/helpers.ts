import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules, type RuleSet } from '../../../lambdas/core/rules/index.ts';
import type { Item } from '../../../lambdas/core/types.ts';

export const repoFile = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../${path}`, import.meta.url)), 'utf8');

let cached: RuleSet | undefined;
/** The default rules of config/rules.yaml, compiled once per test file. */
export function defaultRules(): RuleSet {
  cached ??= loadRules(repoFile('config/rules.yaml'), 'config/rules.yaml');
  return cached;
}

export const item = (summary: string, title = ''): Item => ({ id: 'test-item', title, summary });
