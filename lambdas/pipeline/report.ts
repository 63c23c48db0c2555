/**
 * The analyst's reads of the store: the recent events with their alerts and mutes (for
 * `newsalert events` and the HTML report), and the report the classifier writes to
 * reports/latest.html after the alerts it sends.
 */
import { errorMessage } from '../core/common/errors.ts';
import type { Alert } from '../core/common/types.ts';
import { activeMutes, type Mute } from '../core/events/index.ts';
import { alertDays, type EventView, eventViews } from '../core/report/event-views.ts';
import { renderReportHtml } from '../core/report/html.ts';
import type { Logger, ObjectStore } from '../ports.ts';
import { readEventClusters } from './events-store.ts';
import { alertsDayPrefix, LATEST_REPORT_KEY } from './keys.ts';
import { readMutes } from './mutes-doc.ts';
import { worldMap } from './world-map.ts';

export interface RecentEvents {
  readonly events: EventView[];
  /** Every mute in force, also of events no longer listed. */
  readonly mutes: Mute[];
}

const isAlert = (value: unknown): value is Alert =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Alert).id === 'string' &&
  typeof (value as Alert).eventId === 'string';

/** The events the events state keeps (last report at or after `since`), their alerts and the mutes. */
export const readRecentEvents = async (
  store: ObjectStore,
  options: { readonly now: Date; readonly since?: Date | undefined },
  logger?: Logger
): Promise<RecentEvents> => {
  // Every shard of the events state (a damaged one is salvaged, and the log says so)
  const clusters = await readEventClusters(store, logger);
  const mutes = activeMutes(await readMutes(store, logger), options.now);
  const alerts: Alert[] = [];
  for (const day of alertDays(clusters, options)) {
    for (const key of await store.list(alertsDayPrefix(day))) {
      const stored = await store.get(key);
      try {
        const value: unknown = stored ? JSON.parse(stored.body) : undefined;
        if (isAlert(value)) alerts.push(value);
      } catch (err) {
        logger?.warn('alert record does not parse; left out', { key, error: errorMessage(err) });
      }
    }
  }
  return { events: eventViews(clusters, alerts, mutes, options), mutes };
};

/** The HTML report of the events the store keeps, as of `now`. */
export const reportHtml = async (
  store: ObjectStore,
  options: { readonly now: Date; readonly since?: Date | undefined },
  logger?: Logger
): Promise<string> => {
  const { events } = await readRecentEvents(store, options, logger);
  return renderReportHtml(events, worldMap(), options.now);
};

/** Writes reports/latest.html; a failure is logged, never thrown (the alerts went out). */
export const writeLatestReport = async (
  store: ObjectStore,
  now: Date,
  logger: Logger
): Promise<void> => {
  try {
    const html = await reportHtml(store, { now }, logger);
    await store.put(LATEST_REPORT_KEY, html, { contentType: 'text/html; charset=utf-8' });
  } catch (err) {
    logger.error(`could not write ${LATEST_REPORT_KEY}`, { error: errorMessage(err) });
  }
};
