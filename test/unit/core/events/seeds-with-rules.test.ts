/**
 * The seeds through the real default rules and the clustering: whatever the rules extract (full
 * articles name context places and extra categories), the two reports make one event, one new
 * alert and at most one update, in either order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../../cli/yaml/rules.ts';
import type { Alert, Item } from '../../../../lambdas/core/common/types.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import { emptyClusterState } from '../../../../lambdas/core/events/event-state.ts';
import { classify } from '../../../../lambdas/core/rules/index.ts';
import { report } from './fixtures.ts';

const rules = loadRules(
  readFileSync(new URL('../../../../config/rules.yaml', import.meta.url), 'utf8'),
  'config/rules.yaml'
);

const worthy = report('seedWorthy').item;
const second = report('seedSecond').item;

/** The seed texts as full articles (content) and as feed ledes only. */
const SEED_DIR = new URL('../../../fixtures/seeds/', import.meta.url);
const content = (name: string) => readFileSync(new URL(name, SEED_DIR), 'utf8');

const variants: ReadonlyArray<readonly [string, Item, Item]> = [
  ['ledes', worthy, second],
  [
    'full articles',
    { ...worthy, content: content('cluster-worthy-news.txt') },
    { ...second, content: content('cluster-second-outlet.txt') },
  ],
];

const run = (items: readonly Item[]) => {
  let state = emptyClusterState();
  const alerts: Alert[] = [];
  for (const item of items) {
    const result = classify(item, rules);
    const attached = attach(state, item, result, new Date('2024-11-29T18:00:00Z'));
    state = attached.state;
    if (attached.alert) alerts.push(attached.alert);
  }
  return { state, alerts };
};

describe('Seeds through the default rules', () => {
  it.each(variants)('make one event with one new alert and at most one update (%s)', (_, a, b) => {
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      // Act
      const { state, alerts } = run(order);

      // Assess
      expect(state.events).toHaveLength(1);
      expect(alerts[0]?.kind).toBe('new');
      expect(alerts.slice(1).map((x) => x.kind)).toEqual(alerts.length > 1 ? ['update'] : []);
      const last = alerts[alerts.length - 1];
      expect(last?.places).toContain('Aleppo');
      expect(last?.places).toContain('Syria');
      expect(last?.places).not.toContain('Jerusalem');
      expect(last?.sources.map((s) => s.outlet).sort()).toEqual(['Second Outlet', 'Worthy News']);
    }
  });
});
