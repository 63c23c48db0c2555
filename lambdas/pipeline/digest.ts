/**
 * The daily digest flow: read the alerts recorded for the previous UTC day (alerts/YYYY/MM/DD/,
 * keyed by the day of each alert's latest report), gather them into events, and send each digest
 * group the events that pass its filters. A group with no event gets nothing. Each group sent is
 * marked under state/digests/, so a retried run sends the others only.
 */

import { parseAlertJson } from '../core/common/alert-json.ts';
import { errorMessage } from '../core/common/errors.ts';
import type { Alert } from '../core/common/types.ts';
import { type DigestGroup, digestEvents, inGroup, renderDigest } from '../core/delivery/digest.ts';
import type { Clock, DigestPublisher, Logger, ObjectStore } from '../ports.ts';
import { alertsDayPrefix, digestSentKey } from './keys.ts';

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

export const sendDigests = async (deps: DigestDeps): Promise<DigestSummary> => {
  const day = digestDay(deps.clock.now());
  const dayText = day.toISOString().slice(0, 10);
  const keys = await deps.store.list(alertsDayPrefix(day));
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
