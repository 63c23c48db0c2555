/**
 * The life of an event after it opens: reports added in canonical order, text dropped from old
 * reports, closing and forgetting, and the test for "materially worse".
 *
 * An event closes when no report has joined it for `windowHours` of processing time; closed
 * events keep their item ids for `retainHours` so redelivered messages stay duplicates, then are
 * dropped. Material (see `updateReasons`): a casualty figure crossing a step (`casualtySteps`),
 * a new key place, a new category other than the minor ones, a higher severity, or the first
 * report by a second independent outlet. Pure: `now` is passed in.
 */
import { placeKey } from '../common/places.ts';
import { severityRank } from '../common/types.ts';
import {
  type ClusterOptions,
  DEFAULT_CASUALTY_STEPS,
  DEFAULT_MINOR_CATEGORIES,
  resolveOptions,
} from './cluster-options.ts';
import {
  type ClusterState,
  compareReports,
  type EventCluster,
  type EventReport,
  type EventSnapshot,
  MAX_EXTRA_ITEM_IDS,
} from './event-state.ts';

/** A report without its text: enough for the alert, not for matching. */
const compact = (r: EventReport): EventReport => {
  if (r.titleTokens.length === 0 && r.summaryTokens.length === 0 && r.summary === undefined) {
    return r;
  }
  const { summary: _summary, ...rest } = r;
  return { ...rest, titleTokens: [], summaryTokens: [] };
};

/** Closes events idle for the window and drops closed ones past retention. Pure. */
export const expireEvents = (
  state: ClusterState,
  now: Date,
  options: ClusterOptions = {}
): ClusterState => {
  const { windowMs, retainMs } = resolveOptions(options);
  const t = now.getTime();
  const events: EventCluster[] = [];
  let changed = false;
  for (const event of state.events) {
    const idle = t - Date.parse(event.touchedAt);
    if (idle > windowMs + retainMs) {
      changed = true;
      continue;
    }
    if (event.status === 'open' && idle > windowMs) {
      changed = true;
      events.push({
        ...event,
        status: 'closed',
        // Only the ids are needed from here on.
        reports: event.reports.map(compact),
      });
      continue;
    }
    events.push(event);
  }
  return changed ? { version: 1, events } : state;
};

const stepIndex = (value: number | undefined, steps: readonly number[]): number => {
  if (value === undefined) return -1;
  let index = -1;
  steps.forEach((step, i) => {
    if (value >= step) index = i;
  });
  return index;
};

const formatList = (values: readonly string[]): string => values.join(', ');

/** Why the event is materially worse than what subscribers were told (empty: it is not). */
export const updateReasons = (
  before: EventSnapshot,
  after: EventSnapshot,
  casualtySteps: readonly number[] = DEFAULT_CASUALTY_STEPS,
  minorCategories: readonly string[] = DEFAULT_MINOR_CATEGORIES
): string[] => {
  const reasons: string[] = [];
  if (after.corroborated && !before.corroborated) {
    const added = after.outlets.filter((o) => !before.outlets.includes(o));
    reasons.push(
      `first independent corroboration: ${formatList(added.length > 0 ? added : after.outlets)}` +
        (before.outlets.length > 0 ? ` confirms ${formatList(before.outlets)}` : '')
    );
  }
  for (const kind of ['killed', 'injured'] as const) {
    const was = before[kind];
    const is = after[kind];
    const crossed = stepIndex(is, casualtySteps);
    if (is !== undefined && crossed > stepIndex(was, casualtySteps)) {
      reasons.push(
        `${kind} now reported up to ${is}` +
          (was === undefined ? '' : ` (was ${was})`) +
          `, past ${casualtySteps[crossed]}`
      );
    }
  }
  const beforePlaces = new Set(before.places.map(placeKey));
  const newPlaces = after.places.filter((p) => !beforePlaces.has(placeKey(p)));
  if (newPlaces.length > 0) {
    reasons.push(`new place${newPlaces.length > 1 ? 's' : ''}: ${formatList(newPlaces)}`);
  }
  const newCategories = after.categories.filter(
    (c) => !before.categories.includes(c) && !minorCategories.includes(c)
  );
  if (newCategories.length > 0) {
    reasons.push(
      `new ${newCategories.length > 1 ? 'categories' : 'category'}: ${formatList(newCategories)}`
    );
  }
  if (severityRank(after.severity) > severityRank(before.severity)) {
    reasons.push(`severity up from ${before.severity} to ${after.severity}`);
  }
  return reasons;
};

/**
 * Within a group of copies of one text, the earliest report (canonical order) is the original
 * and the others copy it, whichever arrived first.
 */
const withCanonicalCopies = (
  reports: readonly EventReport[],
  added: EventReport
): EventReport[] => {
  if (added.copyOf === undefined) return [...reports, added];
  const root = added.copyOf;
  const all = [...reports, { ...added, copyOf: root }];
  const group = all.filter((r) => r.itemId === root || r.copyOf === root).sort(compareReports);
  const original = group[0]?.itemId ?? root;
  return all.map((r) => {
    if (r.itemId !== root && r.copyOf !== root) return r;
    if (r.itemId === original) {
      const { copyOf: _copyOf, ...rest } = r;
      return rest;
    }
    return { ...r, copyOf: original };
  });
};

/**
 * Adds a report to an event in canonical order. The text of all but the most recent
 * `withText` reports is dropped; beyond `recorded` reports, the first report (the one that
 * opened the event) and the newest are kept, and only the ids of those in between, so a large
 * event goes on matching new reports against recent text and counting new figures.
 */
export const withReport = (
  event: EventCluster,
  report: EventReport,
  now: Date,
  limits: { readonly withText: number; readonly recorded: number }
): EventCluster => {
  const sorted = withCanonicalCopies(event.reports, report).sort(compareReports);
  const over = Math.max(0, sorted.length - limits.recorded);
  const kept = over === 0 ? sorted : [...sorted.slice(0, 1), ...sorted.slice(1 + over)];
  const extra = sorted.slice(1, 1 + over).map((r) => r.itemId);
  const firstWithText = Math.max(0, kept.length - limits.withText);
  const times = [event.firstSeen, event.lastSeen, report.time].map((iso) => Date.parse(iso));
  return {
    ...event,
    firstSeen: new Date(Math.min(...times)).toISOString(),
    lastSeen: new Date(Math.max(...times)).toISOString(),
    touchedAt: new Date(Math.max(Date.parse(event.touchedAt), now.getTime())).toISOString(),
    reports: kept.map((r, i) => (i < firstWithText ? compact(r) : r)),
    extraItemIds: [...(event.extraItemIds ?? []), ...extra].slice(-MAX_EXTRA_ITEM_IDS),
  };
};
