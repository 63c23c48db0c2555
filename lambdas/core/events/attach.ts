/**
 * Event clusters: one event, one alert. This is the decision for one classified item.
 *
 * Every escalation report is attached to the open event it reports (other outlets' accounts of
 * the same offensive, attack or strike), else it opens a new event. An event raises a `new` alert
 * on its first report and an `update` only when it gets materially worse or is first confirmed by
 * an independent outlet (see lifecycle.ts); every other report is recorded silently.
 *
 * A report joins the best-scoring open event (match-score.ts) whose score reaches
 * `joinThreshold`; a report that nearly copies one already in the event (a wire story
 * republished) always joins, but does not count as an independent source. The facts of an event
 * are computed from its reports in canonical order (event-state.ts), so they do not depend on
 * arrival order; which alert is `new` and which an `update` naturally does.
 *
 * Everything here is pure: `now` is passed in, ids are hashes of item ids, and the state is plain
 * JSON that the pipeline stores and passes back in.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../common/errors.ts';
import { type Alert, type Classification, type Item, severityRank } from '../common/types.ts';
import { eventSnapshot } from './aggregates.ts';
import { buildAlert } from './alert.ts';
import { type ClusterOptions, resolveOptions } from './cluster-options.ts';
import type { ClusterState, EventCluster } from './event-state.ts';
import { expireEvents, updateReasons, withReport } from './lifecycle.ts';
import { type MatchScore, matchScore } from './match-score.ts';
import { type Mute, muteOf } from './mutes.ts';
import { publishedMs, toReport } from './report.ts';

export interface AttachResult {
  readonly state: ClusterState;
  /** The alert to send, when the report opened an event or made it materially worse. */
  readonly alert?: Alert;
  /** The event the report belongs to (absent when the item is not an escalation). */
  readonly eventId?: string;
  /** The item was already recorded: nothing changed and nothing is to be sent. */
  readonly duplicate: boolean;
  /** The item is old news (first seen more than `maxAgeHours` after it was published): ignored. */
  readonly tooOld?: true;
}

/**
 * True when an item was published more than `maxAgeMs` before `firstSeen`. An undated item, or
 * one dated in the future, counts as published when first seen.
 */
export const isTooOld = (item: Item, firstSeen: Date, maxAgeMs: number): boolean => {
  const published = publishedMs(item);
  return !Number.isNaN(published) && firstSeen.getTime() - published > maxAgeMs;
};

/**
 * Whether an update sent now may reach SMS: fewer than `perHour` updates of the event reached it
 * in the hour before. Returns the SMS times to keep (the last hour's, with now when allowed).
 */
const smsAllowance = (
  event: EventCluster,
  now: Date,
  perHour: number
): { allowed: boolean; times: string[] } => {
  const recent = (event.smsUpdates ?? []).filter((t) => now.getTime() - Date.parse(t) < 3_600_000);
  const allowed = recent.length < perHour;
  return { allowed, times: allowed ? [...recent, now.toISOString()] : recent };
};

const eventIdFor = (itemId: string, taken: ReadonlySet<string>): string => {
  for (let n = 0; ; n += 1) {
    const seed = n === 0 ? itemId : `${itemId}#${n}`;
    const id = `evt-${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
    if (!taken.has(id)) return id;
  }
};

const holds = (event: EventCluster, itemId: string): boolean =>
  event.reports.some((r) => r.itemId === itemId) || (event.extraItemIds ?? []).includes(itemId);

/**
 * Attaches one classified item to the event clusters and decides what to send.
 *
 * Pure: returns a new state and never mutates the one passed in. Items that are not escalations,
 * and escalations first seen (`firstSeen`: when the poller stored them; `now` by default) more
 * than `maxAgeHours` after they were published, leave the state unchanged. An item already recorded (a redelivered message) is a duplicate:
 * same state, no alert. Otherwise events idle for the window are closed, the item joins the
 * best-matching open event or opens a new one, and an alert is returned for a new event or a
 * material escalation (see `updateReasons`).
 *
 * `mutes` (mutes.ts): an update of an event muted at `now` is recorded silently, as if it were
 * not material, unless it raises the severity; then it is sent, marked `muted`.
 */
export const attach = (
  state: ClusterState,
  item: Item,
  result: Classification,
  now: Date,
  options: ClusterOptions = {},
  firstSeen: Date = now,
  mutes: readonly Mute[] = []
): AttachResult => {
  if (!result.escalation) return { state, duplicate: false };
  if (Number.isNaN(now.getTime())) throw new InvalidInputError('now must be a valid date');
  if (result.id !== item.id) {
    throw new InvalidInputError(
      `classification ${JSON.stringify(result.id)} does not belong to item ${JSON.stringify(item.id)}`
    );
  }
  const resolved = resolveOptions(options);
  const holder = state.events.find((e) => holds(e, item.id));
  if (holder) return { state, eventId: holder.id, duplicate: true };
  if (isTooOld(item, firstSeen, resolved.maxAgeMs)) {
    return { state, duplicate: false, tooOld: true };
  }

  const current = expireEvents(state, now, options);
  const report = toReport(item, result, now);

  let best: { event: EventCluster; match: MatchScore } | undefined;
  for (const event of current.events) {
    if (event.status !== 'open') continue;
    const match = matchScore(event, report, options);
    if (!match) continue;
    if (match.copyOf === undefined && match.score < resolved.joinThreshold) continue;
    if (
      !best ||
      match.score > best.match.score ||
      (match.score === best.match.score &&
        Date.parse(event.firstSeen) < Date.parse(best.event.firstSeen))
    ) {
      best = { event, match };
    }
  }

  if (!best) {
    const id = eventIdFor(item.id, new Set(current.events.map((e) => e.id)));
    const opened: EventCluster = {
      id,
      status: 'open',
      firstSeen: report.time,
      lastSeen: report.time,
      touchedAt: now.toISOString(),
      reports: [report],
      extraItemIds: [],
      alerts: 1,
      sinceAlert: [],
      notified: eventSnapshot([report]),
      sites: report.sites ?? [],
    };
    const alert = buildAlert(opened, 'new', []);
    return {
      state: { version: 1, events: [...current.events, opened] },
      alert,
      eventId: id,
      duplicate: false,
    };
  }

  const joined = withReport(
    best.event,
    best.match.copyOf !== undefined ? { ...report, copyOf: best.match.copyOf } : report,
    now,
    { withText: resolved.maxReportsPerEvent, recorded: resolved.maxRecordedReports }
  );
  const snapshot = eventSnapshot(joined.reports);
  const reasons = updateReasons(
    joined.notified,
    snapshot,
    resolved.casualtySteps,
    resolved.minorCategories
  );
  const pending = [...(joined.sinceAlert ?? []), report.itemId];
  const mute = muteOf(mutes, joined.id, now);
  const raised = severityRank(snapshot.severity) > severityRank(joined.notified.severity);
  if (reasons.length === 0 || (mute && !raised)) {
    const quiet: EventCluster = { ...joined, sinceAlert: pending };
    return {
      state: { version: 1, events: current.events.map((e) => (e.id === quiet.id ? quiet : e)) },
      eventId: quiet.id,
      duplicate: false,
    };
  }
  const sms = smsAllowance(joined, now, resolved.smsUpdatesPerHour);
  const updated: EventCluster = {
    ...joined,
    alerts: joined.alerts + 1,
    notified: snapshot,
    sinceAlert: [],
    smsUpdates: sms.times,
  };
  const built = buildAlert(updated, 'update', reasons, pending);
  const alert = mute
    ? { ...built, muted: { until: mute.until, ...(mute.note ? { note: mute.note } : {}) } }
    : built;
  return {
    state: {
      version: 1,
      events: current.events.map((e) => (e.id === updated.id ? updated : e)),
    },
    alert: sms.allowed ? alert : { ...alert, smsHeld: true },
    eventId: updated.id,
    duplicate: false,
  };
};
