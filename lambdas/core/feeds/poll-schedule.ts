/**
 * Adaptive polling: when each feed is polled next. A feed is polled about POLLS_PER_GAP times per
 * expected new item: its pace (the mean gap between its items) is read from the publication times
 * of the items it lists, and a feed quiet for far longer than its pace (QUIET_GAPS) is polled less
 * as the quiet goes on; within the bounds. A feed whose items carry no dates falls back on what the polls
 * see: its interval halves after a change and grows by half after an unchanged poll. A failing
 * feed backs off exponentially up to the longest interval. What the server and the feed ask for is honoured
 * within the longest interval: `Cache-Control: max-age` and `Retry-After` (not sooner than), RSS
 * `<ttl>` (minutes, not sooner than) and `<skipHours>` (UTC hours not polled). The time comes in:
 * `tick` is the scheduled poll (the reference the due test compares with), `now` the clock when
 * the response came (what the server's relative times count from). Pure.
 */

/** The shortest and longest interval between two polls of a feed, in minutes. */
export interface ScheduleBounds {
  readonly minMinutes: number;
  readonly maxMinutes: number;
}

/** 5 minutes (the default tick) to an hour. */
export const DEFAULT_SCHEDULE_BOUNDS: ScheduleBounds = { minMinutes: 5, maxMinutes: 60 };

/**
 * A feed whose next poll is at most this far after the tick is due at that tick: a poll's times
 * count from its tick, so this only absorbs rounding, not the workers' delays.
 */
export const DUE_SLACK_MS = 30_000;

/** A feed's schedule, kept in its shard's state. */
export interface FeedSchedule {
  /** ISO time from which the feed is due; absent: due now. */
  readonly nextPollAt?: string;
  /** The adaptive interval, in minutes (without the server's and the feed's floors). */
  readonly intervalMinutes?: number;
  /** The feed's RSS `<ttl>`, in minutes, as last read (a 304 carries no body). */
  readonly ttlMinutes?: number;
  /** The feed's RSS `<skipHours>`, UTC hours 0-23, as last read. */
  readonly skipHours?: readonly number[];
  /** The feed's pace: the mean gap between its items, in minutes, as last estimated. */
  readonly gapMinutes?: number;
  /** ISO time of the feed's newest item (its publication, else the poll that found it). */
  readonly lastItemAt?: string;
}

/** What one response said about polling again. */
export interface ResponseHints {
  /** `Cache-Control: max-age`, in seconds. */
  readonly maxAgeSeconds?: number;
  /** `Retry-After` as sent: seconds or an HTTP date. */
  readonly retryAfter?: string;
}

export type PollOutcome = 'changed' | 'unchanged' | 'failed';

export interface ScheduleInput {
  readonly outcome: PollOutcome;
  /** The scheduled poll this was. */
  readonly tick: Date;
  /** When the response came. */
  readonly now: Date;
  /** Failed polls in a row, this one included (0 unless `outcome` is 'failed'). */
  readonly consecutiveFailures: number;
  readonly hints?: ResponseHints;
  /** The feed's `<ttl>` and `<skipHours>` from this poll's parse (absent: the ones kept). */
  readonly feed?: { readonly ttlMinutes?: number; readonly skipHours?: readonly number[] };
  /** The publication times (ISO) of the items this poll read, dated or not, when it read any. */
  readonly published?: readonly (string | undefined)[];
  readonly bounds?: ScheduleBounds;
}

/** Polls per expected new item: a feed's interval is its pace divided by this. */
export const POLLS_PER_GAP = 4;
/**
 * A feed quiet for more than this many of its gaps has slowed down or stopped (odds of 1 in 10^7
 * for a steady feed): its interval then grows with the quiet time.
 */
export const QUIET_GAPS = 16;
/** The newest dated items a pace is read from. */
const PACE_ITEMS = 20;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** @throws RangeError unless 0 < minMinutes <= maxMinutes */
export const checkScheduleBounds = (bounds: ScheduleBounds): ScheduleBounds => {
  const { minMinutes, maxMinutes } = bounds;
  if (!(Number.isFinite(minMinutes) && minMinutes > 0)) {
    throw new RangeError(
      `the shortest poll interval must be a positive number of minutes, got ${minMinutes}`
    );
  }
  if (!(Number.isFinite(maxMinutes) && maxMinutes >= minMinutes)) {
    throw new RangeError(
      `the longest poll interval must be at least the shortest (${minMinutes} min), got ${maxMinutes}`
    );
  }
  return bounds;
};

const clamp = (value: number, { minMinutes, maxMinutes }: ScheduleBounds): number =>
  Math.min(maxMinutes, Math.max(minMinutes, value));

/** `max-age` of a Cache-Control header, in seconds; undefined when absent or no-cache/no-store. */
export const maxAgeOf = (cacheControl: string | undefined): number | undefined => {
  if (!cacheControl) return undefined;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-cache' || d === 'no-store')) return undefined;
  for (const directive of directives) {
    const m = /^max-age\s*=\s*"?(\d{1,10})"?$/.exec(directive);
    if (m) return Number(m[1]);
  }
  return undefined;
};

/** The time a Retry-After value names (delay seconds or an HTTP date), or undefined. */
export const retryAfterTime = (value: string | undefined, now: Date): Date | undefined => {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d{1,10}$/.test(text)) return new Date(now.getTime() + Number(text) * 1000);
  // An HTTP date names its zone (GMT); anything else is not one.
  if (!/[a-z]{3},?\s.*\d{2}:\d{2}:\d{2}\s+(GMT|UTC|[+-]\d{4})$/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at);
};

/** A feed's `<ttl>` text as minutes (a positive whole number), or undefined. */
export const ttlMinutesOf = (text: string | undefined): number | undefined => {
  const m = /^\s*(\d{1,7})\s*$/.exec(text ?? '');
  const minutes = m ? Number(m[1]) : 0;
  return minutes > 0 ? minutes : undefined;
};

/** A feed's `<skipHours><hour>` texts as distinct UTC hours 0-23 (24 is read as 0), sorted. */
export const skipHoursOf = (texts: readonly string[]): number[] => {
  const hours = new Set<number>();
  for (const text of texts) {
    const m = /^\s*(\d{1,2})\s*$/.exec(text);
    const hour = m ? Number(m[1]) : Number.NaN;
    if (hour >= 0 && hour <= 24) hours.add(hour % 24);
  }
  return [...hours].sort((a, b) => a - b);
};

/** The first time at or after `at` outside the skipped UTC hours (unchanged if all 24 are skipped). */
const outsideSkipHours = (at: number, skipHours: readonly number[] | undefined): number => {
  if (!skipHours || skipHours.length === 0 || skipHours.length >= 24) return at;
  const skipped = new Set(skipHours);
  let time = at;
  for (let i = 0; i < 24 && skipped.has(new Date(time).getUTCHours()); i += 1) {
    time = Math.floor(time / HOUR_MS) * HOUR_MS + HOUR_MS;
  }
  return time;
};

const roundMinutes = (minutes: number): number => Math.round(minutes * 100) / 100;

/**
 * A feed's pace from its items' publication times: the mean gap, in minutes, between its newest
 * PACE_ITEMS dated items (at most `now`), and the newest; undefined with fewer than two.
 */
export const paceOf = (
  published: readonly (string | undefined)[],
  now: Date
): { gapMinutes: number; newest: number } | undefined => {
  const times = published
    .map((p) => (p === undefined ? Number.NaN : Date.parse(p)))
    .filter((t) => !Number.isNaN(t) && t <= now.getTime())
    .sort((a, b) => b - a)
    .slice(0, PACE_ITEMS);
  const newest = times[0];
  const oldest = times[times.length - 1];
  if (times.length < 2 || newest === undefined || oldest === undefined) return undefined;
  return { gapMinutes: Math.max(0.1, (newest - oldest) / MINUTE_MS / (times.length - 1)), newest };
};

/** The adaptive interval (see the module comment), in minutes, and the pace kept. */
const adaptiveInterval = (
  previous: FeedSchedule,
  input: ScheduleInput,
  bounds: ScheduleBounds
): { interval: number; gapMinutes?: number; lastItemAt?: number } => {
  const now = input.now.getTime();
  const base = clamp(previous.intervalMinutes ?? bounds.minMinutes, bounds);
  const kept = previous.lastItemAt === undefined ? Number.NaN : Date.parse(previous.lastItemAt);
  const pace = input.published ? paceOf(input.published, input.now) : undefined;
  let gapMinutes = pace?.gapMinutes ?? previous.gapMinutes;
  let lastItemAt = Number.isNaN(kept) ? undefined : kept;
  if (pace) lastItemAt = Math.max(pace.newest, lastItemAt ?? 0);
  else if (input.outcome === 'changed') {
    // Undated items: the pace from the gaps between the polls that found new ones.
    if (lastItemAt !== undefined) {
      const gap = (now - lastItemAt) / MINUTE_MS;
      gapMinutes = gapMinutes === undefined ? gap : 0.5 * gapMinutes + 0.5 * gap;
    }
    lastItemAt = now;
  }
  if (input.outcome !== 'failed' && gapMinutes !== undefined && lastItemAt !== undefined) {
    const quiet = Math.max(0, (now - lastItemAt) / MINUTE_MS);
    return {
      interval: clamp(Math.max(gapMinutes, quiet / QUIET_GAPS) / POLLS_PER_GAP, bounds),
      gapMinutes,
      lastItemAt,
    };
  }
  const interval =
    input.outcome === 'changed'
      ? clamp(base / 2, bounds)
      : input.outcome === 'unchanged'
        ? clamp(base * 1.5, bounds)
        : base;
  return {
    interval,
    ...(gapMinutes !== undefined ? { gapMinutes } : {}),
    ...(lastItemAt !== undefined ? { lastItemAt } : {}),
  };
};

/**
 * The schedule after a poll: the adaptive interval (see the module comment); a failure waits the
 * interval or the backoff (the shortest interval doubled per failure in a row after the first),
 * whichever is longer, up to the longest interval. The next poll is then put off to honour
 * max-age, Retry-After and the feed's ttl, but never past the longest interval after the tick;
 * then out of the feed's skipHours.
 */
export const nextSchedule = (previous: FeedSchedule, input: ScheduleInput): FeedSchedule => {
  const bounds = input.bounds ?? DEFAULT_SCHEDULE_BOUNDS;
  const { interval, gapMinutes, lastItemAt } = adaptiveInterval(previous, input, bounds);
  const backoff =
    input.outcome === 'failed'
      ? bounds.minMinutes * 2 ** Math.min(30, Math.max(0, input.consecutiveFailures - 1))
      : 0;
  const wait = Math.min(bounds.maxMinutes, Math.max(interval, backoff));
  const tick = input.tick.getTime();
  const now = input.now.getTime();
  const ttlMinutes = input.feed ? input.feed.ttlMinutes : previous.ttlMinutes;
  const skipHours = input.feed ? input.feed.skipHours : previous.skipHours;
  const floors = [
    input.hints?.maxAgeSeconds !== undefined ? now + input.hints.maxAgeSeconds * 1000 : 0,
    retryAfterTime(input.hints?.retryAfter, input.now)?.getTime() ?? 0,
    ttlMinutes !== undefined ? now + ttlMinutes * MINUTE_MS : 0,
  ];
  const latest = tick + bounds.maxMinutes * MINUTE_MS;
  const next = outsideSkipHours(
    Math.min(latest, Math.max(tick + wait * MINUTE_MS, ...floors)),
    skipHours
  );
  return {
    nextPollAt: new Date(next).toISOString(),
    intervalMinutes: roundMinutes(interval),
    ...(ttlMinutes !== undefined ? { ttlMinutes } : {}),
    ...(skipHours && skipHours.length > 0 ? { skipHours: [...skipHours] } : {}),
    ...(gapMinutes !== undefined ? { gapMinutes: roundMinutes(gapMinutes) } : {}),
    ...(lastItemAt !== undefined ? { lastItemAt: new Date(lastItemAt).toISOString() } : {}),
  };
};

/** Whether a feed is due at `tick`: never scheduled, or its next poll at most `slackMs` after it. */
export const isDue = (schedule: FeedSchedule, tick: Date, slackMs = DUE_SLACK_MS): boolean => {
  if (schedule.nextPollAt === undefined) return true;
  const at = Date.parse(schedule.nextPollAt);
  return Number.isNaN(at) || at <= tick.getTime() + slackMs;
};
