/**
 * The YAML front of the rule file (YAML or JSON text, as people write it): the CLI, the CDK app
 * and the tests load rules through it. Problems carry the file, line and column. It imports the
 * `yaml` parser, so Lambda code must not import it: the Lambdas read the deployed JSON through
 * lambdas/core/rules/load-json.ts.
 */
import { compileRuleFile, type RuleSet } from '../../lambdas/core/rules/ruleset.ts';
import type { RuleFileCheck } from '../../lambdas/core/rules/schema.ts';
import { validateRuleFile } from '../../lambdas/core/rules/validate.ts';
import { parseLocated } from './located.ts';

/**
 * Parses and validates a rule file (YAML, or JSON which parses natively). `document` is the parsed
 * value when the text parsed (the CDK app uploads it as JSON).
 */
export function parseRuleFile(
  text: string,
  source: string
): RuleFileCheck & { readonly document?: unknown } {
  // JSON (the deployed form) parses natively; the YAML parser runs only to locate problems.
  const parsed = parseLocated(text, source);
  if (parsed.problems) return { problems: parsed.problems };
  const { root, locate } = parsed;
  return { ...validateRuleFile(root, locate), document: root };
}

/**
 * Loads and compiles a rule file (YAML or JSON text); `source` names it in messages.
 * @throws InvalidInputError listing every problem with its file:line:col.
 */
export function loadRules(text: string, source: string): RuleSet {
  return compileRuleFile(parseRuleFile(text, source), source);
}

/** The problems of a rule file (YAML or JSON text), [] when it is valid. */
export function checkRules(text: string, source: string): string[] {
  return [...parseRuleFile(text, source).problems];
}
