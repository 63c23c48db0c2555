/**
 * The poll bench's child process: polls the feeds it is told to, with the product's poller,
 * fetcher and filesystem store, and reports counts and its peak memory to the parent over IPC.
 * Run apart from the feed server so that its max RSS is the poller's own.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { FsObjectStore } from '../lambdas/adapters/fs-store.ts';
import { HttpFeedFetcher } from '../lambdas/adapters/http-feed-fetcher.ts';
import type { Alert, FeedConfig } from '../lambdas/core/common/types.ts';
import { stateKey } from '../lambdas/core/feeds/feed-state.ts';
import { shardFeeds } from '../lambdas/core/feeds/shards.ts';
import { pollShard, type ShardReport } from '../lambdas/pipeline/poll.ts';
import type { Logger } from '../lambdas/ports.ts';
import { CountingFetcher, CountingStore } from './lib/counting.ts';

export type ChildRequest =
  | { type: 'poll'; round: number; feeds: FeedConfig[]; storeDir: string; concurrency?: number }
  | { type: 'baseline'; urls: string[]; concurrency: number }
  | { type: 'classify'; keys: string[]; storeDir: string; rulesFile: string }
  | { type: 'exit' };

/** One shard of one poll (one worker run in AWS): its S3 requests and its wall time. */
export interface ShardMeasure {
  /** `<count>-<index>`. */
  shard: string;
  feeds: number;
  /** Feeds fetched (every feed here: the bench polls all, due or not). */
  polled: number;
  gets: number;
  puts: number;
  bytesPut: number;
  ms: number;
}

export interface PollRound {
  type: 'polled';
  round: number;
  ms: number;
  feeds: number;
  status: { ok: number; unchanged: number; error: number };
  errors: string[];
  newItems: number;
  bytesParsed: number;
  fetcher: CountingFetcher['counts'];
  store: CountingStore['calls'];
  writes: { items: number; state: number; other: number; forUnchangedFeeds: number };
  itemsKeys: string[];
  /** Bytes written under items/ (what accumulates in the bucket). */
  putBytes: number;
  /** Per shard: S3 GETs, PUTs, bytes put and the worker's wall time (the shards run in turn here). */
  shards: ShardMeasure[];
  maxRssKb: number;
}

export interface BaselineResult {
  type: 'baseline';
  ms: number;
  bytes: number;
}

export interface ClassifyStage {
  type: 'classified';
  objects: number;
  items: number;
  escalations: number;
  alerts: number;
  store: CountingStore['calls'];
  /** Per items object, ms. */
  durations: number[];
  error?: string;
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const send = (message: unknown) =>
  new Promise<void>((resolve, reject) => {
    if (!process.send) return reject(new Error('poll-child must be started with fork()'));
    process.send(message, (err: Error | null) => (err ? reject(err) : resolve()));
  });

let store: CountingStore | undefined;
const fetcher = new CountingFetcher(new HttpFeedFetcher({ allowPrivate: true })); // feeds on loopback

const poll = async (req: Extract<ChildRequest, { type: 'poll' }>): Promise<PollRound> => {
  store ??= new CountingStore(new FsObjectStore(req.storeDir));
  store.reset();
  fetcher.reset();
  const started = performance.now();
  const deps = {
    store,
    fetcher,
    clock: { now: () => new Date() },
    logger: quiet,
    // Every feed at every poll, as the bench changes feeds between polls seconds apart.
    dueOnly: false,
    ...(req.concurrency ? { concurrency: req.concurrency } : {}),
  };
  const tick = new Date();
  const shardReports: ShardReport[] = [];
  const shards: ShardMeasure[] = [];
  for (const shard of shardFeeds(req.feeds)) {
    const shardStarted = performance.now();
    const shardReport = await pollShard(deps, shard, { tick });
    shardReports.push(shardReport);
    shards.push({
      shard: `${shard.count}-${shard.index}`,
      feeds: shard.feeds.length,
      polled: shardReport.feeds.length,
      gets: shardReport.requests.gets,
      puts: shardReport.requests.puts,
      bytesPut: shardReport.requests.bytesPut,
      ms: performance.now() - shardStarted,
    });
  }
  const report = {
    feeds: shardReports.flatMap((r) => r.feeds),
    itemsKeys: shardReports.flatMap((r) => r.itemsKeys),
  };
  const ms = performance.now() - started;
  const unchangedState = new Set(
    report.feeds.filter((f) => f.status === 'unchanged').map((f) => stateKey(f.url))
  );
  const writes = { items: 0, state: 0, other: 0, forUnchangedFeeds: 0 };
  for (const key of store.putKeys) {
    if (key.startsWith('items/')) writes.items += 1;
    else if (key.startsWith('state/')) writes.state += 1;
    else writes.other += 1;
    if (unchangedState.has(key)) writes.forUnchangedFeeds += 1;
  }
  const count = (s: string) => report.feeds.filter((f) => f.status === s).length;
  return {
    type: 'polled',
    round: req.round,
    ms,
    feeds: report.feeds.length,
    status: { ok: count('ok'), unchanged: count('unchanged'), error: count('error') },
    errors: report.feeds.flatMap((f) => (f.error ? [`${f.url}: ${f.error}`] : [])).slice(0, 5),
    newItems: report.feeds.reduce((n, f) => n + f.new, 0),
    bytesParsed: report.feeds.reduce((n, f) => n + f.bytes, 0),
    fetcher: { ...fetcher.counts },
    store: { ...store.calls },
    writes,
    itemsKeys: report.itemsKeys,
    putBytes: store.putBytes.items ?? 0,
    shards,
    maxRssKb: process.resourceUsage().maxRSS,
  };
};

/** The network floor: the same requests, same concurrency, bodies read, nothing parsed or stored. */
const baseline = async (
  req: Extract<ChildRequest, { type: 'baseline' }>
): Promise<BaselineResult> => {
  const limit = pLimit(req.concurrency);
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    req.urls.map((url) =>
      limit(async () => {
        const res = await fetch(url);
        bytes += (await res.arrayBuffer()).byteLength;
      })
    )
  );
  return { type: 'baseline', ms: performance.now() - started, bytes };
};

/** The classifier stage over the items objects of a poll, for its request counts and durations. */
const classifyStage = async (
  req: Extract<ChildRequest, { type: 'classify' }>
): Promise<ClassifyStage> => {
  const counting = new CountingStore(new FsObjectStore(req.storeDir));
  const result: ClassifyStage = {
    type: 'classified',
    objects: 0,
    items: 0,
    escalations: 0,
    alerts: 0,
    store: counting.calls,
    durations: [],
  };
  try {
    const { loadRules } = await import('../cli/yaml/rules.ts');
    const { classifyAndAlertItemsObject } = await import(
      '../lambdas/pipeline/classify-and-alert.ts'
    );
    const rules = loadRules(await readFile(req.rulesFile, 'utf8'), req.rulesFile);
    const sent: Alert[] = [];
    const deps = {
      store: counting,
      publisher: { publish: async (alert: Alert) => void sent.push(alert) },
      clock: { now: () => new Date() },
      logger: quiet,
      rules,
      worker: 'bench',
    };
    for (const key of req.keys) {
      const started = performance.now();
      const processed = await classifyAndAlertItemsObject(deps, key);
      result.durations.push(performance.now() - started);
      result.objects += 1;
      result.items += processed.results.length;
      result.escalations += processed.results.filter((r) => r.escalation).length;
    }
    result.alerts = sent.length;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return { ...result, store: { ...counting.calls } };
};

process.on('message', async (req: ChildRequest) => {
  try {
    if (req.type === 'poll') await send(await poll(req));
    else if (req.type === 'baseline') await send(await baseline(req));
    else if (req.type === 'classify') await send(await classifyStage(req));
    else process.exit(0);
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? err.stack : String(err) });
  }
});
