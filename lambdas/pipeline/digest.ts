/**
 * The daily digest flow: read the alerts recorded for the previous UTC day (alerts/YYYY/MM/DD/,
 * keyed by the day of each alert's latest report), and those recorded for the day before it
 * after that day's digest read it (an alert sent in the morning about a report of the evening
 * before), gather them into events, and send each digest group the events that pass its
 * filters. A group with no event gets nothing. Each group sent is marked under state/digests/,
 * so a retried run sends the others only; the records read are kept there for the next run.
 */

import { parseAlertJson } from '../core/common/alert-json.ts';
import { errorMessage } from '../core/common/errors.ts';
import type { Alert } from '../core/common/types.ts';
import { type DigestGroup, digestEvents, inGroup, renderDigest } from '../core/delivery/digest.ts';
import type { Clock, DigestPublisher, Logger, ObjectStore } from '../ports.ts';
import { alertsDayPrefix, digestReadKey, digestSentKey } from './keys.ts';

export interface DigestDeps {
  readonly store: ObjectStore;
  readonly publisher: DigestPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly groups: readonly DigestGroup[];
}

export interface DigestSummary {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly alerts: number;
  readonly events: number;
  /** The groups sent a digest, with their event counts. */
  readonly sent: Record<string, number>;
  /** Groups whose digest for the day an earlier run already sent. */
  readonly alreadySent: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The day a digest run at `now` covers: the UTC day before. */
export const digestDay = (now: Date): Date => new Date(now.getTime() - DAY_MS);

/** The keys of the records a run read for `day` (none when no run did). */
const keysRead = async (deps: DigestDeps, day: string): Promise<Set<string> | undefined> => {
  const stored = await deps.store.get(digestReadKey(day));
  if (!stored) return undefined;
  try {
    const value: unknown = JSON.parse(stored.body);
    const keys = (value as { keys?: unknown }).keys;
    return new Set(Array.isArray(keys) ? keys.filter((k) => typeof k === 'string') : []);
  } catch {
    return undefined;
  }
};

export const sendDigests = async (deps: DigestDeps): Promise<DigestSummary> => {
  const day = digestDay(deps.clock.now());
  const dayText = day.toISOString().slice(0, 10);
  const dayKeys = await deps.store.list(alertsDayPrefix(day));
  // Records filed under the day before after its digest read that day: late, but not missed.
  const before = digestDay(day);
  const readBefore = await keysRead(deps, before.toISOString().slice(0, 10));
  const lateKeys = readBefore
    ? (await deps.store.list(alertsDayPrefix(before))).filter((key) => !readBefore.has(key))
    : [];
  const keys = [...lateKeys, ...dayKeys];
  const alerts: Alert[] = [];
  for (const key of keys) {
    const object = await deps.store.get(key);
    if (!object) continue;
    try {
      alerts.push(parseAlertJson(object.body));
    } catch (err) {
      deps.logger.warn('alert record left out of the digest', { key, error: errorMessage(err) });
    }
  }
  const events = digestEvents(alerts);
  const read = await keysRead(deps, dayText);
  await deps.store.put(
    digestReadKey(dayText),
    JSON.stringify({ keys: [...new Set([...(read ?? []), ...dayKeys])] }),
    { contentType: 'application/json' }
  );
  const sent: Record<string, number> = {};
  const alreadySent: string[] = [];
  for (const group of deps.groups) {
    const chosen = events.filter((e) => inGroup(e, group));
    const digest = renderDigest(chosen, dayText);
    if (!digest) continue;
    const mark = digestSentKey(dayText, group.id);
    if (await deps.store.get(mark)) {
      alreadySent.push(group.id);
      continue;
    }
    await deps.publisher.publish(group.id, digest);
    await deps.store.put(mark, JSON.stringify({ group: group.id, events: chosen.length }), {
      contentType: 'application/json',
    });
    sent[group.id] = chosen.length;
  }
  return { day: dayText, alerts: alerts.length, events: events.length, sent, alreadySent };
};
