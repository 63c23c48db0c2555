/**
 * The stored state of the event clusters: the shapes of an event and of the reports recorded on
 * it, the one canonical order of those reports, and reading the state back.
 *
 * The state is plain JSON that the pipeline stores (in the shards under state/events/) and
 * passes back in. An event keeps its reports in canonical order (time, then item id), and every
 * fact computed from them follows that order, so the facts do not depend on the order the reports
 * arrived in.
 */
import { InvalidInputError } from '../common/errors.ts';
import type { Casualties, Severity } from '../common/types.ts';

/** One report recorded on an event. */
export interface EventReport {
  readonly itemId: string;
  /** The outlet: the item's source, else the host of its link or feed. */
  readonly outlet: string;
  readonly title: string;
  /** The item's summary, shortened; used for the alert's summary. */
  readonly summary?: string;
  /** Absolute http(s) URL only. */
  readonly link?: string;
  /** ISO-8601: published (never later than when it was attached), else when it was attached. */
  readonly time: string;
  readonly severity: Severity;
  readonly categories: string[];
  readonly places: string[];
  /**
   * The places the report names in its headline or lede (title and summary, else the opening
   * of its content): what it is about, as opposed to places mentioned for context further down.
   */
  readonly keyPlaces?: string[];
  readonly casualties?: Casualties;
  readonly rules: string[];
  /** Content words of the title, then of the summary (emptied once the event closes). */
  readonly titleTokens: string[];
  readonly summaryTokens: string[];
  /** Countries its headline or lede names only by their people ("Israelis"), when it names no place. */
  readonly impliedPlaces?: string[];
  /** The named armed actors the classifier found (Hamas, the RSF ...). */
  readonly actors?: string[];
  /** The kinds of site its headline or lede says were hit (incident.ts): sets incidents apart. */
  readonly sites?: string[];
  /** The item id of the report this one copies: a republished wire story, not an independent source. */
  readonly copyOf?: string;
}

/** What subscribers have been told about an event so far: the baseline for "materially worse". */
export interface EventSnapshot {
  readonly severity: Severity;
  readonly categories: string[];
  /** Where it happens: places named in a headline or lede, or by two independent outlets. */
  readonly places: string[];
  readonly killed?: number;
  readonly injured?: number;
  /** At least two outlets reported it independently. */
  readonly corroborated: boolean;
  /** The outlets that reported it independently (not as copies). */
  readonly outlets: string[];
}

export interface EventCluster {
  /** 'evt-' + the first 12 hex digits of sha256(first item id). */
  readonly id: string;
  /** Closed events take no more reports; they are kept for `retainHours` so redelivered items stay duplicates. */
  readonly status: 'open' | 'closed';
  /** Report times (published), earliest and latest. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** The `now` of the latest report attached: an event closes `windowHours` after it. */
  readonly touchedAt: string;
  readonly reports: EventReport[];
  /**
   * Ids of reports beyond `maxRecordedReports`, kept only to recognise them again: the newest
   * MAX_EXTRA_ITEM_IDS, so a war-long event does not grow its state without bound.
   */
  readonly extraItemIds: string[];
  /** Alerts sent for this event; the next alert's id is `${id}:${alerts + 1}`. */
  readonly alerts: number;
  /** Item ids recorded since the last alert: an update's headline comes from these. */
  readonly sinceAlert: string[];
  readonly notified: EventSnapshot;
  /**
   * The kinds of site the report that opened the event names (incident.ts): what the event is
   * about, fixed when it opens so a later report cannot turn an incident into a story. Empty: a
   * story. (Absent in state written before: the earliest report's are used.)
   */
  readonly sites?: string[];
  /** When updates of this event last reached SMS (ISO times within the last hour): the SMS limit. */
  readonly smsUpdates?: string[];
}

export interface ClusterState {
  readonly version: 1;
  readonly events: EventCluster[];
}

/** Ids kept per event beyond its recorded reports (see EventCluster.extraItemIds). */
export const MAX_EXTRA_ITEM_IDS = 2000;

/** Reports in time order, then by item id: the order-independent canonical order. */
export const compareReports = (a: EventReport, b: EventReport): number =>
  Date.parse(a.time) - Date.parse(b.time) ||
  (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0);

/** A copy of the reports in canonical order (see `compareReports`). */
export const inCanonicalOrder = (reports: readonly EventReport[]): EventReport[] =>
  [...reports].sort(compareReports);

export const emptyClusterState = (): ClusterState => ({ version: 1, events: [] });

/**
 * Checks that parsed JSON is a cluster state this code can use (for state read back from the
 * store) and fills fields that earlier builds did not write; throws InvalidInputError naming
 * the problem otherwise. (`attach` also tolerates those missing fields.)
 */
const isStringList = (value: unknown): boolean =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** A stored report every step of matching and alerting can read (fields earlier builds wrote). */
const isUsableReport = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.itemId === 'string' &&
    typeof r.outlet === 'string' &&
    typeof r.title === 'string' &&
    typeof r.time === 'string' &&
    !Number.isNaN(Date.parse(r.time)) &&
    typeof r.severity === 'string' &&
    ['categories', 'places', 'rules', 'titleTokens', 'summaryTokens'].every((k) =>
      isStringList(r[k])
    ) &&
    ['keyPlaces', 'impliedPlaces', 'actors', 'sites'].every(
      (k) => r[k] === undefined || isStringList(r[k])
    )
  );
};

export const parseClusterState = (value: unknown): ClusterState => {
  const state = value as Partial<ClusterState> | null;
  if (typeof state !== 'object' || state === null) {
    throw new InvalidInputError('cluster state must be an object: restore its previous version');
  }
  if (state.version !== 1) {
    throw new InvalidInputError(
      `cluster state version ${JSON.stringify(state.version)} is not supported (expected 1): restore its previous version`
    );
  }
  if (!Array.isArray(state.events)) {
    throw new InvalidInputError('cluster state has no events array: restore its previous version');
  }
  state.events.forEach((event, i) => {
    if (
      typeof event?.id !== 'string' ||
      !Array.isArray(event.reports) ||
      !event.reports.every(isUsableReport) ||
      typeof event.touchedAt !== 'string' ||
      typeof event.notified !== 'object' ||
      event.notified === null ||
      !isStringList(event.smsUpdates ?? []) ||
      !isStringList(event.sites ?? []) ||
      !isStringList(event.extraItemIds ?? []) ||
      !isStringList(event.sinceAlert ?? [])
    ) {
      throw new InvalidInputError(
        `cluster state event ${i} is malformed: restore its previous version`
      );
    }
  });
  return {
    version: 1,
    events: state.events.map((event) => ({
      ...event,
      status: event.status === 'closed' ? 'closed' : 'open',
      extraItemIds: event.extraItemIds ?? [],
      sinceAlert: event.sinceAlert ?? [],
    })),
  };
};
