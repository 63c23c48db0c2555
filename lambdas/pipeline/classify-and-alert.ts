/**
 * The classify-and-alert flow, over ports: items are classified, their escalations grouped into
 * events (state/events.json), and the alerts the events raise sent effectively once through the
 * outbox kept in the same document.
 */
import { errorMessage, PreconditionFailedError } from '../core/common/errors.ts';
import { parseItemLines } from '../core/common/item-lines.ts';
import type { Alert, Classification, Item } from '../core/common/types.ts';
import { attach, type ClusterState, clusterMemoryHours } from '../core/events/index.ts';
import { classify } from '../core/rules/classify.ts';
import type { RuleSet } from '../core/rules/ruleset.ts';
import type { AlertPublisher, Clock, Logger, ObjectStore } from '../ports.ts';
import {
  type EventsDoc,
  emptyEventsDoc,
  eventsDocJson,
  type OutboxEntry,
  readEventsDoc,
  restoreHint,
} from './events-doc.ts';
import { alertKey, alertsDayPrefix, EVENTS_KEY, failedAlertKey, itemsKeyTime } from './keys.ts';
import { readMutes } from './mutes-doc.ts';

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

const MAX_ATTEMPTS = 8;

/**
 * The events document last read or written through each store, with its ETag: the same ETag
 * means the same bytes, so the document is parsed again only when another writer changed it.
 * Documents are never mutated (every change builds a new one), so sharing them is safe.
 */
const lastEvents = new WeakMap<ObjectStore, { readonly etag: string; readonly doc: EventsDoc }>();

/**
 * Reads state/events.json (undefined `etag` when there is none yet). A damaged document is
 * salvaged rather than refused: every outbox entry and event that can be read is kept, the log
 * names what was lost, and the damaged copy stays as the object's previous version.
 */
const readEvents = async (store: ObjectStore, logger?: Logger) => {
  const stored = await store.get(EVENTS_KEY);
  if (!stored) return { doc: emptyEventsDoc(), etag: undefined };
  const known = lastEvents.get(store);
  if (known?.etag === stored.etag) return { doc: known.doc, etag: stored.etag };
  const { doc, problems } = readEventsDoc(stored.body);
  if (problems.length > 0) {
    logger?.error(
      `${EVENTS_KEY} is damaged; going on with what could be read (${doc.outbox.length} unsent alerts, ${doc.clusters.events.length} events). Events left out are forgotten: a later report of one is alerted as new. To get them back, ${restoreHint(EVENTS_KEY)}`,
      { key: EVENTS_KEY, problems: problems.slice(0, 20), problemCount: problems.length }
    );
  }
  lastEvents.set(store, { etag: stored.etag, doc });
  return { doc, etag: stored.etag };
};

/**
 * Refuses to start state/events.json afresh while alerts/ holds alerts recorded within the
 * clusters' memory: the document was there and is gone (deleted, or lost in a restore), and a
 * fresh one would forget unsent alerts and which events were already alerted on. alerts/ is
 * filed by the day of each event's latest report, so an event whose reports are all dated
 * earlier than that escapes this check.
 */
const refuseFreshStartAfterSends = async (
  store: ObjectStore,
  now: Date,
  memoryHours: number
): Promise<void> => {
  const days = Math.ceil(memoryHours / 24);
  for (let day = 0; day <= days; day += 1) {
    const recorded = await store.list(alertsDayPrefix(new Date(now.getTime() - day * 86_400_000)));
    if (recorded.length === 0) continue;
    throw new Error(
      `${EVENTS_KEY} is missing, but alerts/ holds alerts sent in the last ${days} days (${recorded.at(-1)}): starting afresh would drop the alerts not sent yet and alert again on events already alerted on. To get it back, ${restoreHint(EVENTS_KEY)}. To start afresh on purpose, upload ${eventsDocJson(emptyEventsDoc())} as ${EVENTS_KEY}`
    );
  }
};

/** The event clusters as stored now (empty when none are stored yet). */
export const readEventClusters = async (
  store: ObjectStore,
  logger?: Logger
): Promise<ClusterState> => (await readEvents(store, logger)).doc.clusters;

/**
 * Read-modify-write of state/events.json with a conditional write, retried when another worker
 * wrote in between. `change` returns the new document, or undefined when there is nothing to write.
 */
const updateEvents = async <T>(
  deps: Pick<ClassifyAndAlertDeps, 'store' | 'clock' | 'logger' | 'rules'>,
  change: (doc: EventsDoc) => { doc?: EventsDoc; value: T }
): Promise<T> => {
  const { store } = deps;
  for (let attempt = 1; ; attempt += 1) {
    const { doc, etag } = await readEvents(store, deps.logger);
    const { doc: next, value } = change(doc);
    if (!next) return value;
    if (!etag) {
      const memoryHours = clusterMemoryHours(deps.rules.grouping);
      await refuseFreshStartAfterSends(store, deps.clock.now(), memoryHours);
    }
    try {
      const written = await store.put(EVENTS_KEY, eventsDocJson(next), {
        contentType: 'application/json',
        ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' as const }),
      });
      lastEvents.set(store, { etag: written.etag, doc: next });
      return value;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
};

/** Attaches escalations to event clusters and queues the alerts they raise, in one atomic write. */
const decide = async (
  deps: ClassifyAndAlertDeps,
  escalations: ReadonlyArray<{ item: Item; result: Classification }>,
  now: Date,
  firstSeen: Date
): Promise<{ alerts: Alert[]; tooOld: number }> => {
  const mutes = escalations.length > 0 ? (await readMutes(deps.store, deps.logger)).mutes : [];
  return updateEvents(deps, (doc) => {
    if (escalations.length === 0) return { value: { alerts: [], tooOld: 0 } };
    let clusters = doc.clusters;
    const alerts: Alert[] = [];
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
    }
    if (clusters === doc.clusters) return { value: { alerts, tooOld } };
    return {
      doc: { clusters, outbox: [...doc.outbox, ...alerts.map((alert) => ({ alert }))] },
      value: { alerts, tooOld },
    };
  });
};

/**
 * Sends what the outbox holds, effectively once: an entry is claimed (conditional write) before
 * it is published, recorded under alerts/ after, then removed. A failed publish leaves it in the
 * outbox for the next call; a claim left by a crashed worker expires after `claimMs`.
 */
export const flushOutbox = async (deps: ClassifyAndAlertDeps): Promise<Alert[]> => {
  const { store, publisher, clock, logger } = deps;
  const worker = deps.worker ?? 'local';
  const claimMs = deps.claimMs ?? 5 * 60_000;
  const maxAttempts = deps.maxSendAttempts ?? 10;
  const now = clock.now();
  const claimed = await updateEvents(deps, (doc) => {
    const free = (e: OutboxEntry) =>
      !e.claimedAt || now.getTime() - Date.parse(e.claimedAt) > claimMs || e.claimedBy === worker;
    const mine = doc.outbox.filter(free);
    if (mine.length === 0) return { value: [] };
    const ids = new Set(mine.map((e) => e.alert.id));
    const outbox = doc.outbox.map((e) =>
      ids.has(e.alert.id) ? { ...e, claimedBy: worker, claimedAt: now.toISOString() } : e
    );
    return { doc: { ...doc, outbox }, value: mine };
  });

  const sent: Alert[] = [];
  const failures: string[] = [];
  for (const entry of claimed) {
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
      await updateEvents(deps, (doc) => ({
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
        await updateEvents(deps, (doc) => ({
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
      await updateEvents(deps, (doc) => ({
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
  const { tooOld } = await decide(deps, escalations, now, firstSeen ?? now);
  const alerts = await flushOutbox(deps);
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
