/**
 * The keyword-rule classifier: load a rule file (JSON text), classify items, explain.
 *
 * The room:
 * - the rule language: schema.ts (the format's types), validate.ts with validate-rules.ts and
 *   validate-terms.ts (its validation), load-json.ts (the JSON front), ruleset.ts (compiling);
 * - text into tokens: fold.ts (characters), text.ts (tokenize), sentences.ts (sentence ends);
 * - the one-pass matcher: matcher.ts, over inflect.ts (terms and their inflections), automaton.ts
 *   (the vocabulary's character automaton), trie.ts (the term trie), refs.ts (what uses each
 *   term), matcher-snapshot.ts (its stored tables);
 * - classification: classify.ts, over hit-buckets.ts, occurrences.ts (rules and guards),
 *   mentions.ts (places, actors), extract.ts (casualty figures), severity.ts (tiers);
 *   explain.ts (the account of one decision); eval.ts (scores on labelled items).
 *
 * The YAML front (cli/yaml/rules.ts: loadRules, checkRules) lives at the edge with the CLI and the
 * CDK app, so nothing here pulls the `yaml` parser into a Lambda bundle
 * (test/infra/bundle-inputs.test.ts checks).
 */
export { classify } from './classify.ts';
export { explain } from './explain.ts';
export { loadRulesJson } from './load-json.ts';
export { RuleSet } from './ruleset.ts';
