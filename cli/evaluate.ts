import { evaluate, formatEvalReport, type LabelledItem } from '../lambdas/core/rules/eval.ts';
import type { RuleSet } from '../lambdas/core/rules/index.ts';
import { openInput, readItems } from './classify.ts';
import { type Io, UsageError } from './io.ts';

/** `newsalert eval FILE.jsonl`: precision, recall and F1 overall, per source and per rule. */
export const evalCommand = async (
  io: Io,
  rules: RuleSet,
  file: string,
  options: { json?: boolean }
): Promise<number> => {
  const { stream, name } = openInput(io, file);
  const rows: LabelledItem[] = [];
  try {
    for await (const { item, raw } of readItems(stream, name)) {
      const label = raw.label;
      if (label !== 0 && label !== 1) {
        throw new UsageError(
          `${name}: item ${item.id} needs "label" 0 or 1, got ${JSON.stringify(label)}`
        );
      }
      rows.push({ ...item, label });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`cannot read the labelled file ${file}: no such file`);
    }
    throw err;
  }
  const report = evaluate(rows, rules);
  io.out(options.json ? `${JSON.stringify(report)}\n` : `${formatEvalReport(report)}\n`);
  return 0;
};
