import { resolve } from 'node:path';
import { ConsolePublisher } from '../lambdas/adapters/console-publisher.ts';
import { FsObjectStore } from '../lambdas/adapters/fs-store.ts';
import { MemoryObjectStore } from '../lambdas/adapters/memory-store.ts';
import { stderrLogger } from '../lambdas/adapters/stderr-logger.ts';
import type { Alert } from '../lambdas/core/common/types.ts';
import type { ClusterState } from '../lambdas/core/events/index.ts';
import type { RuleSet } from '../lambdas/core/rules/index.ts';
import {
  type ClassifyAndAlertResult,
  classifyAndAlertItemsObject,
  readEventClusters,
} from '../lambdas/pipeline/classify-and-alert.ts';
import { type PollReport, pollFeeds } from '../lambdas/pipeline/poll.ts';
import type { AlertPublisher, Clock, Logger, ObjectStore } from '../lambdas/ports.ts';
import { type Io, readUserFile } from './io.ts';
import { parseStream, ReplayFetcher, schedule, streamFeeds } from './replay-stream.ts';

export interface ReplayOptions {
  /** Minutes between simulated polls. */
  readonly poll: number;
  /** State folder to keep; default: fresh state held in memory, gone afterwards. */
  readonly data?: string;
  readonly json: boolean;
}

export interface ReplaySummary {
  readonly type: 'summary';
  readonly entries: number;
  readonly polls: number;
  readonly escalations: number;
  /** Escalations first seen long after they were published: old news, no alert. */
  readonly tooOld: number;
  readonly alerts: number;
  readonly new: number;
  readonly update: number;
}

export interface ReplayTickResult {
  readonly at: Date;
  /** The poll of every due feed at this tick. */
  readonly report: PollReport;
  /** One result per items object the poll stored, classified in turn. */
  readonly classified: readonly ClassifyAndAlertResult[];
  /** Wall time of each of those classifications, ms. */
  readonly classifyMs: readonly number[];
  /** The alerts published at this tick, in order. */
  readonly sent: readonly Alert[];
}

export interface ReplayDeps {
  readonly store: ObjectStore;
  /** The store the classifier uses: the same one, or a wrapper of it (the cost bench counts). */
  readonly classifierStore?: ObjectStore;
  readonly rules: RuleSet;
  readonly logger: Logger;
  readonly pollMinutes: number;
}

/**
 * A recorded stream through the poller and classifier pipeline, tick by tick, with the clock at
 * each tick: every feed polled when its schedule says it is due (adaptive polling), as the
 * deployed poller would, and every feed at the last tick, so no entry is left unread.
 */
export async function* replayTicks(
  entries: ReturnType<typeof parseStream>,
  deps: ReplayDeps
): AsyncGenerator<ReplayTickResult> {
  const intervalMs = deps.pollMinutes * 60_000;
  const plan = schedule(entries, intervalMs);
  const fetcher = new ReplayFetcher(plan);
  let now = new Date(0);
  const clock: Clock = { now: () => now };
  const sent: Alert[] = [];
  const publisher: AlertPublisher = {
    publish: async (alert) => {
      sent.push(alert);
    },
  };
  const classifyDeps = {
    store: deps.classifierStore ?? deps.store,
    publisher,
    clock,
    logger: deps.logger,
    rules: deps.rules,
    worker: 'replay',
  };
  const feeds = streamFeeds(plan);
  const changes = new Map(plan.polls.map((poll) => [poll.at.getTime(), poll]));
  const start =
    entries.length > 0
      ? Math.floor(entries.reduce((min, e) => Math.min(min, e.at), Infinity) / intervalMs) *
        intervalMs
      : 0;
  const ticks = plan.polls.length > 0 ? plan.pollCount : 0;
  for (let tick = 0; tick < ticks; tick += 1) {
    const at = new Date(start + tick * intervalMs);
    now = at;
    const change = changes.get(at.getTime());
    if (change) fetcher.advance(change);
    const report = await pollFeeds(
      {
        store: deps.store,
        fetcher,
        clock,
        logger: deps.logger,
        concurrency: 1,
        dueOnly: tick < ticks - 1,
      },
      feeds
    );
    const classified: ClassifyAndAlertResult[] = [];
    const classifyMs: number[] = [];
    for (const key of report.itemsKeys) {
      const started = performance.now();
      classified.push(await classifyAndAlertItemsObject(classifyDeps, key));
      classifyMs.push(performance.now() - started);
    }
    yield { at, report, classified, classifyMs, sent: sent.splice(0) };
  }
}

/** Every input entry an event holds: its reports and the ids kept beyond them. */
const eventItemIds = (clusters: ClusterState, eventId: string): string[] => {
  const event = clusters.events.find((e) => e.id === eventId);
  if (!event) return [];
  return [...event.reports.map((r) => r.itemId), ...(event.extraItemIds ?? [])].sort();
};

const shortTime = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * `newsalert replay FILE`: a recorded stream through the same poller and classifier pipeline as
 * the Lambdas, with the clock at each simulated poll. Each feed is served as the RSS document
 * it would have been at that time, so parsing, seen-item state, items objects, classification,
 * grouping and the outbox all run as deployed; only the time is simulated.
 */
export const replayCommand = async (
  io: Io,
  rules: RuleSet,
  file: string,
  options: ReplayOptions
): Promise<number> => {
  const entries = parseStream(await readUserFile(file, 'stream'), file);
  const store = options.data ? new FsObjectStore(resolve(options.data)) : new MemoryObjectStore();
  const logger = stderrLogger({ level: 'error', write: (line) => io.err(`${line}\n`) });
  const human = new ConsolePublisher(io.out);
  const counts = { escalations: 0, tooOld: 0, alerts: 0, new: 0, update: 0 };
  let failures = 0;
  const ticks = replayTicks(entries, { store, rules, logger, pollMinutes: options.poll });
  for await (const { at, report, classified, sent } of ticks) {
    for (const feed of report.feeds) {
      if (feed.status === 'error') {
        failures += 1;
        io.err(`error at ${at.toISOString()}: ${feed.url}: ${feed.error}\n`);
      }
    }
    for (const result of classified) {
      counts.escalations += result.results.filter((r) => r.escalation).length;
      counts.tooOld += result.tooOld;
    }
    if (sent.length === 0) continue;
    const clusters = await readEventClusters(store);
    for (const alert of sent) {
      counts.alerts += 1;
      counts[alert.kind] += 1;
      const itemIds = eventItemIds(clusters, alert.eventId);
      if (options.json) {
        io.out(
          `${JSON.stringify({ type: 'alert', at: at.toISOString(), ...alert, event: alert.eventId, itemIds })}\n`
        );
      } else {
        io.out(`at ${shortTime(at)} (${itemIds.length} entries in this event)\n`);
        await human.publish(alert);
      }
    }
  }
  const summary: ReplaySummary = {
    type: 'summary',
    entries: entries.length,
    polls: schedule(entries, options.poll * 60_000).pollCount,
    ...counts,
  };
  if (options.json) io.out(`${JSON.stringify(summary)}\n`);
  else {
    io.out(
      `\nreplayed ${summary.entries} entries in ${summary.polls} polls of ${options.poll} min: ${summary.escalations} escalations${summary.tooOld > 0 ? ` (${summary.tooOld} too old to alert)` : ''}, ${summary.alerts} alerts (${summary.new} new, ${summary.update} updates)\n`
    );
  }
  return failures > 0 ? 1 : 0;
};
