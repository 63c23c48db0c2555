import { describe, expect, it } from 'vitest';
import { checkRules, loadRules } from '../../../../cli/yaml/rules.ts';
import { loadRulesJson } from '../../../../lambdas/core/rules/index.ts';
import { TINY_RULES_YAML } from '../../../fixtures/rules/tiny.ts';

describe('Rule file: grouping', () => {
  it('reads the grouping settings into the rule set, and none when the section is left out', () => {
    // Prepare
    const text = `${TINY_RULES_YAML}grouping:
  windowHours: 48
  retainHours: 24
  joinThreshold: 0.6
  maxAgeHours: 6
  smsUpdatesPerHour: 1
  casualtySteps: [5, 50]
  minorCategories: [armed-clash]
`;

    // Act
    const rules = loadRules(text, 'rules.yaml');

    // Assess
    expect(rules.grouping).toEqual({
      windowHours: 48,
      retainHours: 24,
      joinThreshold: 0.6,
      maxAgeHours: 6,
      smsUpdatesPerHour: 1,
      casualtySteps: [5, 50],
      minorCategories: ['armed-clash'],
    });
    expect(loadRules(TINY_RULES_YAML, 'rules.yaml').grouping).toEqual({});
  });

  it('names every bad setting with its line', () => {
    // Prepare
    const text = `${TINY_RULES_YAML}grouping:
  windowHours: 0
  joinThreshold: 1.5
  maxAgeHours: soon
  smsUpdatesPerHour: 1.5
  casualtySteps: []
  minorCategories: [armed-clash, sieges]
  window: 3
  retainHours: .inf
`;

    // Act
    const problems = checkRules(text, 'rules.yaml');

    // Assess
    expect(problems).toEqual([
      "rules.yaml:25:11: unknown key 'window' (expected one of windowHours, retainHours, joinThreshold, maxAgeHours, smsUpdatesPerHour, casualtySteps, minorCategories)",
      'rules.yaml:19:16: windowHours must be a number of hours above 0, got 0',
      'rules.yaml:26:16: retainHours must be a number of hours, 0 or more, got Infinity',
      'rules.yaml:20:18: joinThreshold must be a number above 0 and at most 1, got 1.5',
      'rules.yaml:21:16: maxAgeHours must be a number of hours above 0, got "soon"',
      'rules.yaml:22:22: smsUpdatesPerHour must be a whole number, 0 or more, got 1.5',
      'rules.yaml:23:18: casualtySteps must be a list of numbers above 0, got []',
      "rules.yaml:24:34: unknown category 'sieges'",
    ]);
  });

  it('reads the same settings from the deployed JSON', () => {
    // Act
    const rules = loadRulesJson(
      JSON.stringify({
        threshold: 4,
        categories: { 'armed-clash': { label: 'armed clash', severity: 'medium' } },
        rules: [{ id: 'clash', category: 'armed-clash', weight: 4, any: ['clash~'] }],
        grouping: { maxAgeHours: 3 },
      }),
      'config/rules.json'
    );

    // Assess
    expect(rules.grouping).toEqual({ maxAgeHours: 3 });
  });
});
