/**
 * The analyst's view of recent events: for each event its facts as they stand (severity, places,
 * latest figures, first and last seen, sources), the alerts sent about it and its mute, built
 * from the stored clusters, the alerts recorded under alerts/ and the mutes. Pure: the stored
 * documents and the time are passed in.
 */
import { oneLine } from '../common/plain-text.ts';
import {
  type Alert,
  type AlertSource,
  type CasualtyFigures,
  type Severity,
  severityRank,
} from '../common/types.ts';
import { buildAlert, type ClusterState, type Mute, muteOf } from '../events/index.ts';

/** One alert sent about an event, as listed beside it. */
export interface SentAlert {
  readonly id: string;
  readonly kind: Alert['kind'];
  readonly severity: Severity;
  readonly headline: string;
  readonly reasons: string[];
  /** The event's latest report time when it was sent. */
  readonly lastSeen: string;
  readonly muted?: Alert['muted'];
}

export interface EventView {
  readonly id: string;
  /** open: still taking reports; closed: quiet for the clustering window. */
  readonly status: 'open' | 'closed';
  readonly severity: Severity;
  readonly headline: string;
  readonly categories: string[];
  /** Most specific first. */
  readonly places: string[];
  /** The latest figures as reported, with the spread between sources. */
  readonly casualties: CasualtyFigures;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly sources: AlertSource[];
  /** Oldest first. */
  readonly alerts: SentAlert[];
  /** The mute in force, when the event is muted. */
  readonly mute?: Mute;
}

export interface EventViewOptions {
  readonly now: Date;
  /** Only events whose last report is at or after this time. */
  readonly since?: Date | undefined;
}

const sentAlert = (a: Alert): SentAlert => ({
  id: a.id,
  kind: a.kind,
  severity: a.severity,
  headline: oneLine(a.headline),
  reasons: a.reasons,
  lastSeen: a.lastSeen,
  ...(a.muted ? { muted: a.muted } : {}),
});

/** The sequence number of an alert id (`evt-…:3` → 3), for ordering an event's alerts. */
const sequence = (id: string): number => Number(id.slice(id.lastIndexOf(':') + 1)) || 0;

/**
 * The events, most severe first, then the latest first. `alerts` are the recorded alerts (any
 * order, any events); those of events not listed are ignored.
 */
export const eventViews = (
  clusters: ClusterState,
  alerts: readonly Alert[],
  mutes: readonly Mute[],
  options: EventViewOptions
): EventView[] => {
  const byEvent = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const list = byEvent.get(alert.eventId) ?? [];
    if (!list.some((a) => a.id === alert.id)) list.push(alert);
    byEvent.set(alert.eventId, list);
  }
  const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  return clusters.events
    .filter((event) => Date.parse(event.lastSeen) >= since)
    .map((event): EventView => {
      const facts = buildAlert(event, 'new', []);
      const sent = (byEvent.get(event.id) ?? []).sort((a, b) => sequence(a.id) - sequence(b.id));
      const mute = muteOf(mutes, event.id, options.now);
      return {
        id: event.id,
        status: event.status,
        severity: facts.severity,
        // What subscribers last read, else the facts as they stand.
        headline: oneLine(sent.at(-1)?.headline ?? facts.headline),
        categories: facts.categories,
        places: facts.places,
        casualties: facts.casualties,
        firstSeen: event.firstSeen,
        lastSeen: event.lastSeen,
        sources: facts.sources,
        alerts: sent.map(sentAlert),
        ...(mute ? { mute } : {}),
      };
    })
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        Date.parse(b.lastSeen) - Date.parse(a.lastSeen) ||
        (a.id < b.id ? -1 : 1)
    );
};

/**
 * The days (UTC, earliest first) whose alerts/ folders may hold alerts of these events: alerts
 * are filed by the event's latest report time when sent, between its first and last seen.
 * At most `maxDays` per event, the latest ones.
 */
export const alertDays = (
  clusters: ClusterState,
  options: EventViewOptions,
  maxDays = 31
): Date[] => {
  const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const days = new Set<number>();
  const DAY = 86_400_000;
  for (const event of clusters.events) {
    const last = Date.parse(event.lastSeen);
    if (Number.isNaN(last) || last < since) continue;
    const first = Math.max(Date.parse(event.firstSeen) || last, last - (maxDays - 1) * DAY);
    for (let t = Math.floor(first / DAY) * DAY; t <= last; t += DAY) days.add(t);
  }
  return [...days].sort((a, b) => a - b).map((t) => new Date(t));
};
