/**
 * The tuning of event clustering: how long an event stays open and is remembered, how well a
 * report must match to join, what makes an update material, and how much of an event is kept.
 * `resolveOptions` applies the defaults and rejects values out of range.
 */
import { InvalidInputError } from '../common/errors.ts';
import {
  casualtyStepsProblem,
  GROUPING_NUMBERS,
  groupingNumberProblem,
} from '../common/grouping.ts';

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
  /**
   * An item first seen more than this long after it was published is old news (a first deploy
   * reading a feed's backlog, an outlet republishing an old story): it is classified and stored
   * but raises no alert and never joins an event. An undated item counts as published when
   * first seen.
   * @default 12
   */
  readonly maxAgeHours?: number;
  /**
   * Updates of one event that reach SMS within any hour; later ones in that hour go to email and
   * the other channels only (marked as held from SMS). A new event always reaches SMS.
   * @default 2
   */
  readonly smsUpdatesPerHour?: number;
}

/** Defaults of ClusterOptions.windowHours and retainHours. */
export const DEFAULT_WINDOW_HOURS = 72;
export const DEFAULT_RETAIN_HOURS = 96;
/**
 * How long a processed item id is remembered at least (an event's window, then its retention):
 * an items object older than this can no longer be recognised as already processed.
 */
export const CLUSTER_MEMORY_HOURS = DEFAULT_WINDOW_HOURS + DEFAULT_RETAIN_HOURS;

/** CLUSTER_MEMORY_HOURS under the given options (a rule file's grouping may change both parts). */
export const clusterMemoryHours = (options: ClusterOptions = {}): number =>
  (options.windowHours ?? DEFAULT_WINDOW_HOURS) + (options.retainHours ?? DEFAULT_RETAIN_HOURS);

export const DEFAULT_MAX_AGE_HOURS = 12;
export const DEFAULT_SMS_UPDATES_PER_HOUR = 2;

export const DEFAULT_CASUALTY_STEPS: readonly number[] = [10, 50, 100, 500, 1000, 5000, 10000];
export const DEFAULT_MINOR_CATEGORIES: readonly string[] = [
  'air-strike',
  'shelling',
  'bombing',
  'armed-clash',
];

/** ClusterOptions with the defaults applied and the hours in milliseconds. */
export interface ResolvedOptions {
  readonly windowMs: number;
  readonly retainMs: number;
  readonly joinThreshold: number;
  readonly casualtySteps: readonly number[];
  readonly maxReportsPerEvent: number;
  readonly maxRecordedReports: number;
  readonly minorCategories: readonly string[];
  readonly maxAgeMs: number;
  readonly smsUpdatesPerHour: number;
}

const HOUR_MS = 3_600_000;

/** The options with their defaults; throws InvalidInputError naming a value out of range. */
export const resolveOptions = (options: ClusterOptions = {}): ResolvedOptions => {
  const windowHours = options.windowHours ?? DEFAULT_WINDOW_HOURS;
  const retainHours = options.retainHours ?? DEFAULT_RETAIN_HOURS;
  const joinThreshold = options.joinThreshold ?? 0.55;
  const maxReportsPerEvent = options.maxReportsPerEvent ?? 100;
  const maxRecordedReports = options.maxRecordedReports ?? 1000;
  const casualtySteps = [...(options.casualtySteps ?? DEFAULT_CASUALTY_STEPS)].sort(
    (a, b) => a - b
  );
  const maxAgeHours = options.maxAgeHours ?? DEFAULT_MAX_AGE_HOURS;
  const smsUpdatesPerHour = options.smsUpdatesPerHour ?? DEFAULT_SMS_UPDATES_PER_HOUR;
  const settings = { windowHours, retainHours, joinThreshold, maxAgeHours, smsUpdatesPerHour };
  for (const [key] of GROUPING_NUMBERS) {
    const problem = groupingNumberProblem(key, settings[key]);
    if (problem) throw new InvalidInputError(problem);
  }
  const stepsProblem = casualtyStepsProblem(casualtySteps);
  if (stepsProblem) throw new InvalidInputError(stepsProblem);
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
  return {
    windowMs: windowHours * HOUR_MS,
    retainMs: retainHours * HOUR_MS,
    joinThreshold,
    casualtySteps,
    maxReportsPerEvent,
    maxRecordedReports,
    minorCategories: options.minorCategories ?? DEFAULT_MINOR_CATEGORIES,
    maxAgeMs: maxAgeHours * HOUR_MS,
    smsUpdatesPerHour,
  };
};
