/**
 * The classifier's requests measured on real news: the first days of the recorded stream
 * (../shared/eval/stream-2023-10.jsonl, read at bench time) replayed through the poller and the
 * classifier pipeline (cli/replay.ts, replayTicks), the classifier's store counted apart. Real
 * feeds give real shares of escalations and alerts per items object, which the synthetic poll
 * bench (a fifth of its items escalations) would overstate.
 */
import { readFile } from 'node:fs/promises';
import { replayTicks } from '../cli/replay.ts';
import { parseStream } from '../cli/replay-stream.ts';
import { loadRules } from '../cli/yaml/rules.ts';
import { MemoryObjectStore } from '../lambdas/adapters/memory-store.ts';
import type { Logger } from '../lambdas/ports.ts';
import { CountingStore } from './lib/counting.ts';

export interface StreamCostMeasures {
  readonly file: string;
  readonly hours: number;
  readonly entries: number;
  readonly itemsObjects: number;
  readonly items: number;
  readonly escalations: number;
  readonly alerts: number;
  /** Feed polls, and those that found new items (the adaptive schedule on real feeds). */
  readonly feedPolls: number;
  readonly changedPolls: number;
  /** Per items object: its items, escalations, the classifier's store requests and wall time. */
  readonly objects: ReadonlyArray<{
    readonly items: number;
    readonly escalations: number;
    readonly gets: number;
    readonly puts: number;
    readonly ms: number;
  }>;
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export const measureStreamCost = async (options: {
  readonly file: string;
  readonly rulesFile: string;
  /** Hours of the stream from its first entry. */
  readonly hours: number;
}): Promise<StreamCostMeasures> => {
  const all = parseStream(await readFile(options.file, 'utf8'), options.file);
  const first = all.reduce((min, e) => Math.min(min, e.at), Infinity);
  const entries = all.filter((e) => e.at < first + options.hours * 3_600_000);
  const rules = loadRules(await readFile(options.rulesFile, 'utf8'), options.rulesFile);
  const store = new MemoryObjectStore();
  const classifierStore = new CountingStore(store);
  const m = { itemsObjects: 0, items: 0, escalations: 0, alerts: 0, feedPolls: 0, changedPolls: 0 };
  const objects: Array<StreamCostMeasures['objects'][number]> = [];
  const ticks = replayTicks(entries, {
    store,
    classifierStore,
    rules,
    logger: quiet,
    pollMinutes: 5,
  });
  for await (const tick of ticks) {
    // The stream's feeds make one shard: at most one items object a tick, so the requests
    // counted since the last tick are that object's.
    const [result] = tick.classified;
    if (result && tick.classified.length === 1) {
      const escalations = result.results.filter((r) => r.escalation).length;
      objects.push({
        items: result.results.length,
        escalations,
        gets: classifierStore.calls.get,
        puts: classifierStore.calls.put,
        ms: tick.classifyMs[0] ?? 0,
      });
      m.items += result.results.length;
      m.escalations += escalations;
    }
    m.itemsObjects += tick.classified.length;
    m.feedPolls += tick.report.feeds.length;
    m.changedPolls += tick.report.feeds.filter((f) => f.new > 0).length;
    m.alerts += tick.sent.length;
    classifierStore.reset();
  }
  return { file: options.file, hours: options.hours, entries: entries.length, ...m, objects };
};
