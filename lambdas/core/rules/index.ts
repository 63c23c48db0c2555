/**
 * The keyword-rule classifier: load a rule file (YAML or JSON text), classify items, explain.
 * See schema.ts for the rule language, matcher.ts for the one-pass matcher, classify.ts for the
 * scoring, extract.ts for the casualty conventions and severity.ts for the tiers.
 */
export { classify } from './classify.ts';
export { explain } from './explain.ts';
export { checkRules, loadRules, RuleSet } from './ruleset.ts';
