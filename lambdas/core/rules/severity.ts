/**
 * Severity tiers. For an escalation the tier is the highest of:
 * - the base tier of each category that fired (categories in the rule file),
 * - the tier the killed figure reaches (severity.killed thresholds), and the injured figure
 *   (severity.injured thresholds);
 * then raised one step (up to critical) when the item spans `broadScale` or more categories.
 * A non-escalation is always "none".
 */
import { SEVERITIES, type Severity, severityRank } from '../common/types.ts';
import type { CasualtyFigures } from './extract.ts';
import type { SeveritySpec } from './schema.ts';

const max = (a: Severity, b: Severity): Severity => (severityRank(a) >= severityRank(b) ? a : b);

function tierFor(figure: number | undefined, tiers: SeveritySpec['killed']): Severity {
  let out: Severity = 'none';
  if (figure === undefined) return out;
  for (const [n, tier] of tiers) if (figure >= n) out = max(out, tier);
  return out;
}

export interface SeverityTrace {
  readonly severity: Severity;
  readonly steps: string[];
}

export function assessSeverity(
  escalation: boolean,
  categoryTiers: readonly { id: string; severity: Severity }[],
  casualties: CasualtyFigures,
  spec: SeveritySpec
): SeverityTrace {
  const steps: string[] = [];
  if (!escalation) return { severity: 'none', steps: ['not an escalation: none'] };
  let s: Severity = 'low';
  for (const c of categoryTiers) {
    if (severityRank(c.severity) > severityRank(s)) steps.push(`category ${c.id}: ${c.severity}`);
    s = max(s, c.severity);
  }
  const k = tierFor(casualties.killed, spec.killed);
  if (severityRank(k) > severityRank(s)) steps.push(`killed ${casualties.killed}: ${k}`);
  s = max(s, k);
  const i = tierFor(casualties.injured, spec.injured);
  if (severityRank(i) > severityRank(s)) steps.push(`injured ${casualties.injured}: ${i}`);
  s = max(s, i);
  const distinct = new Set(categoryTiers.map((c) => c.id)).size;
  if (distinct >= spec.broadScale && s !== 'critical') {
    const up = SEVERITIES[severityRank(s) + 1] as Severity;
    steps.push(`${distinct} categories (broad scale, >= ${spec.broadScale}): ${s} -> ${up}`);
    s = up;
  }
  return { severity: s, steps };
}
