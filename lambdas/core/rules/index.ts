/**
 * The keyword-rule classifier: load a rule file (JSON text), classify items, explain.
 * See schema.ts for the rule language, matcher.ts for the one-pass matcher, classify.ts for the
 * scoring, extract.ts for the casualty conventions and severity.ts for the tiers.
 *
 * The YAML front (cli/yaml/rules.ts: loadRules, checkRules) lives at the edge with the CLI and the
 * CDK app, so nothing here pulls the `yaml` parser into a Lambda bundle
 * (test/infra/bundle-inputs.test.ts checks).
 */
export { classify } from './classify.ts';
export { explain } from './explain.ts';
export { loadRulesJson } from './load-json.ts';
export { RuleSet } from './ruleset.ts';
