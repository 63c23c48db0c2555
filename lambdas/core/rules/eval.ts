/**
 * Evaluation of a rule set on labelled items: precision, recall and F1 overall and per `source`,
 * and per rule the true and false positives it contributed (a rule contributes to every alert it
 * fired in), plus the ids of the false positives and false negatives.
 */

import type { Item } from '../common/types.ts';
import { classify, type RuleSet } from './index.ts';

export interface LabelledItem extends Item {
  readonly label: 0 | 1;
}

export interface Counts {
  readonly items: number;
  readonly positives: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Share of the label-0 items that alerted. */
  readonly alertRateOnNegatives: number;
}

export interface RuleCounts {
  readonly rule: string;
  readonly tp: number;
  readonly fp: number;
  /** Alerts this rule fired in on its own weight (no other rule needed). */
  readonly fired: number;
}

export interface EvalReport {
  readonly rules: string;
  readonly overall: Counts;
  readonly bySource: Readonly<Record<string, Counts>>;
  readonly byRule: readonly RuleCounts[];
  readonly falsePositives: readonly string[];
  readonly falseNegatives: readonly string[];
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function counts(t: Tally): Counts {
  const items = t.tp + t.fp + t.fn + t.tn;
  const precision = t.tp + t.fp === 0 ? 0 : t.tp / (t.tp + t.fp);
  const recall = t.tp + t.fn === 0 ? 0 : t.tp / (t.tp + t.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const negatives = t.fp + t.tn;
  return {
    items,
    positives: t.tp + t.fn,
    ...t,
    precision,
    recall,
    f1,
    alertRateOnNegatives: negatives === 0 ? 0 : t.fp / negatives,
  };
}

function add(t: Tally, label: 0 | 1, predicted: boolean): void {
  if (label === 1 && predicted) t.tp++;
  else if (label === 1) t.fn++;
  else if (predicted) t.fp++;
  else t.tn++;
}

export function evaluate(rows: readonly LabelledItem[], rules: RuleSet): EvalReport {
  const overall: Tally = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const bySource = new Map<string, Tally>();
  const byRule = new Map<string, { tp: number; fp: number; fired: number }>();
  const falsePositives: string[] = [];
  const falseNegatives: string[] = [];
  for (const row of rows) {
    if (row.label !== 0 && row.label !== 1) {
      throw new TypeError(`item ${row.id} has label ${JSON.stringify(row.label)}: use 0 or 1`);
    }
    const c = classify(row, rules);
    add(overall, row.label, c.escalation);
    const source = row.source ?? '(no source)';
    let s = bySource.get(source);
    if (!s) {
      s = { tp: 0, fp: 0, fn: 0, tn: 0 };
      bySource.set(source, s);
    }
    add(s, row.label, c.escalation);
    if (c.escalation) {
      for (const rule of new Set(c.matches.map((m) => m.rule))) {
        let r = byRule.get(rule);
        if (!r) {
          r = { tp: 0, fp: 0, fired: 0 };
          byRule.set(rule, r);
        }
        if (row.label === 1) r.tp++;
        else r.fp++;
        r.fired++;
      }
      if (row.label === 0) falsePositives.push(row.id);
    } else if (row.label === 1) falseNegatives.push(row.id);
  }
  return {
    rules: rules.name,
    overall: counts(overall),
    bySource: Object.fromEntries([...bySource].sort().map(([k, v]) => [k, counts(v)])),
    byRule: [...byRule]
      .map(([rule, r]) => ({ rule, tp: r.tp, fp: r.fp, fired: r.fired }))
      .sort((a, b) => b.tp + b.fp - (a.tp + a.fp) || a.rule.localeCompare(b.rule)),
    falsePositives,
    falseNegatives,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);

/** Ratios with an empty denominator (no alerts, no positives) print as "-". */
function line(name: string, c: Counts): string {
  const prec = c.tp + c.fp === 0 ? '  -  ' : f3(c.precision);
  const rec = c.positives === 0 ? '  -  ' : f3(c.recall);
  const f1 = c.tp + c.fp === 0 || c.positives === 0 ? '  -  ' : f3(c.f1);
  const neg = c.items - c.positives;
  const rate = neg === 0 ? '-' : pct(c.alertRateOnNegatives);
  return `${name.padEnd(28)} ${String(c.items).padStart(5)} ${String(c.positives).padStart(5)} ${String(c.tp).padStart(5)} ${String(c.fp).padStart(5)} ${String(c.fn).padStart(5)} ${prec.trim().padStart(9)} ${rec.trim().padStart(7)} ${f1.trim().padStart(6)} ${rate.padStart(8)}`;
}

export function formatEvalReport(report: EvalReport): string {
  const out: string[] = [];
  out.push(`rules: ${report.rules}`);
  out.push(
    `${'set'.padEnd(28)} ${'items'.padStart(5)} ${'pos'.padStart(5)} ${'tp'.padStart(5)} ${'fp'.padStart(5)} ${'fn'.padStart(5)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'f1'.padStart(6)} ${'alerts on negatives'.padStart(8)}`
  );
  out.push(line('overall', report.overall));
  for (const [source, c] of Object.entries(report.bySource)) out.push(line(source, c));
  out.push('');
  out.push('per rule (alerts it took part in):');
  out.push(`${'rule'.padEnd(28)} ${'tp'.padStart(5)} ${'fp'.padStart(5)}`);
  for (const r of report.byRule) {
    out.push(`${r.rule.padEnd(28)} ${String(r.tp).padStart(5)} ${String(r.fp).padStart(5)}`);
  }
  out.push('');
  out.push(
    `false positives (${report.falsePositives.length}): ${report.falsePositives.join(', ') || 'none'}`
  );
  out.push(
    `false negatives (${report.falseNegatives.length}): ${report.falseNegatives.join(', ') || 'none'}`
  );
  return out.join('\n');
}
