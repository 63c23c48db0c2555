import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules } from './helpers.ts';

/** A feed entry as the live feeds give it: a headline, often with an empty summary. */
export type Headline = string | { readonly title: string; readonly summary: string };

/** A register of headlines: the ones that must alert beside their twins that must stay quiet. */
export interface HeadlineCase {
  readonly spot: string;
  readonly alerts: readonly Headline[];
  readonly quiet: readonly Headline[];
}

const entry = (h: Headline): Item =>
  typeof h === 'string'
    ? { id: 'headline', title: h, summary: '' }
    : { id: 'headline', title: h.title, summary: h.summary };

const name = (h: Headline): string => (typeof h === 'string' ? h : `${h.title} | ${h.summary}`);

/** One test per headline of each case, with the default rules; a failure shows the explanation. */
export const describeHeadlines = (title: string, cases: readonly HeadlineCase[]): void => {
  describe(title, () => {
    for (const { spot, alerts, quiet } of cases) {
      describe(spot, () => {
        it.each(alerts.map((h) => [name(h), h] as const))('alerts: %s', (_name, h) => {
          expect(
            classify(entry(h), defaultRules()).escalation,
            explain(entry(h), defaultRules())
          ).toBe(true);
        });
        it.each(quiet.map((h) => [name(h), h] as const))('stays quiet: %s', (_name, h) => {
          expect(
            classify(entry(h), defaultRules()).escalation,
            explain(entry(h), defaultRules())
          ).toBe(false);
        });
      });
    }
  });
};
