/**
 * Quick speed check of the classifier (not a test): items per second for ~1 KB items of real news
 * text (lib/real-items.ts) with the default rules, and the cost of growing the rule set from ~100
 * to ~2,000 extra terms.
 * Run: node --import tsx bench/classify-quick.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../cli/yaml/rules.ts';
import type { Item } from '../lambdas/core/common/types.ts';
import { classify, type RuleSet } from '../lambdas/core/rules/index.ts';
import { realItems } from './lib/real-items.ts';

const rulesPath = fileURLToPath(new URL('../config/rules.yaml', import.meta.url));
const base = readFileSync(rulesPath, 'utf8');

/** The default rules plus a rule with `extra` synthetic two-word terms. */
function withExtraTerms(extra: number): RuleSet {
  const terms: string[] = [];
  for (let i = 0; i < extra; i++) terms.push(`    - zq${i.toString(36)} term${i}`);
  const text = base.replace(
    /\nrules:\n/,
    `\nrules:\n  - id: synthetic\n    category: armed-clash\n    weight: 1\n    any:\n${terms.join('\n')}\n`
  );
  return loadRules(text, 'synthetic.yaml');
}

function rate(rules: RuleSet, items: Item[]): number {
  for (const it of items.slice(0, 500)) classify(it, rules);
  const t0 = process.hrtime.bigint();
  let alerts = 0;
  for (const it of items) if (classify(it, rules).escalation) alerts++;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (alerts === 0) throw new Error('expected some alerts in the bench items');
  return items.length / s;
}

const items = realItems(20_000);
const rules = loadRules(base, 'config/rules.yaml');
console.log(`default rules: ${rules.termCount} term forms`);
console.log(`default rules: ${Math.round(rate(rules, items))} items/s (1 KB items)`);
const small = withExtraTerms(100);
const large = withExtraTerms(2000);
const r100 = rate(small, items);
const r2000 = rate(large, items);
console.log(
  `+100 terms: ${Math.round(r100)} items/s; +2000 terms: ${Math.round(r2000)} items/s; cost ratio ${(r100 / r2000).toFixed(2)}x`
);
