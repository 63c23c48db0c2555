/**
 * The classify-and-alert flow, over ports: items are classified, their escalations grouped into
 * events (the shards of the events state, state/events/<shard>.json: events-shards.ts), and the
 * alerts the events raise sent effectively once through the outbox kept in each event's shard.
 */
import { errorMessage, PreconditionFailedError } from '../core/common/errors.ts';
import { parseItemLines } from '../core/common/item-lines.ts';
import type { Alert, Classification, Item } from '../core/common/types.ts';
import { attach, clusterMemoryHours } from '../core/events/index.ts';
import { classify } from '../core/rules/classify.ts';
import type { RuleSet } from '../core/rules/ruleset.ts';
import type { AlertPublisher, Clock, Logger, ObjectStore } from '../ports.ts';
import type { EventsDoc, OutboxEntry } from './events-doc.ts';
import { changedShards, EVENT_SHARDS, mergedClusters } from './events-shards.ts';
import { shardsToSweep, updateShard, updateShards } from './events-store.ts';
import { alertKey, failedAlertKey, itemsKeyTime } from './keys.ts';
import { readMutes } from './mutes-doc.ts';

export { readEventClusters } from './events-store.ts';

export interface ClassifyAndAlertDeps {
  readonly store: ObjectStore;
  readonly publisher: AlertPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly rules: RuleSet;
  /** Names this invocation in outbox claims (the Lambda request id, or the CLI's pid). */
  readonly worker?: string;
  /** How long a claim on an unsent alert holds before another worker may send it. @default 5 min */
  readonly claimMs?: number;
  /**
   * Failed sends of one alert before it is parked under state/failed-alerts/ for a person, so
   * an alert SNS keeps refusing cannot fail every later batch. @default 10
   */
  readonly maxSendAttempts?: number;
  /** Called for each alert parked under state/failed-alerts/ (the handler counts them). */
  readonly onAlertParked?: (alert: Alert, key: string) => void;
  /** After a call that sent alerts, write the HTML report to reports/latest.html. @default false */
  readonly writeReport?: boolean;
}

export interface ClassifyAndAlertResult {
  /** The alerts this call published. */
  readonly alerts: Alert[];
  readonly results: Classification[];
  /** Escalations that were old news when first seen (see ClusterOptions.maxAgeHours): no alert. */
  readonly tooOld: number;
}

/**
 * Attaches escalations to event clusters and queues the alerts they raise: matching sees the
 * events of every shard; each shard holding an event joined or opened is written in one atomic
 * write with the alerts of its events. A retry after a conflict finds the items already recorded
 * in the shards written before it, as duplicates.
 */
const decide = async (
  deps: ClassifyAndAlertDeps,
  escalations: ReadonlyArray<{ item: Item; result: Classification }>,
  now: Date,
  firstSeen: Date
): Promise<{ alerts: Alert[]; tooOld: number }> => {
  if (escalations.length === 0) return { alerts: [], tooOld: 0 };
  const mutes = (await readMutes(deps.store, deps.logger)).mutes;
  return updateShards(deps, EVENT_SHARDS, (view) => {
    let clusters = mergedClusters(view.docs);
    const alerts: Alert[] = [];
    const touched = new Set<string>();
    let tooOld = 0;
    for (const { item, result } of escalations) {
      const attached = attach(clusters, item, result, now, deps.rules.grouping, firstSeen, mutes);
      clusters = attached.state;
      if (attached.alert) {
        const { alert } = attached;
        // The countries of its places, for subscribers' watchlists (message attribute `countries`).
        alerts.push({ ...alert, countries: deps.rules.countriesOf(alert.places) });
      }
      if (attached.tooOld) tooOld += 1;
      if (attached.eventId && !attached.duplicate) touched.add(attached.eventId);
    }
    return {
      changed: changedShards(view.docs, clusters, touched, alerts),
      value: { alerts, tooOld },
    };
  });
};

/**
 * Sends what the outboxes of `shards` hold (by default the shards to sweep now, see
 * shardsToSweep), effectively once: an entry is claimed (conditional write of its shard) before
 * it is published, recorded under alerts/ after, then removed. A failed publish leaves it in the
 * outbox for the next call; a claim left by a crashed worker expires after `claimMs`.
 */
export const flushOutbox = async (
  deps: ClassifyAndAlertDeps,
  options: {
    readonly shards?: readonly string[];
    /** The alerts this call decided: sent after older entries, in the order decided. */
    readonly decided?: readonly Alert[];
  } = {}
): Promise<Alert[]> => {
  const shards = options.shards ?? shardsToSweep(deps.store, deps.clock.now());
  const { store, publisher, clock, logger } = deps;
  const worker = deps.worker ?? 'local';
  const claimMs = deps.claimMs ?? 5 * 60_000;
  const maxAttempts = deps.maxSendAttempts ?? 10;
  const now = clock.now();
  const free = (e: OutboxEntry) =>
    !e.claimedAt || now.getTime() - Date.parse(e.claimedAt) > claimMs || e.claimedBy === worker;
  const claimed = await updateShards(deps, shards, (view) => {
    const changed = new Map<string, EventsDoc>();
    const taken: { shard: string; entry: OutboxEntry }[] = [];
    for (const [shard, doc] of view.docs) {
      const mine = doc.outbox.filter(free);
      if (mine.length === 0) continue;
      const ids = new Set(mine.map((e) => e.alert.id));
      const outbox = doc.outbox.map((e) =>
        ids.has(e.alert.id) ? { ...e, claimedBy: worker, claimedAt: now.toISOString() } : e
      );
      changed.set(shard, { ...doc, outbox });
      taken.push(...mine.map((entry) => ({ shard, entry })));
    }
    return { changed, value: taken };
  });
  const order = new Map((options.decided ?? []).map((a, i) => [a.id, i]));
  const rank = ({ entry }: { entry: OutboxEntry }) => order.get(entry.alert.id) ?? -1;
  claimed.sort((a, b) => rank(a) - rank(b));

  const sent: Alert[] = [];
  const failures: string[] = [];
  for (const { shard, entry } of claimed) {
    const { alert } = entry;
    const ledger = alertKey(alert.id, new Date(alert.lastSeen));
    let published = entry.published === true;
    try {
      if (!published) {
        if (await store.get(ledger)) {
          logger.info('alert already recorded as sent; not sent again', {
            alert: alert.id,
            ledger,
          });
        } else {
          await publisher.publish(alert);
          sent.push(alert);
        }
      }
      published = true;
      await store
        .put(ledger, JSON.stringify(alert, null, 2), {
          ifNoneMatch: '*',
          contentType: 'application/json',
        })
        .catch((err: unknown) => {
          if (!(err instanceof PreconditionFailedError)) throw err;
        });
      await updateShard(deps, shard, (doc) => ({
        doc: { ...doc, outbox: doc.outbox.filter((e) => e.alert.id !== alert.id) },
        value: undefined,
      }));
    } catch (err) {
      const attempts = (entry.attempts ?? 0) + 1;
      if (attempts >= maxAttempts) {
        // Park it: kept for a person, out of the outbox, so later batches are not failed by it.
        const parked = failedAlertKey(alert.id);
        await store.put(
          parked,
          JSON.stringify({ alert, attempts, published, lastError: errorMessage(err) }, null, 2),
          { contentType: 'application/json' }
        );
        await updateShard(deps, shard, (doc) => ({
          doc: { ...doc, outbox: doc.outbox.filter((e) => e.alert.id !== alert.id) },
          value: undefined,
        }));
        logger.error(
          `alert failed ${attempts} times and was parked at ${parked}: fix the cause (the error says what), then publish it by hand`,
          { alert: alert.id, error: errorMessage(err) }
        );
        deps.onAlertParked?.(alert, parked);
        continue;
      }
      failures.push(`${alert.id}: ${errorMessage(err)}`);
      logger.error(
        published
          ? 'alert sent but not recorded; it stays in the outbox to be recorded, not sent again'
          : 'alert not sent; it stays in the outbox and is retried',
        { alert: alert.id, error: errorMessage(err), attempts }
      );
      // Release the claim so the retry need not wait for it to expire, remembering the publish.
      await updateShard(deps, shard, (doc) => ({
        doc: {
          ...doc,
          outbox: doc.outbox.map((e) =>
            e.alert.id === alert.id
              ? {
                  alert: e.alert,
                  attempts,
                  ...(published || e.published ? { published: true as const } : {}),
                }
              : e
          ),
        },
        value: undefined,
      })).catch(() => undefined);
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} of ${claimed.length} alerts could not be sent or recorded and will be retried: ${failures.join('; ')}`
    );
  }
  return sent;
};

/** Classifies items, clusters the escalations into events, and sends the alerts they raise. */
/**
 * `firstSeen`: when the items were first seen (the poll that stored them), so that a batch
 * retried or redriven later is judged old news by when it came out, not by when it is processed.
 * @default now
 */
export const classifyAndAlert = async (
  deps: ClassifyAndAlertDeps,
  items: readonly Item[],
  firstSeen?: Date
): Promise<ClassifyAndAlertResult> => {
  const results = items.map((item) => classify(item, deps.rules));
  const escalations = items.flatMap((item, i) => {
    const result = results[i];
    return result?.escalation ? [{ item, result }] : [];
  });
  const now = deps.clock.now();
  const decided = await decide(deps, escalations, now, firstSeen ?? now);
  const alerts = await flushOutbox(deps, { decided: decided.alerts });
  const { tooOld } = decided;
  if (alerts.length > 0 && deps.writeReport) {
    // Loaded on first use: the world map is not parsed on a cold start that sends nothing.
    const { writeLatestReport } = await import('./report.ts');
    await writeLatestReport(deps.store, deps.clock.now(), deps.logger);
  }
  return { alerts, results, tooOld };
};

/**
 * Classifies one items/ object written by the poller and alerts on it. An object older than the clusters' memory
 * (a dead-letter queue redriven after a week, say) is classified but raises no alert: its items
 * could no longer be recognised as already alerted on, and an old alert sent again is worse
 * than none. The log names it.
 */
export const classifyAndAlertItemsObject = async (
  deps: ClassifyAndAlertDeps,
  key: string
): Promise<ClassifyAndAlertResult> => {
  const stored = await deps.store.get(key);
  if (!stored) throw new Error(`items object ${key} not found in the store`);
  const items = parseItemLines(stored.body, key);
  const written = itemsKeyTime(key);
  const ageMs = written ? deps.clock.now().getTime() - written.getTime() : 0;
  const memoryHours = clusterMemoryHours(deps.rules.grouping);
  if (ageMs > memoryHours * 3_600_000) {
    deps.logger.warn('items object too old to alert on safely; classified only', {
      key,
      ageHours: Math.round(ageMs / 3_600_000),
      limitHours: memoryHours,
    });
    const results = items.map((item) => classify(item, deps.rules));
    return { alerts: [], results, tooOld: results.filter((r) => r.escalation).length };
  }
  return classifyAndAlert(deps, items, written);
};
