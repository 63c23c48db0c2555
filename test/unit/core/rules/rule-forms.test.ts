import { describe, expect, it } from 'vitest';
import { loadRules, parseRuleFile } from '../../../../cli/yaml/rules.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { repoFile } from './helpers.ts';

/** A small rule file: `version` (omitted when undefined) and one rule's partner lines. */
const ruleFile = (version: number | undefined, partner: string): string =>
  `${version === undefined ? '' : `version: ${version}\n`}threshold: 4
lexicons:
  outage: [blackout~, power cut~]
categories:
  grid: { label: grid attack, severity: high }
rules:
  - id: grid-attack
    category: grid
    weight: 4
    any: [attack~]
${partner}
    within: 6
`;

const fires = (text: string, title: string): boolean =>
  classify({ id: 'x', title }, loadRules(text, 'forms.yaml')).escalation;

describe('rule forms: with is any one of its terms, all is each of its groups', () => {
  it('version 2: with needs any one of its terms', () => {
    // Prepare
    const rules = ruleFile(2, '    with: [grid~, substation~]');

    // Act, Assess
    expect(fires(rules, 'Rebels attack the grid')).toBe(true);
    expect(fires(rules, 'Rebels attack a substation')).toBe(true);
    expect(fires(rules, 'Rebels attack a convoy')).toBe(false);
  });

  it('all needs each of its entries, a list being one of its terms and a lexicon one of its own', () => {
    // Prepare
    const rules = ruleFile(2, "    all: [[grid~, substation~], '@outage']");

    // Act, Assess
    expect(fires(rules, 'Rebels attack the grid')).toBe(false);
    expect(fires(rules, 'Rebels attack a substation: blackout')).toBe(true);
    expect(fires(rules, 'Rebels attack the grid, power cuts follow')).toBe(true);
  });

  it('a version 1 file keeps its meaning (each with entry required), and rules check warns with the exact rewrite', () => {
    // Prepare
    const old = ruleFile(undefined, '    with: [grid~, blackout~]');

    // Act
    const checked = parseRuleFile(old, 'old.yaml');

    // Assess
    expect(fires(old, 'Rebels attack the grid')).toBe(false);
    expect(fires(old, 'Rebels attack the grid: blackout')).toBe(true);
    expect(checked.problems).toEqual([]);
    expect(checked.warnings).toEqual([
      expect.stringMatching(
        /^old\.yaml:11:11: rule 'grid-attack': with: \[grid~, blackout~\] requires every one of its 2 entries .*write all: \[grid~, blackout~\]; if any one of them is enough, put version: 2 at the top/
      ),
    ]);
    // The rewrite keeps the meaning, without a warning.
    const rewritten = ruleFile(undefined, '    all: [grid~, blackout~]');
    expect(parseRuleFile(rewritten, 'new.yaml').warnings).toBeUndefined();
    expect(loadRules(rewritten, 'new.yaml').spec.rules).toEqual(
      loadRules(old, 'old.yaml').spec.rules
    );
  });

  it('a version 1 with of one group (a lexicon or a nested list) reads the same in both versions, without a warning', () => {
    // Prepare
    const lexicon = "    with: ['@outage']";

    // Act
    const v1 = parseRuleFile(ruleFile(1, lexicon), 'v1.yaml');
    const v2 = parseRuleFile(ruleFile(2, lexicon), 'v2.yaml');

    // Assess
    expect(v1.warnings).toBeUndefined();
    expect(v1.spec?.rules).toEqual(v2.spec?.rules);
    expect(v2.spec?.rules[0]?.with).toEqual([['blackout~', 'power cut~']]);
  });

  it.each([
    [
      'a version 1 list of one group',
      '    with: [[grid~, substation~]]',
      "forms.yaml:12:11: rule 'grid-attack': with is one list of terms, any one of which is enough (version 2): write with: [grid~, substation~]",
    ],
    [
      'a version 1 list of groups',
      '    with: [[grid~], [blackout~]]',
      "forms.yaml:12:11: rule 'grid-attack': with is one list of terms, any one of which is enough (version 2): write all: [[grid~], [blackout~]] if each group is required",
    ],
    [
      'both with and all',
      '    with: [grid~]\n    all: [blackout~]',
      "forms.yaml:13:10: rule 'grid-attack': use either with (any one of its terms) or all (each of its groups), not both: write all: [[grid~], ...] with the with terms as one more group",
    ],
    [
      'an empty all',
      '    all: []',
      `forms.yaml:12:10: rule 'grid-attack': all must be a non-empty list: each entry a term, a "@lexicon" or a list of terms`,
    ],
  ])(
    'refuses %s in a version 2 file, naming the rule, the line and the fix',
    (_what, partner, expected) => {
      // Act
      const checked = parseRuleFile(ruleFile(2, partner), 'forms.yaml');

      // Assess
      expect(checked.problems).toEqual([expected]);
    }
  );

  it('refuses a version it does not know', () => {
    // Act
    const checked = parseRuleFile(ruleFile(3, '    with: [grid~]'), 'forms.yaml');

    // Assess
    expect(checked.problems).toEqual([
      'forms.yaml:1:10: version must be 1 or 2 (the newest), got 3',
    ]);
  });

  it('the default rules are version 2, with no warning', () => {
    // Act
    const checked = parseRuleFile(repoFile('config/rules.yaml'), 'config/rules.yaml');

    // Assess
    expect(checked.problems).toEqual([]);
    expect(checked.warnings).toBeUndefined();
    expect((checked.document as { version: unknown }).version).toBe(2);
  });
});

describe('--explain: the rules that nearly fired', () => {
  const rules = loadRules(
    `version: 2
threshold: 4
categories:
  shelling: { label: shelling, severity: high }
rules:
  - id: city-shelled
    category: shelling
    weight: 4
    any: [shelling]
    with: [city, town]
    within: 3
  - id: town-shelled
    category: shelling
    weight: 4
    any: [shelling]
    with: [village]
  - id: headline-shelling
    category: shelling
    weight: 4
    any: [shelling]
    with: [overnight]
    fields: [title]
`,
    'near.yaml'
  );

  it('names the anchor and what was missing, too far, elsewhere or in another field, the nearest first', () => {
    // Prepare
    const item = {
      id: 'n',
      title: 'Calm returns',
      summary:
        'The shelling went on for many long hours near the city. The village was quiet. Overnight shelling stopped.',
    };

    // Act
    const text = explain(item, rules);

    // Assess
    expect(classify(item, rules).escalation).toBe(false);
    const near = text.split('\n').filter((l) => l.startsWith('  near: '));
    // Only the field was wrong, then a partner 5 words too far, then one in another sentence.
    expect(near).toEqual([
      `  near: rule headline-shelling: "shelling" summary[89..97] matched, the rule reads only title, not the summary`,
      `  near: rule city-shelled: "shelling" summary[4..12] matched, none of [city, town] within 3 words ("city" is 8 words away)`,
      `  near: rule town-shelled: "shelling" summary[4..12] matched, none of [village] in its sentence ("village" is in another sentence)`,
    ]);
    expect(text.indexOf('near:')).toBeLessThan(text.indexOf('casualties:'));
  });

  it('lists none for a rule that fired, and at most five', () => {
    // Prepare
    const many = loadRules(
      `version: 2
threshold: 4
categories:
  c: { label: c, severity: low }
rules:
${Array.from(
  { length: 8 },
  (_, i) =>
    `  - id: r${i}\n    category: c\n    weight: 1\n    any: [shelling]\n    with: [w${i}]\n`
).join('')}`,
      'many.yaml'
    );

    // Act
    const text = explain({ id: 'm', title: 'Shelling w7' }, many);

    // Assess
    const near = text.split('\n').filter((l) => l.startsWith('  near: '));
    expect(near).toHaveLength(6);
    expect(near.some((l) => l.includes('rule r7'))).toBe(false);
    expect(near[5]).toBe('  near: 2 more not shown');
    expect(text).toContain('rule r7 (c, weight 1):');
  });
});
