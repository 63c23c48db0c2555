import { describe, expect, it } from 'vitest';
import { loadRules, parseRuleFile } from '../../cli/yaml/rules.ts';
import { classify } from '../../lambdas/core/rules/index.ts';
import { loadRulesJson, parseRuleFileJson } from '../../lambdas/core/rules/load-json.ts';
import { repoFile } from '../unit/core/rules/helpers.ts';

const DEFAULTS = loadRules(repoFile('config/rules.yaml'), 'config/rules.yaml');
const idsOf = (rules: readonly { readonly id: string }[]) => rules.map((r) => r.id);

const GRID_RULE = `  - id: grid-attack
    category: air-strike
    weight: 4
    any: [grid~, power station~, substation~]
    with: [attack~, hit, struck, sabotag~]
    within: 4
`;

describe('extend: default', () => {
  it('adds rules after the default ones, which it keeps as they are', () => {
    // Prepare
    const text = `version: 2\nextend: default\nrules:\n${GRID_RULE}`;

    // Act
    const rules = loadRules(text, 'mine.yaml');

    // Assess
    expect(idsOf(rules.spec.rules)).toEqual([...idsOf(DEFAULTS.spec.rules), 'grid-attack']);
    expect(rules.spec.guards).toEqual(DEFAULTS.spec.guards);
    expect(rules.threshold).toBe(DEFAULTS.threshold);
    const item = { id: 'g', title: 'Saboteurs attack the substation outside the capital' };
    expect(classify(item, DEFAULTS).escalation).toBe(false);
    expect(classify(item, rules).escalation).toBe(true);
  });

  it('overrides a default rule in place, and disables rules and guards by id', () => {
    // Prepare
    const guard = DEFAULTS.spec.guards[0]?.id as string;
    const text = `version: 2
extend: default
disable: [shelling, ${guard}]
override:
  - id: air-strike
    category: air-strike
    weight: 1
    any: [airstrike~]
`;

    // Act
    const rules = loadRules(text, 'mine.yaml');

    // Assess
    const ids = idsOf(rules.spec.rules);
    expect(ids).not.toContain('shelling');
    expect(ids.indexOf('air-strike')).toBe(idsOf(DEFAULTS.spec.rules).indexOf('air-strike'));
    expect(rules.spec.rules.find((r) => r.id === 'air-strike')?.weight).toBe(1);
    expect(idsOf(rules.spec.guards)).not.toContain(guard);
    expect(rules.spec.guards).toHaveLength(DEFAULTS.spec.guards.length - 1);
  });

  it('reads a version 1 extending file with its own meaning, and warns as for any version 1 file', () => {
    // Prepare
    const text = `extend: default\nrules:\n${GRID_RULE.replace('with: [attack~, hit, struck, sabotag~]', 'with: [attack~, substation~]')}override:\n  - id: shelling\n    category: shelling\n    weight: 4\n    any: [shelling]\n    with: [town, village]\n`;

    // Act
    const checked = parseRuleFile(text, 'old.yaml');

    // Assess
    expect(checked.problems).toEqual([]);
    expect(checked.warnings).toEqual([
      expect.stringMatching(/^old\.yaml:14:11: rule 'shelling': .*write all: \[town, village\]/),
      expect.stringMatching(
        /^old\.yaml:7:11: rule 'grid-attack': .*write all: \[attack~, substation~\]/
      ),
    ]);
    expect(checked.spec?.rules.at(-1)?.with).toEqual([['attack~'], ['substation~']]);
    expect((checked.document as { version: number }).version).toBe(2);
  });

  it.each([
    [
      'an unknown id to disable, with the nearest',
      'disable: [air-strik]\n',
      "mine.yaml:3:11: no default rule or guard has the id 'air-strik': did you mean 'air-strike'?",
    ],
    [
      'an unknown id to override, with the nearest',
      'override:\n  - id: shellin\n    category: shelling\n    weight: 1\n    any: [x]\n',
      "mine.yaml:4:9: override 'shellin': no default rule or guard has the id 'shellin': did you mean 'shelling'?",
    ],
    [
      'an id far from any',
      'disable: [zzzzzzzzzzzz-qqqq]\n',
      "mine.yaml:3:11: no default rule or guard has the id 'zzzzzzzzzzzz-qqqq' (the ids are those of config/rules.yaml)",
    ],
    [
      'an added rule with a default id',
      `rules:\n${GRID_RULE.replace('grid-attack', 'shelling')}`,
      "mine.yaml:4:9: rule 'shelling': 'shelling' is already a default rule or guard: to replace it, list it under override; to drop it, under disable",
    ],
    [
      'a problem in an added rule, located in the user file',
      `rules:\n${GRID_RULE.replace('category: air-strike', 'category: nope')}`,
      `mine.yaml:5:15: rule 'grid-attack': category must be one of the categories defined, got "nope"`,
    ],
  ])('reports %s, once', (_what, body, expected) => {
    // Act
    const checked = parseRuleFile(`version: 2\nextend: default\n${body}`, 'mine.yaml');

    // Assess
    expect(checked.problems).toEqual([expected]);
  });

  it('refuses another base, and disable without extend', () => {
    // Act
    const other = parseRuleFile('extend: mine\n', 'a.yaml').problems;
    const alone = parseRuleFile(
      repoFile('config/rules.yaml').replace('threshold: 4', 'threshold: 4\ndisable: [x]'),
      'b.yaml'
    ).problems;

    // Assess
    expect(other).toEqual([`a.yaml:1:9: extend must be 'default' (the bundled rules), got "mine"`]);
    expect(alone).toEqual([
      'b.yaml:9:10: disable is only for a file that extends the default rules: put extend: default at the top',
    ]);
  });

  it('is resolved before the Lambdas read the rules: they refuse an unresolved extend, and read the merged document', () => {
    // Prepare
    const text = `version: 2\nextend: default\nrules:\n${GRID_RULE}`;
    const { document } = parseRuleFile(text, 'mine.yaml');

    // Act
    const unresolved = parseRuleFileJson(JSON.stringify({ extend: 'default' }), 'rules.json');
    const deployed = loadRulesJson(JSON.stringify(document), 'rules.json');

    // Assess
    expect(unresolved.problems).toContain(
      'rules.json: extend: extend was not resolved: a file that extends the default rules is read by the newsalert CLI or deployed by the CDK app (bin/app.ts), which merge it with the default rules'
    );
    expect(document).not.toHaveProperty('extend');
    expect(deployed.spec).toEqual(loadRules(text, 'mine.yaml').spec);
  });
});
