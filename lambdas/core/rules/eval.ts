/**
 * Evaluation of a rule set on labelled items: precision, recall and F1 overall and per `source`,
 * and per rule the true and false positives it contributed (a rule contributes to every alert it
 * fired in), plus the false positives and false negatives. `joinLabels` pairs a stream of
 * entries with a separate labels list (ids matched; unlabelled, ceasefire-flagged and
 * out-of-window entries set aside and counted).
 */

import type { Item } from '../common/types.ts';
import { classify, type RuleSet } from './index.ts';

export interface LabelledItem extends Item {
  readonly label: 0 | 1;
  /** The labeller found it borderline: marked in the error listing. */
  readonly hard?: boolean;
}

/** One line of a labels file: the verdict on the entry with this id. */
export interface Label {
  readonly id: string;
  readonly label: 0 | 1;
  /** A ceasefire, truce or surrender report: left out of the scores. */
  readonly ceasefire?: boolean;
  readonly hard?: boolean;
}

/** Entries that were not scored, by reason, and labels that named no entry. */
export interface Excluded {
  readonly unlabelled: number;
  readonly ceasefire: number;
  readonly outsideWindow: number;
  readonly labelsWithoutEntry: number;
}

/** Published times (epoch ms) an entry must fall in to be scored: since <= t < until. */
export interface Window {
  readonly since?: number | undefined;
  readonly until?: number | undefined;
}

const inWindow = (item: Item, window: Window): boolean => {
  if (window.since === undefined && window.until === undefined) return true;
  const t = item.published === undefined ? Number.NaN : Date.parse(item.published);
  if (Number.isNaN(t)) return false;
  return (
    (window.since === undefined || t >= window.since) &&
    (window.until === undefined || t < window.until)
  );
};

/**
 * The scored rows of entries paired with their labels: an entry with no label, a
 * ceasefire-flagged one or one published outside the window is not scored, only counted.
 */
export function selectRows(
  pairs: Iterable<{ readonly item: Item; readonly label?: Label | undefined }>,
  window: Window = {}
): { rows: LabelledItem[]; excluded: Excluded } {
  const rows: LabelledItem[] = [];
  let unlabelled = 0;
  let ceasefire = 0;
  let outsideWindow = 0;
  for (const { item, label } of pairs) {
    if (!inWindow(item, window)) outsideWindow++;
    else if (!label) unlabelled++;
    else if (label.ceasefire) ceasefire++;
    else rows.push({ ...item, label: label.label, ...(label.hard ? { hard: true } : {}) });
  }
  return { rows, excluded: { unlabelled, ceasefire, outsideWindow, labelsWithoutEntry: 0 } };
}

/** Pairs entries with a labels list by id (see selectRows), and counts labels naming no entry. */
export function joinLabels(
  items: readonly Item[],
  labels: ReadonlyMap<string, Label>,
  window: Window = {}
): { rows: LabelledItem[]; excluded: Excluded } {
  const ids = new Set(items.map((item) => item.id));
  const { rows, excluded } = selectRows(
    items.map((item) => ({ item, label: labels.get(item.id) })),
    window
  );
  let labelsWithoutEntry = 0;
  for (const id of labels.keys()) if (!ids.has(id)) labelsWithoutEntry++;
  return { rows, excluded: { ...excluded, labelsWithoutEntry } };
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

/** A wrong verdict, with what a person needs to judge it. */
export interface EvalError {
  readonly id: string;
  /** The label: 0 for a false positive, 1 for a false negative. */
  readonly label: 0 | 1;
  readonly source: string;
  readonly title: string;
  readonly summary: string;
  /** The rules that took part in a false alert (empty for a false negative). */
  readonly rules: readonly string[];
  readonly hard?: boolean;
}

export interface EvalReport {
  readonly rules: string;
  readonly overall: Counts;
  readonly bySource: Readonly<Record<string, Counts>>;
  readonly byRule: readonly RuleCounts[];
  readonly falsePositives: readonly string[];
  readonly falseNegatives: readonly string[];
  /** The false positives and false negatives in input order, with title and summary. */
  readonly errors: readonly EvalError[];
  /** Set when the items came from a stream joined with a labels list. */
  readonly excluded?: Excluded;
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
  const errors: EvalError[] = [];
  const error = (row: LabelledItem, source: string, rules: readonly string[]): EvalError => ({
    id: row.id,
    label: row.label,
    source,
    title: row.title,
    summary: row.summary ?? '',
    rules,
    ...(row.hard ? { hard: true } : {}),
  });
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
      const fired = [...new Set(c.matches.map((m) => m.rule))];
      for (const rule of fired) {
        let r = byRule.get(rule);
        if (!r) {
          r = { tp: 0, fp: 0, fired: 0 };
          byRule.set(rule, r);
        }
        if (row.label === 1) r.tp++;
        else r.fp++;
        r.fired++;
      }
      if (row.label === 0) {
        falsePositives.push(row.id);
        errors.push(error(row, source, fired));
      }
    } else if (row.label === 1) {
      falseNegatives.push(row.id);
      errors.push(error(row, source, []));
    }
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
    errors,
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

/** The first `n` characters of a text on one line, cut at a word with an ellipsis. */
const clip = (text: string, n: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= n) return flat;
  const cut = flat.slice(0, n);
  const space = cut.lastIndexOf(' ');
  return `${space > n / 2 ? cut.slice(0, space) : cut}…`;
};

function errorLines(errors: readonly EvalError[]): string[] {
  return errors.flatMap((e) => {
    const head = `  ${e.id}  [${e.source}] ${clip(e.title, 140)}${e.hard ? '  (hard)' : ''}${
      e.rules.length > 0 ? `  <- ${e.rules.join(', ')}` : ''
    }`;
    return e.summary.trim() === '' ? [head] : [head, `      ${clip(e.summary, 160)}`];
  });
}

function excludedLine(x: Excluded): string {
  const parts = [
    `${x.unlabelled} unlabelled`,
    `${x.ceasefire} ceasefire`,
    `${x.outsideWindow} outside the time window`,
  ];
  return `not scored: ${parts.join(', ')}; labels naming no entry: ${x.labelsWithoutEntry}`;
}

/**
 * The report as a person reads it. `errors`: each false positive and false negative on its own
 * line with source, title, the rules of a false alert and the start of the summary, instead of
 * the bare id lists.
 */
export function formatEvalReport(
  report: EvalReport,
  options: { errors?: boolean | undefined } = {}
): string {
  const out: string[] = [];
  out.push(`rules: ${report.rules}`);
  if (report.excluded) out.push(excludedLine(report.excluded));
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
  if (options.errors) {
    const fps = report.errors.filter((e) => e.label === 0);
    const fns = report.errors.filter((e) => e.label === 1);
    out.push(`false positives (${fps.length}):${fps.length === 0 ? ' none' : ''}`);
    out.push(...errorLines(fps));
    out.push(`false negatives (${fns.length}):${fns.length === 0 ? ' none' : ''}`);
    out.push(...errorLines(fns));
    return out.join('\n');
  }
  out.push(
    `false positives (${report.falsePositives.length}): ${report.falsePositives.join(', ') || 'none'}`
  );
  out.push(
    `false negatives (${report.falseNegatives.length}): ${report.falseNegatives.join(', ') || 'none'}`
  );
  return out.join('\n');
}
