/**
 * Event clusters: one event, one alert.
 *
 * Every escalation report is attached to the open event it reports (other outlets' accounts of
 * the same offensive, attack or strike), else it opens a new event. An event raises a `new` alert
 * on its first report and an `update` only when it gets materially worse or is first confirmed by
 * an independent outlet; every other report is recorded silently.
 *
 * Matching score (see `matchScore`), each part in [0, 1]:
 *
 *   score = 0.35 * place + 0.15 * category + 0.15 * time + 0.35 * text
 *
 * - place (the event's key places against the report's: places named in a headline or lede,
 *   wire datelines aside, or given by two independent outlets; see `keyPlaces` in alert.ts):
 *   1 when they share a city or region; 0.6 when they share a country and one side names no
 *   place inside it; 0.3 when they share only the country while both name different cities, or
 *   when one side names no place at all; 0 when both name places and share none, which vetoes
 *   the match (a copy names the same places as its original, so copies are not lost).
 * - category: 1 when they share a category, 0.5 when both are of one family (violence; coups and
 *   declarations of war; chemical weapons), 0.2 otherwise.
 * - time: 1 when the report falls inside the event's span, falling linearly to 0 at `windowHours`
 *   away; beyond that it cannot join.
 * - text: token-set similarity of title and summary against the closest report of the event
 *   (mean of Jaccard and overlap, see text-similarity.ts).
 *
 * A report joins the best-scoring open event with score >= `joinThreshold` (0.55). A report
 * whose wording nearly copies one already in the event (a wire story republished) always joins
 * (within the window and sharing a place), but does not count as an independent source.
 *
 * Lifecycle: an event closes when no report has joined it for `windowHours` (72) of processing
 * time; closed events keep their item ids for `retainHours` (96) so redelivered messages stay
 * duplicates, then are dropped. Material (see `updateReasons`): a casualty figure crossing a
 * step (10, 50, 100, 500, 1000 ...), a new key place, a new category other than the minor
 * ones, a higher severity, or the first report by a second independent outlet. The facts of an
 * event are computed from its reports in canonical order (time, then item id), so they do not
 * depend on arrival order; which alert is `new` and which an `update` naturally does.
 *
 * Everything here is pure: `now` is passed in, ids are hashes of item ids, and the state is plain
 * JSON that the pipeline stores (state/events.json) and passes back in.
 */
import { createHash } from 'node:crypto';
import { InvalidInputError } from '../common/errors.ts';
import { isCountry, placeKey } from '../common/places.ts';
import type { Alert, Casualties, Classification, Item, Severity } from '../common/types.ts';
import { SEVERITIES, severityRank } from '../common/types.ts';
import { oneLine } from '../delivery/transliterate.ts';
import { buildAlert, eventSnapshot } from './alert.ts';
import {
  isNearCopy,
  MIN_COPY_SHINGLES,
  overlap,
  tokenize,
  topicSimilarity,
} from './text-similarity.ts';

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
}

export interface ClusterState {
  readonly version: 1;
  readonly events: EventCluster[];
}

export interface ClusterOptions {
  /**
   * An event with no new report for this long closes, and a report joins an event only when it
   * was published within this long of the event's reports.
   * @default 72
   */
  readonly windowHours?: number;
  /**
   * How long a closed event is kept (compacted) so a redelivered item is still recognised.
   * @default 96 (the SQS default message retention)
   */
  readonly retainHours?: number;
  /** The lowest matching score at which a report joins an event. @default 0.55 */
  readonly joinThreshold?: number;
  /** Casualty figures whose crossing makes an update. @default [10, 50, 100, 500, 1000, 5000, 10000] */
  readonly casualtySteps?: readonly number[];
  /**
   * Reports per event whose text is kept for matching (the most recent ones); older reports
   * keep their facts (outlet, title, link, time, places, figures) but not their text.
   * @default 100
   */
  readonly maxReportsPerEvent?: number;
  /** Reports per event kept at all; later ones are recorded as ids only. @default 1000 */
  readonly maxRecordedReports?: number;
  /**
   * Categories that go along with any armed conflict: a report adding one of these to an event
   * is not by itself material. Other new categories (an offensive, mass casualties, chemical
   * weapons, a coup ...) are.
   * @default ['air-strike', 'shelling', 'bombing', 'armed-clash']
   */
  readonly minorCategories?: readonly string[];
}

export interface AttachResult {
  readonly state: ClusterState;
  /** The alert to send, when the report opened an event or made it materially worse. */
  readonly alert?: Alert;
  /** The event the report belongs to (absent when the item is not an escalation). */
  readonly eventId?: string;
  /** The item was already recorded: nothing changed and nothing is to be sent. */
  readonly duplicate: boolean;
}

/** Ids kept per event beyond its recorded reports (see EventCluster.extraItemIds). */
export const MAX_EXTRA_ITEM_IDS = 2000;

/** Defaults of ClusterOptions.windowHours and retainHours. */
export const DEFAULT_WINDOW_HOURS = 72;
export const DEFAULT_RETAIN_HOURS = 96;
/**
 * How long a processed item id is remembered at least (an event's window, then its retention):
 * an items object older than this can no longer be recognised as already processed.
 */
export const CLUSTER_MEMORY_HOURS = DEFAULT_WINDOW_HOURS + DEFAULT_RETAIN_HOURS;

export const DEFAULT_CASUALTY_STEPS: readonly number[] = [10, 50, 100, 500, 1000, 5000, 10000];
export const DEFAULT_MINOR_CATEGORIES: readonly string[] = [
  'air-strike',
  'shelling',
  'bombing',
  'armed-clash',
];

interface ResolvedOptions {
  readonly windowMs: number;
  readonly retainMs: number;
  readonly joinThreshold: number;
  readonly casualtySteps: readonly number[];
  readonly maxReportsPerEvent: number;
  readonly maxRecordedReports: number;
  readonly minorCategories: readonly string[];
}

const HOUR_MS = 3_600_000;

const resolveOptions = (options: ClusterOptions = {}): ResolvedOptions => {
  const windowHours = options.windowHours ?? DEFAULT_WINDOW_HOURS;
  const retainHours = options.retainHours ?? DEFAULT_RETAIN_HOURS;
  const joinThreshold = options.joinThreshold ?? 0.55;
  const maxReportsPerEvent = options.maxReportsPerEvent ?? 100;
  const maxRecordedReports = options.maxRecordedReports ?? 1000;
  const casualtySteps = [...(options.casualtySteps ?? DEFAULT_CASUALTY_STEPS)].sort(
    (a, b) => a - b
  );
  if (!(windowHours > 0)) {
    throw new InvalidInputError(
      `windowHours must be a positive number of hours, got ${windowHours}`
    );
  }
  if (!(retainHours >= 0)) {
    throw new InvalidInputError(`retainHours must be zero or more hours, got ${retainHours}`);
  }
  if (!(joinThreshold > 0 && joinThreshold <= 1)) {
    throw new InvalidInputError(`joinThreshold must be in (0, 1], got ${joinThreshold}`);
  }
  if (!(Number.isInteger(maxReportsPerEvent) && maxReportsPerEvent >= 1)) {
    throw new InvalidInputError(
      `maxReportsPerEvent must be a whole number of at least 1, got ${maxReportsPerEvent}`
    );
  }
  if (!(Number.isInteger(maxRecordedReports) && maxRecordedReports >= maxReportsPerEvent)) {
    throw new InvalidInputError(
      `maxRecordedReports must be a whole number of at least maxReportsPerEvent (${maxReportsPerEvent}), got ${maxRecordedReports}`
    );
  }
  if (casualtySteps.some((s) => !(s > 0))) {
    throw new InvalidInputError(
      `casualtySteps must be positive numbers, got ${JSON.stringify(options.casualtySteps)}`
    );
  }
  return {
    windowMs: windowHours * HOUR_MS,
    retainMs: retainHours * HOUR_MS,
    joinThreshold,
    casualtySteps,
    maxReportsPerEvent,
    maxRecordedReports,
    minorCategories: options.minorCategories ?? DEFAULT_MINOR_CATEGORIES,
  };
};

export const emptyClusterState = (): ClusterState => ({ version: 1, events: [] });

/**
 * Checks that parsed JSON is a cluster state this code can use (for state read back from the
 * store) and fills fields that earlier builds did not write; throws InvalidInputError naming
 * the problem otherwise. (`attach` also tolerates those missing fields.)
 */
export const parseClusterState = (value: unknown): ClusterState => {
  const state = value as Partial<ClusterState> | null;
  if (typeof state !== 'object' || state === null) {
    throw new InvalidInputError('cluster state must be a JSON object; delete it to start afresh');
  }
  if (state.version !== 1) {
    throw new InvalidInputError(
      `cluster state version ${JSON.stringify(state.version)} is not supported (expected 1); delete it to start afresh`
    );
  }
  if (!Array.isArray(state.events)) {
    throw new InvalidInputError('cluster state has no events array; delete it to start afresh');
  }
  state.events.forEach((event, i) => {
    if (
      typeof event?.id !== 'string' ||
      !Array.isArray(event.reports) ||
      typeof event.touchedAt !== 'string' ||
      typeof event.notified !== 'object'
    ) {
      throw new InvalidInputError(
        `cluster state event ${i} is malformed; delete it to start afresh`
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

const ms = (iso: string): number => Date.parse(iso);

/** Report time: published when it parses and is not in the future, else now. */
const reportTime = (item: Item, now: Date): string => {
  const published = item.published ? Date.parse(item.published) : Number.NaN;
  if (Number.isNaN(published) || published > now.getTime()) return now.toISOString();
  return new Date(published).toISOString();
};

/** An absolute http(s) URL, or undefined. */
export const safeLink = (link: string | undefined): string | undefined => {
  if (!link) return undefined;
  const trimmed = link.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
};

const hostOf = (link: string | undefined): string | undefined => {
  const safe = safeLink(link);
  return safe ? new URL(safe).hostname.replace(/^www\./, '') : undefined;
};

const outletOf = (item: Item): string => {
  const source = item.source ? oneLine(item.source) : '';
  return source || hostOf(item.link) || hostOf(item.feed) || 'unknown outlet';
};

const SUMMARY_KEEP = 600;
const TOKENS_KEEP = 120;
/** How much of the content stands in for a missing summary when finding a report's key places. */
const LEDE_FROM_CONTENT = 400;

/**
 * A wire dateline at the start of a lede ("DAMASCUS/JERUSALEM (Worthy News) – ", "KYIV, Ukraine
 * (AP) — ", "BEIRUT, Nov 29 (Reuters) - "): it names where the reporter filed from, not where the
 * event happened.
 */
const DATELINE =
  /^\s*\p{Lu}[\p{Lu}\p{M}.'’ ]*\p{Lu}(?:\s*\/\s*\p{Lu}[\p{Lu}\p{M}.'’ ]*\p{Lu})*(?:,[^()\n–—]{1,40}?)?(?:\s*\([^)\n]{1,40}\))?\s*[-–—]{1,2}\s+/u;

export const stripDateline = (text: string): string => {
  // A dateline is short and at the very start: look no further than that.
  const match = DATELINE.exec(text.slice(0, 160));
  return match ? text.slice(match[0].length) : text;
};

/** The places whose every word appears in the lede text. */
const placesNamedIn = (places: readonly string[], lede: string): string[] => {
  const words = new Set(tokenize(lede));
  return places.filter((place) => {
    const parts = tokenize(place);
    return parts.length > 0 && parts.every((w) => words.has(w));
  });
};

const uniqueSorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

const toReport = (item: Item, result: Classification, now: Date): EventReport => {
  const title = oneLine(item.title ?? '');
  const summary = oneLine(item.summary ?? '').slice(0, SUMMARY_KEEP);
  const link = safeLink(item.link);
  const killed = result.casualties?.killed;
  const injured = result.casualties?.injured;
  const places = [...new Set(result.places.map(oneLine).filter(Boolean))];
  const lede = `${title} ${stripDateline(summary || oneLine(item.content ?? '').slice(0, LEDE_FROM_CONTENT))}`;
  const casualties: Casualties | undefined =
    killed !== undefined || injured !== undefined
      ? {
          ...(killed !== undefined && killed >= 0 ? { killed } : {}),
          ...(injured !== undefined && injured >= 0 ? { injured } : {}),
        }
      : undefined;
  return {
    itemId: item.id,
    outlet: outletOf(item),
    title,
    ...(summary ? { summary } : {}),
    ...(link ? { link } : {}),
    time: reportTime(item, now),
    severity: SEVERITIES.includes(result.severity) ? result.severity : 'none',
    categories: [...new Set(result.categories.map(oneLine).filter(Boolean))],
    places,
    keyPlaces: placesNamedIn(places, lede),
    ...(casualties ? { casualties } : {}),
    rules: uniqueSorted(result.matches.map((m) => m.rule)),
    titleTokens: tokenize(title).slice(0, TOKENS_KEEP),
    summaryTokens: tokenize(summary).slice(0, TOKENS_KEEP),
  };
};

// ---------------------------------------------------------------------------------------------
// Matching

const CATEGORY_FAMILIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['political', /coup|invasion|declar|war-declared|martial/],
  ['chemical', /chemical|biological|nuclear|radiolog/],
];

const familyOf = (category: string): string =>
  CATEGORY_FAMILIES.find(([, re]) => re.test(category))?.[0] ?? 'violence';

/** Category part of the score (see the module comment). */
export const categoryScore = (a: readonly string[], b: readonly string[]): number => {
  if (a.length === 0 || b.length === 0) return 0.5;
  const set = new Set(a);
  if (b.some((c) => set.has(c))) return 1;
  const families = new Set(a.map(familyOf));
  return b.some((c) => families.has(familyOf(c))) ? 0.5 : 0.2;
};

/** Place part of the score (see the module comment). */
export const placeScore = (a: readonly string[], b: readonly string[]): number => {
  if (a.length === 0 || b.length === 0) return 0.3;
  const keysA = new Set(a.map(placeKey));
  const shared = b.filter((p) => keysA.has(placeKey(p)));
  if (shared.some((p) => !isCountry(p))) return 1;
  if (shared.length > 0) {
    const onlyCountries = (list: readonly string[]) => list.every(isCountry);
    return onlyCountries(a) || onlyCountries(b) ? 0.6 : 0.3;
  }
  return 0;
};

/** Time part of the score: 1 inside the event's span, 0 at `windowMs` away, negative beyond. */
const timeScore = (event: EventCluster, time: number, windowMs: number): number => {
  const gap = Math.max(0, ms(event.firstSeen) - time, time - ms(event.lastSeen));
  return 1 - gap / windowMs;
};

const allTokens = (r: EventReport): string[] => [...r.titleTokens, ...r.summaryTokens];

/** True when report b republishes report a's text (whole, or the summary with another headline). */
const copies = (a: EventReport, b: EventReport): boolean =>
  isNearCopy(allTokens(a), allTokens(b)) ||
  (a.summaryTokens.length > MIN_COPY_SHINGLES &&
    b.summaryTokens.length > MIN_COPY_SHINGLES &&
    isNearCopy(a.summaryTokens, b.summaryTokens));

export interface MatchScore {
  readonly score: number;
  readonly place: number;
  readonly category: number;
  readonly time: number;
  readonly text: number;
  /** The item id of the event's report that the new report copies, if any. */
  readonly copyOf?: string;
}

/** A report's own key places; all its places when its lede names none. */
const reportPlaces = (r: EventReport): string[] =>
  r.keyPlaces && r.keyPlaces.length > 0 ? r.keyPlaces : r.places;
const eventCategories = (event: EventCluster): string[] => [
  ...new Set(event.reports.flatMap((r) => r.categories)),
];

/**
 * How well a report fits an event (see the module comment), or undefined when it cannot join:
 * outside the time window, or naming only places the event does not (unless it is a copy).
 */
export const matchScore = (
  event: EventCluster,
  report: EventReport,
  options: ClusterOptions = {}
): MatchScore | undefined => {
  const { windowMs } = resolveOptions(options);
  const time = timeScore(event, ms(report.time), windowMs);
  if (time < 0) return undefined;
  // No shared place vetoes the match. A copy is no exception: it is classified from the same
  // text as its original, so it names the same places.
  const place = placeScore(eventSnapshot(event.reports).places, reportPlaces(report));
  if (place === 0) return undefined;
  const category = categoryScore(eventCategories(event), report.categories);
  const tokens = new Set(allTokens(report));
  let text = 0;
  let copyOf: string | undefined;
  // Deterministic: the earliest copied report wins, whatever order they were attached in.
  const byTime = [...event.reports].sort(compareReports);
  for (const other of byTime) {
    const otherTokens = new Set(allTokens(other));
    text = Math.max(text, topicSimilarity(tokens, otherTokens));
    // Word-pair comparison only where the words largely agree (a copy always does).
    if (copyOf === undefined && overlap(tokens, otherTokens) >= 0.5 && copies(other, report)) {
      copyOf = other.copyOf ?? other.itemId;
    }
  }
  const score = 0.35 * place + 0.15 * category + 0.15 * time + 0.35 * text;
  if (copyOf !== undefined) {
    return { score: Math.max(score, 1), place, category, time, text, copyOf };
  }
  return { score, place, category, time, text };
};

/** Reports in time order, then by item id: the order-independent canonical order. */
export const compareReports = (a: EventReport, b: EventReport): number =>
  ms(a.time) - ms(b.time) || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Lifecycle

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
    const idle = t - ms(event.touchedAt);
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

/** A report without its text: enough for the alert, not for matching. */
const compact = (r: EventReport): EventReport => {
  if (r.titleTokens.length === 0 && r.summaryTokens.length === 0 && r.summary === undefined) {
    return r;
  }
  const { summary: _summary, ...rest } = r;
  return { ...rest, titleTokens: [], summaryTokens: [] };
};

/**
 * Adds a report to an event in canonical order. The text of all but the most recent
 * `withText` reports is dropped; beyond `recorded` reports, only the ids are kept.
 */
const withReport = (
  event: EventCluster,
  report: EventReport,
  now: Date,
  limits: { readonly withText: number; readonly recorded: number }
): EventCluster => {
  const sorted = withCanonicalCopies(event.reports, report).sort(compareReports);
  const kept = sorted.slice(0, limits.recorded);
  const extra = sorted.slice(limits.recorded).map((r) => r.itemId);
  const firstWithText = Math.max(0, kept.length - limits.withText);
  const times = [event.firstSeen, event.lastSeen, report.time].map(ms);
  return {
    ...event,
    firstSeen: new Date(Math.min(...times)).toISOString(),
    lastSeen: new Date(Math.max(...times)).toISOString(),
    touchedAt: new Date(Math.max(ms(event.touchedAt), now.getTime())).toISOString(),
    reports: kept.map((r, i) => (i < firstWithText ? compact(r) : r)),
    extraItemIds: [...(event.extraItemIds ?? []), ...extra].slice(-MAX_EXTRA_ITEM_IDS),
  };
};

/**
 * Attaches one classified item to the event clusters and decides what to send.
 *
 * Pure: returns a new state and never mutates the one passed in. Items that are not escalations
 * leave the state unchanged. An item already recorded (a redelivered message) is a duplicate:
 * same state, no alert. Otherwise events idle for the window are closed, the item joins the
 * best-matching open event or opens a new one, and an alert is returned for a new event or a
 * material escalation (see `updateReasons`).
 */
export const attach = (
  state: ClusterState,
  item: Item,
  result: Classification,
  now: Date,
  options: ClusterOptions = {}
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
      (match.score === best.match.score && ms(event.firstSeen) < ms(best.event.firstSeen))
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
  const updated: EventCluster =
    reasons.length > 0
      ? { ...joined, alerts: joined.alerts + 1, notified: snapshot, sinceAlert: [] }
      : { ...joined, sinceAlert: pending };
  const events = current.events.map((e) => (e.id === updated.id ? updated : e));
  return {
    state: { version: 1, events },
    ...(reasons.length > 0 ? { alert: buildAlert(updated, 'update', reasons, pending) } : {}),
    eventId: updated.id,
    duplicate: false,
  };
};
