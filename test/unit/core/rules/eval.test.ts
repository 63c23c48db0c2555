import { describe, expect, it } from 'vitest';
import { loadRules } from '../../../../cli/yaml/rules.ts';
import {
  evaluate,
  formatEvalReport,
  joinLabels,
  type LabelledItem,
} from '../../../../lambdas/core/rules/eval.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { TINY_RULES_YAML } from '../../../fixtures/rules/tiny.ts';
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

describe('joinLabels', () => {
  const STREAM = [
    {
      id: 's1',
      title: 'Militants ambush an army convoy, killing six soldiers',
      published: '2023-10-06T10:00:00Z',
    },
    { id: 's2', title: 'Shares rise on takeover talk', published: '2023-10-06T11:00:00Z' },
    { id: 's3', title: 'Rebels and army agree a truce', published: '2023-10-07T09:00:00Z' },
    {
      id: 's4',
      title: 'Car bomb kills nine outside a police station',
      published: '2023-10-08T09:00:00Z',
    },
    { id: 's5', title: 'A title nobody labelled', published: '2023-10-08T10:00:00Z' },
  ];
  const LABELS = new Map([
    ['s1', { id: 's1', label: 1 as const }],
    ['s2', { id: 's2', label: 0 as const }],
    ['s3', { id: 's3', label: 0 as const, ceasefire: true }],
    ['s4', { id: 's4', label: 1 as const, hard: true }],
    ['gone', { id: 'gone', label: 1 as const }],
  ]);

  it('matches labels by id; skips and counts unlabelled and ceasefire entries and labels naming no entry', () => {
    // Act
    const { rows, excluded } = joinLabels(STREAM, LABELS);

    // Assess
    expect(rows.map((r) => [r.id, r.label])).toEqual([
      ['s1', 1],
      ['s2', 0],
      ['s4', 1],
    ]);
    expect(rows[2]?.hard).toBe(true);
    expect(excluded).toEqual({
      unlabelled: 1,
      ceasefire: 1,
      outsideWindow: 0,
      labelsWithoutEntry: 1,
    });
  });

  it('scores only the entries published in the window (since inclusive, until exclusive)', () => {
    // Act
    const before = joinLabels(STREAM, LABELS, { until: Date.parse('2023-10-08T00:00Z') });
    const after = joinLabels(STREAM, LABELS, { since: Date.parse('2023-10-08T09:00Z') });

    // Assess
    expect(before.rows.map((r) => r.id)).toEqual(['s1', 's2']);
    expect(before.excluded).toMatchObject({ outsideWindow: 2, ceasefire: 1, unlabelled: 0 });
    expect(after.rows.map((r) => r.id)).toEqual(['s4']);
    expect(after.excluded).toMatchObject({ outsideWindow: 3, unlabelled: 1 });
  });

  it('counts an entry with no published time as outside any window', () => {
    // Act
    const { rows, excluded } = joinLabels([{ id: 's1', title: 'x' }], LABELS, { since: 0 });

    // Assess
    expect(rows).toEqual([]);
    expect(excluded.outsideWindow).toBe(1);
  });
});

describe('formatEvalReport with errors', () => {
  it('lists each false positive with its source, title, summary and rules, and each false negative with a hard mark', () => {
    // Prepare
    const rules = loadRules(TINY_RULES_YAML, 'tiny.yaml');
    const rows: LabelledItem[] = [
      {
        id: 'fp1',
        title: 'Soldiers clash with militants in a new film',
        summary: 'A review.',
        label: 0,
        source: 'Wire',
      },
      {
        id: 'fn1',
        title: 'Talks resume in the capital',
        summary: '',
        label: 1,
        source: 'Paper',
        hard: true,
      },
    ];
    const { excluded } = joinLabels(rows, new Map());

    // Act
    const text = formatEvalReport({ ...evaluate(rows, rules), excluded }, { errors: true });

    // Assess
    expect(text).toContain('not scored: 2 unlabelled, 0 ceasefire, 0 outside the time window');
    expect(text).toContain(
      'false positives (1):\n  fp1  [Wire] Soldiers clash with militants in a new film  <- clash\n      A review.\n'
    );
    expect(text).toMatch(
      /false negatives \(1\):\n {2}fn1 {2}\[Paper\] Talks resume in the capital {2}\(hard\)$/
    );
    expect(text).not.toContain('false positives (1): fp1');
  });
});
