/**
 * The keyword-rule classifier: load a rule file (YAML or JSON text), classify items, explain.
 * See schema.ts for the rule language, matcher.ts for the one-pass matcher, classify.ts for the
 * scoring, extract.ts for the casualty conventions and severity.ts for the tiers.
 *
 * This entry includes the YAML front (load-yaml.ts), hence the `yaml` parser: Lambda code imports
 * classify.ts, ruleset.ts and load-json.ts directly instead, so their bundles leave it out
 * (test/infra/bundle-inputs.test.ts checks).
 */
export { classify } from './classify.ts';
export { explain } from './explain.ts';
export { loadRulesJson } from './load-json.ts';
export { checkRules, loadRules } from './load-yaml.ts';
export { RuleSet } from './ruleset.ts';
