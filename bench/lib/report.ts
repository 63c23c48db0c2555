/** One measured figure, its same-run baseline, the ratio between them and the goal. */
export interface Check {
  readonly section: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number; readonly unit: string };
  /** value / baseline (or the figure the goal is a ratio of). */
  readonly ratio?: number;
  /** Human-readable goal, e.g. "<= 3x". */
  readonly goal?: string;
  /** undefined: informational figure, no goal. */
  readonly pass?: boolean;
}

export interface SectionResult {
  readonly name: string;
  readonly checks: Check[];
  /** Extra figures for the JSON summary. */
  readonly details: Record<string, unknown>;
  /** Free-text notes printed under the section. */
  readonly notes: string[];
  /** Set when the section could not run at all (a part not written yet, a build error). */
  readonly error?: string;
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 10_000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
};

export const formatValue = (value: number, unit: string): string =>
  unit ? `${fmt(value)} ${unit}` : fmt(value);

const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'PASS' : 'FAIL');

/** The section as plain text for the terminal. */
export const renderSection = (section: SectionResult): string => {
  const lines = [`\n== ${section.name} ==`];
  if (section.error) lines.push(`  ERROR: ${section.error}`);
  for (const c of section.checks) {
    const base = c.baseline
      ? `  baseline ${c.baseline.name}: ${formatValue(c.baseline.value, c.baseline.unit)}`
      : '';
    const ratio = c.ratio !== undefined ? `  ratio ${fmt(c.ratio)}x` : '';
    const goal = c.goal ? `  goal ${c.goal}` : '';
    const v = verdict(c.pass);
    lines.push(
      `  ${c.name}: ${formatValue(c.value, c.unit)}${base}${ratio}${goal}${v ? `  ${v}` : ''}`
    );
  }
  for (const note of section.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
};

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** Every check of every section as one Markdown table, for the README. */
export const renderMarkdown = (sections: readonly SectionResult[]): string => {
  const rows = [
    '| Section | Measure | Measured | Baseline (same run) | Ratio | Goal | Result |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of sections) {
    if (s.error) rows.push(`| ${cell(s.name)} | (did not run) | ${cell(s.error)} | | | | FAIL |`);
    for (const c of s.checks) {
      rows.push(
        `| ${cell(s.name)} | ${cell(c.name)} | ${cell(formatValue(c.value, c.unit))} | ${
          c.baseline
            ? cell(`${c.baseline.name}: ${formatValue(c.baseline.value, c.baseline.unit)}`)
            : ''
        } | ${c.ratio !== undefined ? `${fmt(c.ratio)}x` : ''} | ${cell(c.goal ?? '')} | ${verdict(c.pass)} |`
      );
    }
  }
  return rows.join('\n');
};
