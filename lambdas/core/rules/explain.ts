/**
 * A human-readable account of one decision: matches with spans, guards, the rules that nearly
 * fired, figures, places, score.
 */
import type { Item } from '../common/types.ts';
import { span, type Trace, trace } from './classify.ts';
import { nearMisses } from './near-misses.ts';
import type { RuleSet } from './ruleset.ts';

const quote = (s: string): string => JSON.stringify(s);

export function explainTrace(item: Item, rules: RuleSet, t: Trace): string {
  const lines: string[] = [];
  const title = item.title.length > 90 ? `${item.title.slice(0, 87)}...` : item.title;
  lines.push(`item ${item.id}: ${quote(title)}`);
  const loc = (h: Parameters<typeof span>[1]): string => {
    const s = span(t, h);
    return `${quote(s.text)} ${s.field}[${s.start}..${s.end}]`;
  };
  const effective = t.occurrences.filter((o) => !o.dropped);
  const dropped = t.occurrences.filter((o) => o.dropped);
  if (t.occurrences.length === 0) lines.push('  no rule matched');
  for (const ri of t.fired) {
    const rule = rules.rules[ri];
    if (!rule) continue;
    lines.push(`  rule ${rule.id} (${rule.category}, weight ${rule.weight}):`);
    for (const o of effective.filter((x) => x.rule === ri)) {
      lines.push(`    matched ${o.hits.map(loc).join(' + ')}`);
    }
  }
  for (const o of dropped) {
    const rule = rules.rules[o.rule];
    if (!rule) continue;
    if (o.dropped === 'unless') {
      lines.push(
        `  rule ${rule.id}: ${loc(o.hits[0] as never)} not counted: unless-term ${o.unlessHit ? loc(o.unlessHit) : ''} in the sentence`
      );
    } else if (o.dropped) {
      const g = rules.guards[o.dropped.guard]?.spec;
      lines.push(
        `  guard ${g?.id} (${g?.kind}) fired on ${loc(o.dropped.cue)}: dropped rule ${rule.id} at ${loc(o.hits[0] as never)}`
      );
    }
  }
  for (const v of t.vetoes) {
    const g = rules.guards[v.guard]?.spec;
    lines.push(`  guard ${g?.id} (${g?.kind}) VETO on ${loc(v.cue)}: the item cannot escalate`);
  }
  const near = nearMisses(rules, t, (h) => quote(span(t, h).text));
  for (const n of near.shown) {
    lines.push(
      `  near: rule ${rules.rules[n.rule]?.id}: ${loc(n.anchor)} matched, ${n.reasons.join('; ')}`
    );
  }
  if (near.more > 0) lines.push(`  near: ${near.more} more not shown`);
  const c = t.casualties;
  const figures = [
    c.killed !== undefined ? `killed ${c.killed}` : '',
    c.injured !== undefined ? `injured ${c.injured}` : '',
  ].filter(Boolean);
  lines.push(`  casualties: ${figures.length > 0 ? figures.join(', ') : 'none reported'}`);
  lines.push(`  places: ${t.places.length > 0 ? t.places.join(', ') : 'none'}`);
  if (t.actors.length > 0) lines.push(`  actors: ${t.actors.join(', ')}`);
  const terms = t.fired.map((ri) => `${rules.rules[ri]?.id} ${rules.rules[ri]?.weight}`);
  lines.push(
    `  score: ${terms.length > 0 ? `${terms.join(' + ')} = ${t.score}` : '0'} (threshold ${rules.threshold})`
  );
  if (t.categories.length > 0) lines.push(`  categories: ${t.categories.join(', ')}`);
  lines.push(
    `  severity: ${t.severity}${t.severitySteps.length > 0 ? ` (${t.severitySteps.join('; ')})` : ''}`
  );
  const why =
    t.vetoes.length > 0
      ? 'vetoed by a guard'
      : t.score >= rules.threshold
        ? `score ${t.score} >= ${rules.threshold}`
        : `score ${t.score} < ${rules.threshold}`;
  lines.push(`  verdict: ${t.escalation ? 'ESCALATION' : 'no alert'} (${why})`);
  return lines.join('\n');
}

export function explain(item: Item, rules: RuleSet): string {
  return explainTrace(item, rules, trace(item, rules));
}
