import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRules, loadRules, parseRuleFile } from '../../../../cli/yaml/rules.ts';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { loadRulesJson, parseRuleFileJson } from '../../../../lambdas/core/rules/load-json.ts';
import { thrown } from '../../../helpers/thrown.ts';
import { repoFile } from './helpers.ts';

/** A small rule file with one of everything that can be wrong, written as a value. */
const TINY = {
  name: 'tiny',
  threshold: 4,
  lexicons: { actor: ['militant~', 'soldier~'] },
  categories: { 'armed-clash': { label: 'armed clash', severity: 'medium' } },
  rules: [{ id: 'clash', category: 'armed-clash', weight: 4, any: ['clash~'], with: ['@actor'] }],
  guards: [{ id: 'sport', kind: 'false-friend', terms: ['match~', 'cup'], scope: 'sentence' }],
  places: {
    Syria: { aliases: ['Syrian Arab Republic'], places: { 'Deir ez-Zor': ['Deir Ezzor'] } },
  },
};

/** The problems of a rule file given as a value, through the JSON front. */
const jsonProblems = (value: unknown, source = 'tiny.json'): readonly string[] =>
  parseRuleFileJson(JSON.stringify(value), source).problems;

describe('Function: loadRulesJson (the deployed form the Lambdas read)', () => {
  it('compiles the JSON the CDK app writes from config/rules.yaml into the same rules', () => {
    // Prepare: the conversion bin/app.ts does (the YAML front's parsed document, as JSON)
    const yamlText = repoFile('config/rules.yaml');
    const { document } = parseRuleFile(yamlText, 'config/rules.yaml');
    const jsonText = `${JSON.stringify(document, null, 2)}\n`;
    const items = [
      'Militants ambushed an army convoy near the border, killing six soldiers.',
      'An airstrike on a market in Aleppo killed 23 civilians, rescuers said.',
      'The football club said the striker would not play in the cup match.',
    ].map((summary, i) => ({ id: `item-${i}`, title: '', summary }));

    // Act
    const fromYaml = loadRules(yamlText, 'config/rules.yaml');
    const fromJson = loadRulesJson(jsonText, 'config/rules.json');

    // Assess
    expect(fromJson.spec).toEqual(fromYaml.spec);
    expect(fromJson.termCount).toBe(fromYaml.termCount);
    expect(fromJson.source).toBe('config/rules.json');
    const verdicts = items.map((item) => classify(item, fromJson));
    expect(verdicts).toEqual(items.map((item) => classify(item, fromYaml)));
    expect(verdicts[0]?.escalation).toBe(true);
  });

  it('accepts a small valid file', () => {
    // Act
    const rules = loadRulesJson(JSON.stringify(TINY), 'tiny.json');

    // Assess
    expect(rules.name).toBe('tiny');
    expect(classify({ id: 'a', title: 'Militants clashed with soldiers' }, rules).escalation).toBe(
      true
    );
  });

  it.each([
    [
      'an unknown category',
      { ...TINY, rules: [{ ...TINY.rules[0], category: 'fight' }] },
      `tiny.json: rules[0].category: rule 'clash': category must be one of the categories defined, got "fight"`,
    ],
    [
      'a missing threshold',
      { ...TINY, threshold: undefined },
      'tiny.json: threshold: threshold must be a number above 0, got nothing',
    ],
    [
      'a bad term in a list',
      { ...TINY, rules: [{ ...TINY.rules[0], any: ['clash~', 'cl~ash'] }] },
      `tiny.json: rules[0].any[1]: rule 'clash': term 'cl~ash' has a bad word 'cl~ash' ('~' only at a word's end; '<num>' and '<year>' are the only classes)`,
    ],
    [
      'a bad guard scope',
      { ...TINY, guards: [{ ...TINY.guards[0], scope: { before: -2 } }] },
      `tiny.json: guards[0].scope: guard 'sport': scope must be 'sentence', 'item' or { before|after|around: words }, got {"before":-2}`,
    ],
    [
      'a bad category severity (an id with a hyphen)',
      { ...TINY, categories: { 'armed-clash': { label: 'armed clash', severity: 'extreme' } } },
      `tiny.json: categories["armed-clash"].severity: category 'armed-clash': severity must be one of low, medium, high, critical, got "extreme"`,
    ],
    [
      'bad aliases of a place with a space in its name',
      { ...TINY, places: { Syria: { places: { 'Deir ez-Zor': 'Deir Ezzor' } } } },
      `tiny.json: places.Syria.places["Deir ez-Zor"]: place 'Deir ez-Zor': aliases must be a list of names, got "Deir Ezzor"`,
    ],
    [
      'a document that is not a mapping',
      [TINY],
      // What it is, not the whole document again.
      'tiny.json: a rule file must be a mapping with rules, got a list',
    ],
  ])('names the JSON path of %s', (_what, value, expected) => {
    // Act
    const problems = jsonProblems(value);

    // Assess
    expect(problems).toEqual([expected]);
  });

  it('finds the same problems as the YAML front, located by path instead of line', () => {
    // Prepare: three problems at once
    const value = {
      ...TINY,
      categories: { 'armed-clash': { label: 'armed clash', severity: 'extreme' } },
      rules: [{ ...TINY.rules[0], weight: 0 }],
      guards: [{ ...TINY.guards[0], kind: 'friend' }],
    };
    const text = JSON.stringify(value, null, 2);

    // Act
    const fromJson = parseRuleFileJson(text, 'tiny.json').problems;
    const fromYaml = checkRules(text, 'tiny.json');

    // Assess: only the location differs
    expect(fromJson).toHaveLength(3);
    expect(fromYaml.map((p) => p.replace(/^tiny\.json:\d+:\d+: /, ''))).toEqual(
      fromJson.map((p) => p.replace(/^tiny\.json: [^ ]+: /, ''))
    );
    expect(fromYaml[0]).toMatch(/^tiny\.json:\d+:\d+: category 'armed-clash': severity/);
    expect(fromJson[0]).toMatch(
      /^tiny\.json: categories\["armed-clash"\]\.severity: category 'armed-clash': severity/
    );
  });

  it.each([
    ['truncated JSON', '{"name": "tiny", "threshold": 4,'],
    ['YAML in the JSON key', 'name: tiny\nthreshold: 4\n'],
    ['an empty object body', ''],
  ])('fails on %s with an error naming the key and what to do', (_what, text) => {
    // Act
    const error = thrown(() => loadRulesJson(text, 'config/rules.json'));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(
      /^config\/rules\.json is not a valid rule file \(1 problem\): fix it and load it again\nconfig\/rules\.json: not valid JSON: \S/
    );
    expect((error as InvalidInputError).problems).toHaveLength(1);
  });

  it('fails only with an InvalidInputError naming the key, whatever the object holds', () => {
    const bodies = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.json(),
      fc
        .record({ threshold: fc.anything(), rules: fc.anything(), categories: fc.anything() })
        .map((doc) => JSON.stringify(doc) ?? '')
    );
    fc.assert(
      fc.property(bodies, (text) => {
        try {
          loadRulesJson(text, 'config/rules.json');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          expect((err as Error).message).toMatch(/^config\/rules\.json is not a valid rule file/);
        }
      }),
      { numRuns: 200 }
    );
  });
});
