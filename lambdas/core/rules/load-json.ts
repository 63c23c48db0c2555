/**
 * The JSON front of the rule file: the deployed form (bin/app.ts writes config/rules.json from the
 * YAML, validated by the same code) that the Lambdas read. No YAML parser, so the Lambda bundles
 * stay without one. Problems name the JSON path: `rules.json: rules[3].any: ...`.
 */
import { jsonPath, parseJsonText } from '../common/json-text.ts';
import { compileRuleFile, type RuleSet } from './ruleset.ts';
import type { RuleFileCheck } from './schema.ts';
import { validateRuleFile } from './validate.ts';

/** Parses and validates a rule file written as JSON. */
export function parseRuleFileJson(text: string, source: string): RuleFileCheck {
  const parsed = parseJsonText(text, source);
  if ('problem' in parsed) return { problems: [parsed.problem] };
  return validateRuleFile(parsed.value, (path) =>
    path.length === 0 ? source : `${source}: ${jsonPath(path)}`
  );
}

/**
 * Loads and compiles a rule file written as JSON; `source` names it (the bucket key) in messages.
 * @throws InvalidInputError listing every problem, bad JSON included.
 */
export function loadRulesJson(text: string, source: string): RuleSet {
  return compileRuleFile(parseRuleFileJson(text, source), source);
}
