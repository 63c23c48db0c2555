import { describe, expect, it } from 'vitest';
import {
  evaluate,
  formatEvalReport,
  type LabelledItem,
} from '../../../../lambdas/core/rules/eval.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules } from './helpers.ts';

const ROWS: LabelledItem[] = [
  {
    id: 'w1',
    title: '',
    summary: 'Militants ambushed an army patrol, killing six soldiers.',
    label: 1,
    source: 'wire',
  },
  {
    id: 'w2',
    title: '',
    summary: 'A car bomb exploded outside a police station, wounding nine.',
    label: 1,
    source: 'wire',
  },
  {
    id: 'w3',
    title: '',
    summary: 'Rebels and the government signed a ceasefire in the capital.',
    label: 0,
    source: 'wire',
  },
  {
    id: 'w4',
    title: '',
    summary: 'Residents fled as shells fell on the town overnight.',
    label: 1,
    source: 'wire',
  },
  {
    id: 'b1',
    title: 'Arsenal clash with Chelsea',
    summary: 'The sides clash in the cup final.',
    label: 0,
    source: 'sport',
  },
  {
    id: 'b2',
    title: 'Critics blast the report',
    summary: 'Critics blasted the report on Tuesday.',
    label: 0,
    source: 'sport',
  },
];

describe('evaluate', () => {
  it('counts precision, recall and F1 overall and per source', () => {
    // Act
    const report = evaluate(ROWS, defaultRules());

    // Assess
    const predicted = ROWS.map((r) => classify(r, defaultRules()).escalation);
    const tp = ROWS.filter((r, i) => r.label === 1 && predicted[i]).length;
    const fp = ROWS.filter((r, i) => r.label === 0 && predicted[i]).length;
    const fn = ROWS.filter((r, i) => r.label === 1 && !predicted[i]).length;
    expect(report.overall).toMatchObject({ items: 6, positives: 3, tp, fp, fn });
    expect(report.overall.precision).toBeCloseTo(tp / (tp + fp));
    expect(report.overall.recall).toBeCloseTo(tp / (tp + fn));
    expect(Object.keys(report.bySource)).toEqual(['sport', 'wire']);
    expect(report.bySource.sport).toMatchObject({ items: 2, positives: 0, fp: 0 });
    expect(report.falseNegatives).toEqual(
      ROWS.filter((r, i) => r.label === 1 && !predicted[i]).map((r) => r.id)
    );
  });

  it('credits each rule with the alerts it took part in', () => {
    // Act
    const report = evaluate(ROWS, defaultRules());

    // Assess
    const ambush = report.byRule.find((r) => r.rule === 'clash');
    expect(ambush?.tp).toBeGreaterThanOrEqual(1);
    expect(report.byRule.every((r) => r.tp + r.fp > 0)).toBe(true);
  });

  it('formats a readable report', () => {
    // Act
    const text = formatEvalReport(evaluate(ROWS, defaultRules()));

    // Assess
    expect(text).toMatch(/^rules: default/);
    expect(text).toMatch(/overall\s+6\s+3/);
    expect(text).toContain('per rule');
    expect(text).toMatch(/false positives \(\d+\)/);
  });

  it('rejects a label that is not 0 or 1', () => {
    // Prepare
    const bad = [{ id: 'x', title: 't', label: 2 }] as unknown as LabelledItem[];

    // Act / Assess
    expect(() => evaluate(bad, defaultRules())).toThrow(/item x has label 2: use 0 or 1/);
  });
});

describe('explain', () => {
  it('shows matched terms with spans, figures, places, the score arithmetic and the verdict', () => {
    // Prepare
    const text = 'Insurgents attacked an army post near Idlib, killing four soldiers.';

    // Act
    const why = explain({ id: 'e1', title: '', summary: text }, defaultRules());

    // Assess
    expect(why).toContain('rule armed-violence (armed-clash, weight 4):');
    expect(why).toContain('"attacked" summary[11..19]');
    expect(why).toContain('casualties: killed 4');
    expect(why).toContain('places: Idlib, Syria');
    expect(why).toMatch(/score: .*armed-violence 4.* = \d+ \(threshold 4\)/);
    expect(why).toContain('verdict: ESCALATION');
  });
});
