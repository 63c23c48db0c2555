import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../../cli/yaml/rules.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { assessSeverity } from '../../../../lambdas/core/rules/severity.ts';
import { defaultRules, item } from './helpers.ts';

const SPEC = {
  killed: [
    [1, 'medium'],
    [10, 'high'],
    [100, 'critical'],
  ] as const,
  injured: [
    [20, 'medium'],
    [50, 'high'],
  ] as const,
  massCasualties: 10,
  broadScale: 3,
};

describe('severity tiers', () => {
  it.each([
    ['a category alone', [{ id: 'armed-clash', severity: 'medium' as const }], {}, 'medium'],
    [
      'killed 12 raises medium to high',
      [{ id: 'armed-clash', severity: 'medium' as const }],
      { killed: 12 },
      'high',
    ],
    [
      'killed 200 is critical',
      [{ id: 'bombing', severity: 'medium' as const }],
      { killed: 200 },
      'critical',
    ],
    [
      'injured 60 is high',
      [{ id: 'bombing', severity: 'medium' as const }],
      { injured: 60 },
      'high',
    ],
    [
      'three categories raise one step',
      [
        { id: 'a', severity: 'medium' as const },
        { id: 'b', severity: 'medium' as const },
        { id: 'c', severity: 'low' as const },
      ],
      {},
      'high',
    ],
  ])('%s', (_what, categories, casualties, expected) => {
    // Act
    const result = assessSeverity(true, categories, casualties, SPEC);

    // Assess
    expect(result.severity).toBe(expected);
  });

  it('is none for a non-escalation', () => {
    // Act
    const result = assessSeverity(false, [{ id: 'coup', severity: 'high' }], { killed: 50 }, SPEC);

    // Assess
    expect(result.severity).toBe('none');
  });

  it('grades real-looking reports from low-key to critical', () => {
    // Prepare
    const mild = 'Militants fired on a police post overnight; no one was hurt.';
    const deadly = 'A car bomb exploded at a crowded market, killing at least 45 people.';
    const chemical = 'A chemical attack on the besieged town killed dozens of civilians.';

    // Act
    const [a, b, c] = [mild, deadly, chemical].map((t) => classify(item(t), defaultRules()));

    // Assess
    expect(a?.severity).toBe('medium');
    expect(b?.severity).toBe('high');
    expect(b?.categories).toContain('mass-casualties');
    expect(c?.severity).toBe('critical');
  });
});

describe('veto guards', () => {
  it('vetoes the whole item and says so in the explanation', () => {
    // Prepare
    const rules = loadRules(
      `threshold: 2
categories:
  armed-clash: { label: armed clash, severity: medium }
rules:
  - id: clash
    category: armed-clash
    weight: 2
    any: [clash~]
    with: [[militant~]]
guards:
  - id: satire
    kind: discard
    terms: [satire, parody]
    scope: item
    effect: veto
`,
      'veto.yaml'
    );
    const real = { id: 'r', title: 'Militants clash with troops' };
    const satire = {
      id: 's',
      title: 'Militants clash with troops',
      summary: 'A parody of war reporting.',
    };

    // Act
    const a = classify(real, rules);
    const b = classify(satire, rules);
    const why = explain(satire, rules);

    // Assess
    expect(a.escalation).toBe(true);
    expect(b.escalation).toBe(false);
    expect(b.score).toBe(2);
    expect(why).toContain('guard satire (discard) VETO on "parody"');
    expect(why).toContain('vetoed by a guard');
  });
});
