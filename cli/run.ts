import { resolve } from 'node:path';
import { ConsolePublisher } from '../lambdas/adapters/console-publisher.ts';
import { FsObjectStore } from '../lambdas/adapters/fs-store.ts';
import { HttpOrFileFeedFetcher } from '../lambdas/adapters/http-or-file-feed-fetcher.ts';
import { stderrLogger } from '../lambdas/adapters/stderr-logger.ts';
import { systemClock } from '../lambdas/adapters/system-clock.ts';
import { errorMessage, InvalidInputError } from '../lambdas/core/common/errors.ts';
import type { FeedConfig } from '../lambdas/core/common/types.ts';
import { parseFeedsJson, validateFeeds } from '../lambdas/core/feeds/feeds-config.ts';
import type { RuleSet } from '../lambdas/core/rules/index.ts';
import {
  classifyAndAlertItemsObject,
  flushOutbox,
} from '../lambdas/pipeline/classify-and-alert.ts';
import { type FeedReport, pollFeeds } from '../lambdas/pipeline/poll.ts';
import type { Clock, FeedFetcher } from '../lambdas/ports.ts';
import { DEFAULT_FEEDS, type Io, isJsonFile, readUserFile, UsageError } from './io.ts';
import { loadRulesFile } from './rules-file.ts';
import { parseFeedsConfig } from './yaml/feeds-config.ts';

export interface RunOptions {
  readonly feeds?: string;
  readonly rules?: string;
  readonly data: string;
  readonly json: boolean;
  readonly concurrency: number;
  readonly timeout: number;
  /** Fetch from loopback, private and link-local addresses too: only from the command line. */
  readonly allowPrivate?: boolean;
}

/** How to allow what the fetcher refused, for its message. */
const ALLOW_PRIVATE_HINT = 'use --allow-private for a local feed';

export interface RunContext {
  readonly io: Io;
  readonly feeds: readonly FeedConfig[];
  readonly rules: RuleSet;
  readonly data: string;
  readonly json: boolean;
  readonly concurrency: number;
  readonly fetcher: FeedFetcher;
  readonly clock?: Clock;
  /**
   * Poll only the feeds due by their adaptive schedule (the polls of --watch after the first);
   * otherwise every feed, as asked. @default false
   */
  readonly dueOnly?: boolean;
}

export interface RunSummary {
  readonly type: 'summary';
  readonly feeds: number;
  readonly ok: number;
  readonly unchanged: number;
  readonly errors: number;
  readonly items: number;
  readonly new: number;
  readonly escalations: number;
  /** Escalations first seen long after they were published: old news, no alert. */
  readonly tooOld: number;
  readonly alerts: number;
  /** Problems other than feed errors (an items batch that could not be processed, say). */
  readonly failures: string[];
}

/** The feeds to poll: URLs/paths given as arguments, else the --feeds file, else the defaults. */
export const loadFeeds = async (args: readonly string[], path?: string): Promise<FeedConfig[]> => {
  if (args.length > 0) {
    return validateFeeds(
      args.map((url) => ({ url })),
      'the command line'
    );
  }
  const file = path ? resolve(path) : DEFAULT_FEEDS;
  const text = await readUserFile(file, 'feeds');
  return isJsonFile(file) ? parseFeedsJson(text, file) : parseFeedsConfig(text, file);
};

const LOCAL_QUEUE_KEY = 'state/local-queue.json';

/** The local queue's keys; a corrupt queue file is named and set aside, never silently emptied. */
const readLocalQueue = async (store: FsObjectStore, io: Io): Promise<Set<string>> => {
  const queued = await store.get(LOCAL_QUEUE_KEY);
  if (!queued) return new Set();
  try {
    const keys: unknown = JSON.parse(queued.body);
    if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) return new Set(keys);
  } catch {
    // reported below
  }
  const aside = `${LOCAL_QUEUE_KEY}.corrupt`;
  await store.put(aside, queued.body);
  io.err(
    `warning: ${LOCAL_QUEUE_KEY} is not a JSON list of keys; kept as ${aside}, and the queue starts empty (re-queue its items objects by hand if needed)\n`
  );
  return new Set();
};

/**
 * A feed error that says this machine reached no network: no name resolved, no route, no answer
 * in time. A refused or reset connection, an HTTP status or a bad feed came from a host that was
 * reached; a local file is no network at all.
 */
const NETWORK_DOWN =
  /\b(ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ENETDOWN|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)\b|\btimed out after /;

/** No feed could be reached, each because of the network (not a refusal, a status, a file). */
export const noNetwork = (reports: readonly FeedReport[]): boolean =>
  reports.length > 0 &&
  reports.every(
    (r) => r.status === 'error' && /^https?:/i.test(r.url) && NETWORK_DOWN.test(r.error ?? '')
  );

const feedLine = (r: FeedReport): string => {
  const label = r.name ? `${r.name} <${r.url}>` : r.url;
  if (r.status === 'error') return `error      ${label}: ${r.error}\n`;
  if (r.status === 'unchanged') return `unchanged  ${label}\n`;
  const warnings = r.warnings.map((w) => `\n           warning: ${w}`).join('');
  return `ok         ${label}: ${r.items} items, ${r.new} new${warnings}\n`;
};

/** One poll of every feed, then classification, clustering and alerts for what was new. */
export const runOnce = async (ctx: RunContext): Promise<RunSummary> => {
  const { io, json } = ctx;
  const store = new FsObjectStore(ctx.data);
  const clock = ctx.clock ?? systemClock;
  const logger = stderrLogger({ level: 'error', write: (line) => io.err(`${line}\n`) });
  const total = ctx.feeds.length;
  const step = Math.max(1, Math.ceil(total / 10));
  const poll = await pollFeeds(
    {
      store,
      fetcher: ctx.fetcher,
      clock,
      logger,
      concurrency: ctx.concurrency,
      dueOnly: ctx.dueOnly ?? false,
      onFeed: (report, done) => {
        if (json) io.out(`${JSON.stringify({ type: 'feed', ...feedJson(report) })}\n`);
        else io.out(feedLine(report));
        if (total >= 20 && (done % step === 0 || done === total)) {
          io.err(`polled ${done}/${total} feeds\n`);
        }
      },
    },
    ctx.feeds
  );

  const publisher = new ConsolePublisher(io.out, json);
  const deps = { store, publisher, clock, logger, rules: ctx.rules, worker: `cli-${process.pid}` };
  const failures: string[] = [];
  let alerts = 0;
  let escalations = 0;
  let tooOld = 0;
  try {
    alerts += (await flushOutbox(deps)).length;
  } catch (err) {
    failures.push(errorMessage(err));
  }
  // The local stand-in for the SQS queue: items objects wait in state/local-queue.json until
  // processed, so a batch that failed (an alert that could not be sent, say) is retried next run.
  const pending = await readLocalQueue(store, io);
  for (const key of poll.itemsKeys) pending.add(key);
  const saveQueue = () => store.put(LOCAL_QUEUE_KEY, JSON.stringify([...pending]));
  await saveQueue();
  for (const key of [...pending]) {
    try {
      if (!(await store.get(key))) {
        io.err(`warning: ${key} is queued but no longer in ${ctx.data}; dropped from the queue\n`);
        pending.delete(key);
        await saveQueue();
        continue;
      }
      const result = await classifyAndAlertItemsObject(deps, key);
      alerts += result.alerts.length;
      escalations += result.results.filter((r) => r.escalation).length;
      tooOld += result.tooOld;
      pending.delete(key);
      await saveQueue();
    } catch (err) {
      failures.push(`${key}: ${errorMessage(err)} (kept; retried on the next run)`);
    }
  }
  for (const failure of failures) io.err(`error: ${failure}\n`);

  const count = (status: FeedReport['status']) =>
    poll.feeds.filter((r) => r.status === status).length;
  const errors = poll.feeds.filter((r) => r.status === 'error');
  if (noNetwork(poll.feeds)) {
    io.err(
      `no network: none of the ${total} feeds could be reached. Check the connection, or run 'npx newsalert demo', which works offline.\n`
    );
  }
  const summary: RunSummary = {
    type: 'summary',
    feeds: total,
    ok: count('ok'),
    unchanged: count('unchanged'),
    errors: errors.length,
    items: poll.feeds.reduce((n, r) => n + r.items, 0),
    new: poll.feeds.reduce((n, r) => n + r.new, 0),
    escalations,
    tooOld,
    alerts,
    failures,
  };
  if (json) io.out(`${JSON.stringify(summary)}\n`);
  else {
    io.out(
      `\n${summary.feeds} feeds: ${summary.ok} ok, ${summary.unchanged} unchanged, ${summary.errors} failed${poll.notDue > 0 ? `, ${poll.notDue} not due` : ''}; ${summary.new} new items, ${summary.escalations} escalations${summary.tooOld > 0 ? ` (${summary.tooOld} too old to alert)` : ''}, ${summary.alerts} alerts sent\n`
    );
  }
  return summary;
};

const feedJson = (r: FeedReport) => ({
  url: r.url,
  ...(r.name ? { name: r.name } : {}),
  status: r.status,
  items: r.items,
  new: r.new,
  ...(r.error ? { error: r.error } : {}),
  ...(r.warnings.length > 0 ? { warnings: r.warnings } : {}),
});

export const exitStatusOf = (summary: RunSummary): number =>
  summary.errors > 0 || summary.failures.length > 0 ? 1 : 0;

/** `newsalert run`: poll once, or every N minutes with --watch. */
export const runCommand = async (
  io: Io,
  args: readonly string[],
  options: RunOptions & { watch?: number },
  signal?: AbortSignal
): Promise<number> => {
  let feeds: FeedConfig[];
  let rules: RuleSet;
  try {
    feeds = await loadFeeds(args, options.feeds);
    rules = await loadRulesFile(options.rules);
  } catch (err) {
    if (err instanceof InvalidInputError || err instanceof UsageError) throw err;
    throw new UsageError(errorMessage(err), { cause: err });
  }
  if (feeds.length === 0)
    throw new UsageError('no feeds to poll: give URLs, paths or --feeds FILE');
  const ctx: RunContext = {
    io,
    feeds,
    rules,
    data: resolve(options.data),
    json: options.json,
    concurrency: options.concurrency,
    fetcher: new HttpOrFileFeedFetcher({
      timeoutMs: options.timeout * 1000,
      allowPrivate: options.allowPrivate === true,
      privateHint: ALLOW_PRIVATE_HINT,
    }),
  };
  let status = exitStatusOf(await runOnce(ctx));
  while (options.watch && !signal?.aborted) {
    io.err(`next poll in ${options.watch} min (Ctrl-C to stop)\n`);
    const stopped = await sleep(options.watch * 60_000, signal);
    if (stopped) break;
    status = exitStatusOf(await runOnce({ ...ctx, dueOnly: true }));
  }
  return status;
};

/** Resolves true when aborted before the time is up. */
const sleep = (ms: number, signal?: AbortSignal): Promise<boolean> =>
  new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      done(true);
    });
  });
