import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../../cli/yaml/rules.ts';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { classify, type RuleSet } from '../../../../lambdas/core/rules/index.ts';

export const repoFile = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../../${path}`, import.meta.url)), 'utf8');

let cached: RuleSet | undefined;
/** The default rules of config/rules.yaml, compiled once per test file. */
export function defaultRules(): RuleSet {
  cached ??= loadRules(repoFile('config/rules.yaml'), 'config/rules.yaml');
  return cached;
}

export const item = (summary: string, title = ''): Item => ({ id: 'test-item', title, summary });

/** With the default rules, `trap` stays quiet and `twin`, its conflict counterpart, alerts. */
export const expectQuietAndLoud = (trap: Item, twin: Item): void => {
  const rules = defaultRules();
  const quiet = classify(trap, rules);
  const loud = classify(twin, rules);
  expect(quiet.escalation, JSON.stringify(quiet.matches)).toBe(false);
  expect(loud.escalation, JSON.stringify(loud.matches)).toBe(true);
};

/** A weak spot of the rules: sentences that must alert beside the traps that must stay quiet. */
export interface VerdictCase {
  readonly spot: string;
  readonly alerts: readonly string[];
  readonly traps: readonly string[];
}

/** One test per sentence of each case, with the default rules. */
export const describeVerdicts = (title: string, cases: readonly VerdictCase[]): void => {
  describe(title, () => {
    for (const { spot, alerts, traps } of cases) {
      describe(spot, () => {
        it.each(alerts)('alerts: %s', (text) => {
          const result = classify(item(text), defaultRules());
          expect(result.escalation, JSON.stringify(result.matches)).toBe(true);
        });
        it.each(traps)('stays quiet: %s', (text) => {
          const result = classify(item(text), defaultRules());
          expect(result.escalation, JSON.stringify(result.matches)).toBe(false);
        });
      });
    }
  });
};
