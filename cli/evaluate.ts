import type { Item } from '../lambdas/core/common/types.ts';
import {
  type EvalReport,
  evaluate,
  formatEvalReport,
  joinLabels,
  type Label,
  selectRows,
  type Window,
} from '../lambdas/core/rules/eval.ts';
import type { RuleSet } from '../lambdas/core/rules/index.ts';
import { noTextWarning, openInput, readItems } from './classify.ts';
import { type Io, readLineBatches, UsageError } from './io.ts';

export interface EvalOptions {
  readonly json?: boolean;
  /** A labels file (JSON lines of {id, label, ceasefire?, hard?}) for an unlabelled stream. */
  readonly labels?: string;
  /** List every false positive and negative with its source, title and summary. */
  readonly errors?: boolean;
  /** Epoch ms: score only entries published at or after this time. */
  readonly since?: number;
  /** Epoch ms: score only entries published before this time. */
  readonly until?: number;
}

/** Reads `label` (0 or 1) and the optional `ceasefire` and `hard` flags of a parsed line. */
const toLabel = (raw: Record<string, unknown>, id: string, where: string): Label => {
  const { label, ceasefire, hard } = raw;
  if (label !== 0 && label !== 1) {
    throw new UsageError(`${where}: item ${id} needs "label" 0 or 1, got ${JSON.stringify(label)}`);
  }
  for (const [key, flag] of [
    ['ceasefire', ceasefire],
    ['hard', hard],
  ] as const) {
    if (flag !== undefined && typeof flag !== 'boolean') {
      throw new UsageError(`${where}: item ${id}: "${key}" must be true or false`);
    }
  }
  return { id, label, ...(ceasefire ? { ceasefire: true } : {}), ...(hard ? { hard: true } : {}) };
};

/** Runs `body`, turning a missing file into a usage error that names what was wanted. */
const readingFile = async <T>(what: string, file: string, body: () => Promise<T>): Promise<T> => {
  try {
    return await body();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`cannot read the ${what} ${file}: no such file`);
    }
    throw err;
  }
};

/** The labels file: one {id, label, ceasefire?, hard?} per line (other keys ignored), ids unique. */
const readLabels = (io: Io, file: string): Promise<Map<string, Label>> =>
  readingFile('labels file', file, async () => {
    const { stream, name } = openInput(io, file);
    const labels = new Map<string, Label>();
    let n = 0;
    for await (const lines of readLineBatches(stream)) {
      for (const line of lines) {
        n += 1;
        if (line.trim() === '') continue;
        const where = `${name} line ${n}`;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          throw new UsageError(`${where}: not valid JSON`);
        }
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
          throw new UsageError(`${where}: expected a JSON object with "id" and "label"`);
        }
        const { id } = raw as Record<string, unknown>;
        if (typeof id !== 'string' && typeof id !== 'number') {
          throw new UsageError(`${where}: "id" must be a string`);
        }
        const key = String(id);
        if (labels.has(key)) throw new UsageError(`${where}: item ${key} is labelled twice`);
        labels.set(key, toLabel(raw as Record<string, unknown>, key, where));
      }
    }
    return labels;
  });

/**
 * `newsalert eval FILE.jsonl`: precision, recall and F1 overall, per source and per rule. The
 * labels are the entries' own `label` fields, or with `--labels` a separate file matched by id
 * (entries it does not label are skipped and counted). Ceasefire-flagged entries and entries
 * outside the --since/--until window are not scored, only counted.
 */
export const evalCommand = async (
  io: Io,
  rules: RuleSet,
  file: string,
  options: EvalOptions
): Promise<number> => {
  const labels = options.labels === undefined ? undefined : await readLabels(io, options.labels);
  const window: Window = { since: options.since, until: options.until };
  const items: Item[] = [];
  const inline: Label[] = [];
  await readingFile('labelled file', file, async () => {
    const { stream, name } = openInput(io, file);
    const warnNoText = noTextWarning(io, name);
    for await (const { item, raw, line } of readItems(stream, name)) {
      warnNoText(item, line);
      // The stream files name the publisher `outlet`; items name it `source`.
      const outlet = typeof raw.outlet === 'string' ? raw.outlet : undefined;
      items.push(item.source === undefined && outlet ? { ...item, source: outlet } : item);
      if (!labels) inline.push(toLabel(raw, item.id, name));
    }
  });
  const { rows, excluded } = labels
    ? joinLabels(items, labels, window)
    : selectRows(
        items.map((item, i) => ({ item, label: inline[i] })),
        window
      );
  const scored = evaluate(rows, rules);
  const windowed = options.since !== undefined || options.until !== undefined;
  const report: EvalReport =
    labels || windowed || excluded.ceasefire > 0 ? { ...scored, excluded } : scored;
  io.out(
    options.json
      ? `${JSON.stringify(report)}\n`
      : `${formatEvalReport(report, { errors: options.errors })}\n`
  );
  return 0;
};
