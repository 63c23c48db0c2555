/**
 * Poll bench: N feeds on a loopback server with per-response latency; a first poll fetches
 * all of them, then a share changes and a second poll runs. The poller runs in a child
 * process (see poll-child.ts) so its peak RSS is its own.
 */
import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeedConfig, Item } from '../lambdas/core/common/types.ts';
import { WORKER_HEAP_MB } from '../lib/constructs/feed-poller.ts';
import { type FeedServer, startFeedServer } from '../test/helpers/feed-server.ts';
import { makeItem } from './lib/items.ts';
import { prng } from './lib/prng.ts';
import type { Check, SectionResult } from './lib/report.ts';
import { rssFeed } from './lib/rss.ts';
import { median } from './lib/stats.ts';
import type { BaselineResult, ChildRequest, ClassifyStage, PollRound } from './poll-child.ts';

export interface PollBenchOptions {
  readonly feeds: number;
  readonly itemsPerFeed: number;
  readonly changedShare: number;
  /** New items in a changed feed. */
  readonly newPerChange: number;
  readonly latencyMs: number;
  /** Polls after the first, each with a different share changed (median wall time taken). */
  readonly changedPolls: number;
  /** undefined: the poller's default. */
  readonly concurrency?: number;
  readonly workDir: string;
  readonly rulesFile: string;
  readonly goals: { readonly wallMs: number; readonly rssMb: number };
}

/** pollFeeds' default concurrency (lambdas/pipeline/poll.ts), for the network floor. */
export const DEFAULT_POLL_CONCURRENCY = 16;

export interface PollMeasures {
  readonly first: PollRound;
  /** The last poll with changes (its counts are the same in every such poll). */
  readonly second: PollRound;
  /** Wall time of every poll with changes, and of the network floor measured after each. */
  readonly secondMs: number[];
  readonly baselineMs: number[];
  readonly baseline: BaselineResult;
  readonly classify: ClassifyStage;
  readonly concurrency: number;
  readonly feeds: number;
  readonly changed: number;
}

interface ChildHandle {
  ask<T>(req: ChildRequest, expect: string): Promise<T>;
  close(): void;
}

const startChild = (): ChildHandle => {
  const child = fork(fileURLToPath(new URL('./poll-child.ts', import.meta.url)), [], {
    // The deployed worker's heap limit: its peak is then what must be live, as in Lambda, not
    // what a 24 GB machine lets Node leave uncollected.
    execArgv: ['--import', 'tsx', `--max-old-space-size=${WORKER_HEAP_MB}`],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    ask: <T>(req: ChildRequest, expect: string) =>
      new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`poll child exited with ${code} while waiting for ${expect}`));
        child.once('exit', onExit);
        child.once('message', (msg: { type: string; message?: string }) => {
          child.off('exit', onExit);
          if (msg.type === expect) resolve(msg as T);
          else reject(new Error(`poll child: ${msg.message ?? msg.type}`));
        });
        child.send(req);
      }),
    close: () => {
      if (child.connected) child.send({ type: 'exit' });
    },
  };
};

class FeedSet {
  private readonly items: Item[][] = [];
  private counter = 1_000_000;
  private readonly r = prng(42);

  constructor(
    private readonly server: FeedServer,
    private readonly options: PollBenchOptions
  ) {}

  path = (i: number) => `/feeds/${i}.xml`;

  publish(i: number, version: number): void {
    const items = this.items[i] ?? [];
    this.server.route(this.path(i), {
      body: rssFeed(`Outlet ${i}`, `https://outlet${i}.example/`, items),
      lastModified: new Date(Date.UTC(2026, 10, 1) + version * 60_000).toUTCString(),
    });
  }

  init(): FeedConfig[] {
    const feeds: FeedConfig[] = [];
    for (let i = 0; i < this.options.feeds; i += 1) {
      const url = this.server.url(this.path(i));
      const list: Item[] = [];
      for (let k = 0; k < this.options.itemsPerFeed; k += 1) {
        list.push(makeItem(this.r, i * 1000 + k, this.r.next() < 0.2, url));
      }
      this.items[i] = list;
      this.publish(i, 0);
      feeds.push({ url, name: `Outlet ${i}` });
    }
    return feeds;
  }

  /** Adds new items at the top of a share of the feeds (dropping as many old ones). */
  change(share: number, round: number): number {
    const n = Math.round(this.options.feeds * share);
    for (let i = 0; i < n; i += 1) {
      const feed = (Math.floor((i * this.options.feeds) / n) + round) % this.options.feeds;
      const list = this.items[feed] ?? [];
      const url = this.server.url(this.path(feed));
      const fresh: Item[] = [];
      for (let k = 0; k < this.options.newPerChange; k += 1) {
        this.counter += 1;
        fresh.push(makeItem(this.r, this.counter, this.r.next() < 0.2, url));
      }
      this.items[feed] = [...fresh, ...list].slice(0, this.options.itemsPerFeed);
      this.publish(feed, 1);
    }
    return n;
  }
}

export const measurePoll = async (options: PollBenchOptions): Promise<PollMeasures> => {
  const storeDir = join(options.workDir, 'poll-store');
  await rm(storeDir, { recursive: true, force: true });
  const server = await startFeedServer({ latencyMs: options.latencyMs });
  const child = startChild();
  try {
    const set = new FeedSet(server, options);
    const feeds = set.init();
    const concurrency = options.concurrency ?? DEFAULT_POLL_CONCURRENCY;
    const poll = (round: number) =>
      child.ask<PollRound>(
        {
          type: 'poll',
          round,
          feeds,
          storeDir,
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        },
        'polled'
      );
    const first = await poll(1);
    let changed = 0;
    let second: PollRound | undefined;
    let baseline: BaselineResult | undefined;
    const secondMs: number[] = [];
    const baselineMs: number[] = [];
    for (let round = 2; round < 2 + Math.max(1, options.changedPolls); round += 1) {
      changed = set.change(options.changedShare, round);
      server.resetCounts();
      second = await poll(round);
      secondMs.push(second.ms);
      baseline = await child.ask<BaselineResult>(
        { type: 'baseline', urls: feeds.map((f) => f.url), concurrency },
        'baseline'
      );
      baselineMs.push(baseline.ms);
    }
    if (!second || !baseline) throw new Error('no poll with changes ran');
    const classify = await child.ask<ClassifyStage>(
      { type: 'classify', keys: second.itemsKeys, storeDir, rulesFile: options.rulesFile },
      'classified'
    );
    return {
      first,
      second,
      secondMs,
      baselineMs,
      baseline,
      classify,
      concurrency,
      feeds: feeds.length,
      changed,
    };
  } finally {
    child.close();
    await server.stop();
  }
};

export const pollSection = (m: PollMeasures, options: PollBenchOptions): SectionResult => {
  const { second, first } = m;
  const unchanged = second.status.unchanged;
  const rssMb = second.maxRssKb / 1024;
  const wallMs = median(m.secondMs);
  const floorMs = median(m.baselineMs);
  const checks: Check[] = [
    {
      section: 'poll',
      name: `poll wall time, ${m.feeds} feeds, ${m.changed} changed, ${options.latencyMs} ms latency, concurrency ${m.concurrency} (median of ${m.secondMs.length} polls)`,
      value: wallMs / 1000,
      unit: 's',
      baseline: {
        name: 'bare GETs, same feeds and concurrency, no parse/store',
        value: floorMs / 1000,
        unit: 's',
      },
      ratio: wallMs / floorMs,
      goal: `<= ${options.goals.wallMs / 1000} s`,
      pass: wallMs <= options.goals.wallMs && second.status.error === 0,
    },
    {
      section: 'poll',
      name: `peak RSS of the polling process (all ${m.secondMs.length + 1} polls)`,
      value: rssMb,
      unit: 'MB',
      goal: `< ${options.goals.rssMb} MB`,
      pass: rssMb < options.goals.rssMb,
    },
    {
      section: 'poll',
      name: `texts handed to the parser in the second poll (${second.status.ok} changed, ${unchanged} unchanged)`,
      value: second.fetcher.texts,
      unit: 'feeds',
      goal: `= changed feeds (${m.changed})`,
      pass: second.fetcher.texts === m.changed && unchanged === m.feeds - m.changed,
    },
    {
      section: 'poll',
      name: 'store writes for unchanged (304) feeds in the second poll',
      value: second.writes.forUnchangedFeeds,
      unit: 'writes',
      goal: '= 0',
      pass: second.writes.forUnchangedFeeds === 0,
    },
    {
      section: 'poll',
      name: `store writes in the second poll (${second.shards.length} shards)`,
      value: second.store.put,
      unit: 'PUT',
      baseline: {
        name: 'per-feed layout: changed feeds x 2 (items + state)',
        value: m.changed * 2,
        unit: 'PUT',
      },
      ratio: second.store.put / Math.max(1, m.changed * 2),
      goal: `<= 2 per shard (${2 * second.shards.length})`,
      pass: second.store.put <= 2 * second.shards.length,
    },
    {
      section: 'poll',
      name: 'slowest shard of the second poll (one worker run)',
      value: Math.max(0, ...second.shards.map((s) => s.ms)) / 1000,
      unit: 's',
    },
    {
      section: 'poll',
      name: 'bytes parsed in the second poll',
      value: second.bytesParsed / 1024,
      unit: 'KiB',
      baseline: { name: 'first poll (all feeds)', value: first.bytesParsed / 1024, unit: 'KiB' },
      ratio: second.bytesParsed / Math.max(1, first.bytesParsed),
    },
  ];
  const notes: string[] = [];
  if (second.status.error > 0 || first.status.error > 0) {
    notes.push(`feed errors: ${[...first.errors, ...second.errors].join('; ')}`);
  }
  if (second.writes.forUnchangedFeeds > 0) {
    notes.push(
      `the poller rewrites state/ for every 304 feed (${second.writes.forUnchangedFeeds} PUTs): keep lastSuccess/lastAttempt elsewhere or skip the write when only timestamps change`
    );
  }
  if (m.classify.error) notes.push(`classifier stage not measured: ${m.classify.error}`);
  return {
    name: 'poll',
    checks,
    notes,
    details: {
      feeds: m.feeds,
      changed: m.changed,
      latencyMs: options.latencyMs,
      concurrency: m.concurrency,
      first: { ...first, itemsKeys: first.itemsKeys.length },
      second: { ...second, itemsKeys: second.itemsKeys.length },
      /** Per shard and poll: S3 GETs, PUTs, bytes put, the worker's wall time (ms). */
      shardsPerPoll: { first: first.shards, second: second.shards },
      secondMs: m.secondMs,
      baselineMs: m.baselineMs,
      classifierStage: m.classify,
    },
  };
};
