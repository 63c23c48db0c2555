/**
 * The JSON front of the rule file: the deployed form (bin/app.ts writes config/rules.json from the
 * YAML, validated by the same code) that the Lambdas read. No YAML parser, so the Lambda bundles
 * stay without one. Problems name the JSON path: `rules.json: rules[3].any: ...`.
 */
import { jsonPath, parseJsonText } from '../common/json-text.ts';
import { compileRuleFile, type RuleSet } from './ruleset.ts';
import type { DataPath, RuleDocument, RuleFileCheck } from './schema.ts';
import { validateRuleFile } from './validate.ts';

/** A rule file written as JSON, parsed: the document and where its paths are, or the problem. */
export function readRuleDocumentJson(
  text: string,
  source: string
): RuleDocument & { readonly problems: readonly string[] } {
  const locate = (path: DataPath): string =>
    path.length === 0 ? source : `${source}: ${jsonPath(path)}`;
  const parsed = parseJsonText(text, source);
  if ('problem' in parsed) return { root: undefined, locate, problems: [parsed.problem] };
  return { root: parsed.value, locate, problems: [] };
}

/** Parses and validates a rule file written as JSON. */
export function parseRuleFileJson(text: string, source: string): RuleFileCheck {
  const doc = readRuleDocumentJson(text, source);
  if (doc.problems.length > 0) return { problems: doc.problems };
  return validateRuleFile(doc.root, doc.locate);
}

/**
 * Loads and compiles a rule file written as JSON; `source` names it (the bucket key) in messages.
 * @throws InvalidInputError listing every problem, bad JSON included.
 */
export function loadRulesJson(text: string, source: string): RuleSet {
  return compileRuleFile(parseRuleFileJson(text, source), source);
}
