/**
 * The YAML front of the rule file (YAML or JSON text, as people write it): the CLI, the CDK app
 * and the tests load rules through it. Problems carry the file, line and column. It imports the
 * `yaml` parser, so Lambda code must not import it: the Lambdas read the deployed JSON through
 * lambdas/core/rules/load-json.ts. A file that says `extend: default` is merged with the default
 * rules first (cli/rules-extend.ts).
 */
import { readFileSync } from 'node:fs';
import { compileRuleFile, type RuleSet } from '../../lambdas/core/rules/ruleset.ts';
import type { RuleDocument, RuleFileCheck } from '../../lambdas/core/rules/schema.ts';
import { validateRuleFile } from '../../lambdas/core/rules/validate.ts';
import { DEFAULT_RULES } from '../io.ts';
import { extendRules } from '../rules-extend.ts';
import { parseLocated } from './located.ts';

/** A rule file's text parsed: the document and where its paths are, or the parse problems. */
export function readRuleDocument(
  text: string,
  source: string
): RuleDocument & { readonly problems: readonly string[] } {
  // JSON (the deployed form) parses natively; the YAML parser runs only to locate problems.
  const parsed = parseLocated(text, source);
  if (parsed.problems) {
    return { root: undefined, locate: () => `${source}:1:1`, problems: parsed.problems };
  }
  return { root: parsed.root, locate: parsed.locate, problems: [] };
}

let defaults: { text: string; document: RuleDocument } | undefined;

/** The bundled default rules (config/rules.yaml), which `extend: default` names; read once. */
export const defaultRulesDocument = (): { text: string; document: RuleDocument } => {
  if (!defaults) {
    const text = readFileSync(DEFAULT_RULES, 'utf8');
    defaults = { text, document: readRuleDocument(text, DEFAULT_RULES) };
  }
  return defaults;
};

/**
 * Validates a parsed rule file, merged first with the default rules when it says `extend`
 * (`base` gives them; the JSON front of the CLI passes its document here too). `document` is the
 * value validated: the merged one for a file that extends (the CDK app uploads it as JSON).
 */
export function checkRuleDocument(
  doc: RuleDocument,
  text: string,
  base: () => { text: string; document: RuleDocument } = defaultRulesDocument
): RuleFileCheck & { readonly document?: unknown } {
  const { root, locate } = doc;
  if (typeof root !== 'object' || root === null || Array.isArray(root) || !('extend' in root)) {
    return { ...validateRuleFile(root, locate), document: root };
  }
  const defaultRules = base();
  if (defaultRules.text === text) {
    return { problems: [`${locate(['extend'])}: the default rules cannot extend themselves`] };
  }
  const merged = extendRules(root as Record<string, unknown>, locate, defaultRules.document);
  const checked = validateRuleFile(merged.root, merged.locate);
  const problems = [...merged.problems, ...checked.problems];
  const warnings = [...merged.warnings, ...(checked.warnings ?? [])];
  return {
    ...(problems.length === 0 && checked.spec ? { spec: checked.spec } : {}),
    problems,
    ...(warnings.length > 0 ? { warnings } : {}),
    document: merged.root,
  };
}

/**
 * Parses and validates a rule file (YAML, or JSON which parses natively). `document` is the parsed
 * value when the text parsed (the CDK app uploads it as JSON), merged with the default rules when
 * the file extends them.
 */
export function parseRuleFile(
  text: string,
  source: string
): RuleFileCheck & { readonly document?: unknown } {
  const doc = readRuleDocument(text, source);
  if (doc.problems.length > 0) return { problems: doc.problems };
  return checkRuleDocument(doc, text);
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
