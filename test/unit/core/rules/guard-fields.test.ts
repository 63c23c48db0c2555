import { describe, expect, it } from 'vitest';
import { checkRules, loadRules } from '../../../../cli/yaml/rules.ts';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { TINY_RULES_YAML } from '../../../fixtures/rules/tiny.ts';

// The tiny rules plus a headline frame: "why" in the title vetoes the item.
const FRAMED = `${TINY_RULES_YAML}  - id: headline-frame
    kind: false-friend
    terms: [why]
    scope: item
    effect: veto
    fields: [title]
`;

describe('guards limited to fields', () => {
  it('count a cue only in the fields named: a headline frame vetoes, the same word in the summary does not', () => {
    // Prepare
    const rules = loadRules(FRAMED, 'framed.yaml');
    const framed = { id: 'a', title: 'Why militants clash with soldiers', summary: '' };
    const elsewhere = {
      id: 'b',
      title: 'Militants clash with soldiers',
      summary: 'It is not known why militants clash with soldiers there.',
    };

    // Act
    const vetoed = classify(framed, rules);
    const kept = classify(elsewhere, rules);

    // Assess
    expect(vetoed.escalation).toBe(false);
    expect(kept.escalation).toBe(true);
  });

  it('reports a fields value that names no field, with its location', () => {
    // Act
    const problems = checkRules(
      FRAMED.replace('fields: [title]', 'fields: [headline]'),
      'framed.yaml'
    );

    // Assess
    expect(problems.join('\n')).toMatch(
      /framed\.yaml:\d+:\d+: guard 'headline-frame': fields must be a list of title, summary, content, got \["headline"\]/
    );
  });
});
