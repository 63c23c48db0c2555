import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkRules, loadRules } from '../../../../cli/yaml/rules.ts';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { TINY_RULES_YAML } from '../../../fixtures/rules/tiny.ts';
import { thrown } from '../../../helpers/thrown.ts';
import { repoFile } from './helpers.ts';

const VALID = TINY_RULES_YAML;

describe('rule files: validation', () => {
  it('accepts the default rules and a small valid file', () => {
    // Act
    const defaults = checkRules(repoFile('config/rules.yaml'), 'config/rules.yaml');
    const tiny = checkRules(VALID, 'tiny.yaml');

    // Assess
    expect(defaults).toEqual([]);
    expect(tiny).toEqual([]);
  });

  it('accepts the same rules as JSON', () => {
    // Prepare
    const json = JSON.stringify({
      name: 'json',
      threshold: 2,
      categories: { 'armed-clash': { label: 'armed clash', severity: 'medium' } },
      rules: [
        { id: 'clash', category: 'armed-clash', weight: 2, any: ['clash~'], with: [['militant~']] },
      ],
    });

    // Act
    const rules = loadRules(json, 'rules.json');
    const result = classify({ id: 'x', title: 'Militants clashed with police' }, rules);

    // Assess
    expect(rules.name).toBe('json');
    expect(result.escalation).toBe(true);
  });

  it.each([
    [
      'an unknown category',
      VALID.replace('category: armed-clash\n    weight', 'category: fight\n    weight'),
      /tiny\.yaml:9:15: rule 'clash': category must be one of the categories defined, got "fight"/,
    ],
    [
      'a weight that is not a number',
      VALID.replace('weight: 4', 'weight: heavy'),
      /tiny\.yaml:10:13: rule 'clash': weight must be a number above 0, got "heavy"/,
    ],
    [
      'an unknown lexicon',
      VALID.replace("with: ['@actor']", "with: ['@actors']"),
      /tiny\.yaml:12:\d+: rule 'clash': unknown lexicon '@actors'/,
    ],
    [
      'a bad guard scope',
      VALID.replace('scope: sentence', 'scope: { before: -2 }'),
      /tiny\.yaml:17:12: guard 'sport': scope must be 'sentence', 'item' or \{ before\|after\|around: words \}/,
    ],
    [
      'a misplaced inflection mark',
      VALID.replace('any: [clash~]', 'any: [cl~ash]'),
      /tiny\.yaml:11:11: rule 'clash': term 'cl~ash' has a bad word 'cl~ash'/,
    ],
    [
      'an unknown key',
      VALID.replace('weight: 4', 'weight: 4\n    wieght: 5'),
      /tiny\.yaml:11:13: rule 'clash': unknown key 'wieght'/,
    ],
    ['a YAML syntax error', 'rules: [unclosed\n', /tiny\.yaml:\d+:\d+: /],
  ])('reports %s with its location', (_what, text, expected) => {
    // Act
    const problems = checkRules(text, 'tiny.yaml');

    // Assess
    expect(problems.join('\n')).toMatch(expected);
  });

  it('loads the default rules as JSON (the deployed form) with the same verdicts', () => {
    // Prepare
    const yamlText = repoFile('config/rules.yaml');
    const jsonText = JSON.stringify(parse(yamlText), null, 2);
    const text = 'Militants ambushed an army convoy near the border, killing six soldiers.';

    // Act
    const fromYaml = classify(
      { id: 'a', title: '', summary: text },
      loadRules(yamlText, 'rules.yaml')
    );
    const fromJson = classify(
      { id: 'a', title: '', summary: text },
      loadRules(jsonText, 'rules.json')
    );

    // Assess
    expect(fromJson).toEqual(fromYaml);
    expect(fromJson.escalation).toBe(true);
  });

  it('locates problems in a JSON rule file', () => {
    // Prepare
    const json = JSON.stringify(
      {
        threshold: 2,
        categories: { 'armed-clash': { label: 'armed clash', severity: 'medium' } },
        rules: [{ id: 'clash', category: 'armed-clash', weight: 'heavy', any: ['clash~'] }],
      },
      null,
      2
    );

    // Act
    const problems = checkRules(json, 'rules.json');

    // Assess
    expect(problems).toEqual([
      `rules.json:13:17: rule 'clash': weight must be a number above 0, got "heavy"`,
    ]);
  });

  it('lists every problem, not only the first', () => {
    // Prepare
    const text = VALID.replace('weight: 4', 'weight: 0')
      .replace('kind: false-friend', 'kind: friend')
      .replace('severity: medium', 'severity: extreme');

    // Act
    const problems = checkRules(text, 'tiny.yaml');

    // Assess
    expect(problems).toHaveLength(3);
    expect(problems.some((p) => p.includes("rule 'clash': weight"))).toBe(true);
    expect(problems.some((p) => p.includes("guard 'sport': kind must be one of"))).toBe(true);
    expect(problems.some((p) => p.includes("category 'armed-clash': severity"))).toBe(true);
  });

  it('fails loading with an InvalidInputError naming the file and carrying the problems', () => {
    // Prepare
    const text = VALID.replace('threshold: 4', 'threshold: none');

    // Act
    const error = thrown(() => loadRules(text, 'config/bad-rules.yaml'));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(
      /^config\/bad-rules\.yaml is not a valid rule file/
    );
    expect((error as InvalidInputError).problems).toEqual([
      'config/bad-rules.yaml:2:12: threshold must be a number above 0, got "none"',
    ]);
  });
});
