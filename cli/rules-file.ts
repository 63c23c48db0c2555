import { resolve } from 'node:path';
import { loadRules, type RuleSet } from '../lambdas/core/rules/index.ts';
import { DEFAULT_RULES, readUserFile } from './io.ts';

/** Loads and validates a rules file: a bad one is a usage error naming the file and each problem. */
export const loadRulesFile = async (path: string | undefined): Promise<RuleSet> => {
  const file = path ? resolve(path) : DEFAULT_RULES;
  return loadRules(await readUserFile(file, 'rules'), file);
};
