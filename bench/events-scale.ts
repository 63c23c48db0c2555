/**
 * The events state under load: the escalations of a recorded stream repeated across made-up
 * outlets (`--copies N`: N times the reports), classified in-process on the memory store, one
 * classifier call per outlet per 5-minute poll, as the classifier would see them. Prints the size
 * of the events state's documents at the end and the state bytes written per escalation.
 *
 *   npx tsx bench/events-scale.ts [--copies 100] [--hours H] [--stream ../shared/eval/stream-2023-10.jsonl]
 *
 * `--hours H` keeps the stream's first H hours of escalations (a shorter run at a large --copies).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRules } from '../cli/yaml/rules.ts';
import { MemoryObjectStore } from '../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../lambdas/adapters/stderr-logger.ts';
import type { Item } from '../lambdas/core/common/types.ts';
import { classify } from '../lambdas/core/rules/classify.ts';
import { classifyAndAlert } from '../lambdas/pipeline/classify-and-alert.ts';
import type { ObjectStore, PutOptions } from '../lambdas/ports.ts';

const { values } = parseArgs({
  options: {
    copies: { type: 'string', default: '100' },
    stream: { type: 'string', default: '../shared/eval/stream-2023-10.jsonl' },
    hours: { type: 'string' },
  },
});
const copies = Number(values.copies);
const rules = loadRules(readFileSync('config/rules.yaml', 'utf8'), 'config/rules.yaml');

const isState = (key: string) => key.startsWith('state/events');

/** Counts the requests and the state bytes written. */
class Counting implements ObjectStore {
  readonly inner = new MemoryObjectStore();
  gets = 0;
  puts = 0;
  stateBytes = 0;
  largestWrite = 0;
  async get(key: string) {
    this.gets += 1;
    return this.inner.get(key);
  }
  async put(key: string, body: string, options?: PutOptions) {
    this.puts += 1;
    const written = await this.inner.put(key, body, options);
    if (isState(key)) {
      this.stateBytes += Buffer.byteLength(body);
      this.largestWrite = Math.max(this.largestWrite, Buffer.byteLength(body));
    }
    return written;
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

interface Line {
  id: string;
  feed: string;
  outlet?: string;
  title: string;
  summary?: string;
  link?: string;
  published: string;
}
const lines = readFileSync(values.stream, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Line);
const escalating = lines
  .map(
    (l): Item => ({
      id: l.id,
      title: l.title,
      ...(l.summary ? { summary: l.summary } : {}),
      ...(l.link ? { link: l.link } : {}),
      source: l.outlet ?? l.feed,
      feed: l.feed,
      published: l.published,
    })
  )
  .filter((item) => classify(item, rules).escalation);
const start = Math.min(...escalating.map((i) => Date.parse(i.published ?? '')));
const until = values.hours === undefined ? Infinity : start + Number(values.hours) * 3_600_000;
const kept = escalating.filter((i) => Date.parse(i.published ?? '') < until);

const POLL_MS = 5 * 60_000;
/** One classifier call per (poll, made-up outlet): the items that outlet published in that poll. */
const calls = new Map<string, { at: number; items: Item[] }>();
for (const item of kept) {
  const published = Date.parse(item.published ?? '');
  const at = Math.ceil((published + 1) / POLL_MS) * POLL_MS;
  for (let k = 0; k < copies; k += 1) {
    const outlet = k === 0 ? item.source : `${item.source} ${k}`;
    const copy: Item = {
      ...item,
      id: k === 0 ? item.id : `${item.id}#${k}`,
      source: outlet,
      ...(item.link && k > 0
        ? { link: `${item.link}${item.link.includes('?') ? '&' : '?'}k=${k}` }
        : {}),
    };
    const key = `${at}|${outlet}`;
    const call = calls.get(key) ?? { at, items: [] };
    call.items.push(copy);
    calls.set(key, call);
  }
}
const ordered = [...calls.values()].sort((a, b) => a.at - b.at);

const store = new Counting();
const publisher = { publish: async () => undefined };
let alerts = 0;
let largestDoc = 0;
const started = performance.now();
for (const call of ordered) {
  const clock = { now: () => new Date(call.at) };
  const result = await classifyAndAlert(
    { store, publisher, clock, logger: silentLogger, rules },
    call.items
  );
  alerts += result.alerts.length;
  largestDoc = Math.max(largestDoc, store.largestWrite);
}
const seconds = (performance.now() - started) / 1000;
const stateKeys = (await store.inner.list('state/events')).filter(isState);
const sizes = await Promise.all(
  stateKeys.map(async (k) => Buffer.byteLength((await store.inner.get(k))?.body ?? ''))
);
const reports = kept.length * copies;
console.log(
  JSON.stringify({
    copies,
    escalations: reports,
    calls: ordered.length,
    alerts,
    stateObjects: stateKeys.length,
    stateBytesAtEnd: sizes.reduce((a, b) => a + b, 0),
    largestObjectAtEnd: Math.max(...sizes),
    largestWrite: largestDoc,
    stateBytesWrittenPerEscalation: Math.round(store.stateBytes / reports),
    getsPerCall: Number((store.gets / ordered.length).toFixed(2)),
    putsPerCall: Number((store.puts / ordered.length).toFixed(2)),
    seconds: Number(seconds.toFixed(1)),
  })
);
