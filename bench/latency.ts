/**
 * Latency bench: what adaptive polling costs in alert time. A week of a realistic mix of feeds
 * (10% hot: an item every 10 minutes; 30%: one an hour; 60%: a few a day; Poisson arrivals,
 * seeded) is polled at a 5-minute tick with the real schedule (core/feeds/poll-schedule.ts): a
 * feed is polled only when due, answers 304 when it has nothing new, and lists its newest 30
 * items. Reported per class and overall: polls per feed per day, and the time from an item's
 * publication to the poll that finds it (median, 95th percentile), beside polling every feed
 * every tick. Run it with `node --import tsx bench/latency.ts [--json] [--feeds N]`, or as the
 * `latency` section of `npm run bench`.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_SCHEDULE_BOUNDS,
  type FeedSchedule,
  isDue,
  nextSchedule,
} from '../lambdas/core/feeds/poll-schedule.ts';
import { prng } from './lib/prng.ts';
import type { Check, SectionResult } from './lib/report.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TICK = 5 * MINUTE;
/** Items a feed lists. */
const WINDOW = 30;

export interface FeedClass {
  readonly name: string;
  readonly share: number;
  /** Mean minutes between two items. */
  readonly meanGapMinutes: number;
}

export const FEED_MIX: readonly FeedClass[] = [
  { name: 'hot (an item every 10 min)', share: 0.1, meanGapMinutes: 10 },
  { name: 'hourly (an item an hour)', share: 0.3, meanGapMinutes: 60 },
  { name: 'slow (4 items a day)', share: 0.6, meanGapMinutes: 6 * 60 },
];

export interface LatencyOptions {
  readonly feeds: number;
  readonly days: number;
  readonly seed: number;
}

export interface ClassMeasure {
  readonly name: string;
  readonly feeds: number;
  readonly items: number;
  readonly pollsPerFeedPerDay: number;
  /** Share of polls that found new items. */
  readonly changedShareOfPolls: number;
  readonly medianMinutes: number;
  readonly p95Minutes: number;
}

export interface LatencyMeasures {
  readonly feeds: number;
  readonly days: number;
  readonly tickMinutes: number;
  readonly bounds: typeof DEFAULT_SCHEDULE_BOUNDS;
  readonly classes: ClassMeasure[];
  readonly overall: Omit<ClassMeasure, 'name' | 'feeds'>;
  /** Every feed polled every tick, for comparison. */
  readonly everyTick: Omit<ClassMeasure, 'name' | 'feeds'>;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);

/** Publication times of one feed, Poisson with the class's mean gap, from `from` to `to`. */
const arrivals = (
  next: () => number,
  meanGapMinutes: number,
  from: number,
  to: number
): number[] => {
  const times: number[] = [];
  for (let t = from; ; ) {
    t += -Math.log(1 - next()) * meanGapMinutes * MINUTE;
    if (t > to) return times;
    times.push(t);
  }
};

interface Sim {
  polls: number;
  /** Polls that found new items. */
  changedPolls: number;
  latencies: number[];
}

/** Polls one feed from `start` (a warm-up day before `measureFrom`) to `end`, due or every tick. */
const simulate = (
  times: readonly number[],
  start: number,
  measureFrom: number,
  end: number,
  adaptive: boolean
): Sim => {
  let schedule: FeedSchedule = {};
  let seen = 0; // items out at the last poll
  const sim: Sim = { polls: 0, changedPolls: 0, latencies: [] };
  for (let tick = start; tick <= end; tick += TICK) {
    const at = new Date(tick);
    if (adaptive && !isDue(schedule, at)) continue;
    let out = seen;
    while (out < times.length && (times[out] ?? Infinity) <= tick) out += 1;
    if (tick >= measureFrom) {
      sim.polls += 1;
      if (out > seen) sim.changedPolls += 1;
      for (let i = seen; i < out; i += 1) {
        if ((times[i] ?? 0) >= measureFrom) sim.latencies.push((tick - (times[i] ?? 0)) / MINUTE);
      }
    }
    const changed = out > seen;
    seen = out;
    schedule = nextSchedule(schedule, {
      outcome: changed ? 'changed' : 'unchanged',
      tick: at,
      now: at,
      consecutiveFailures: 0,
      // A changed feed is read in full (its newest items); an unchanged one answers 304.
      ...(changed
        ? {
            published: times
              .slice(Math.max(0, out - WINDOW), out)
              .map((t) => new Date(t).toISOString()),
          }
        : {}),
    });
  }
  return sim;
};

const summarise = (sims: readonly Sim[], feeds: number, days: number) => {
  const latencies = sims.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    items: latencies.length,
    pollsPerFeedPerDay: sims.reduce((n, s) => n + s.polls, 0) / Math.max(1, feeds) / days,
    changedShareOfPolls:
      sims.reduce((n, s) => n + s.changedPolls, 0) /
      Math.max(
        1,
        sims.reduce((n, s) => n + s.polls, 0)
      ),
    medianMinutes: quantile(latencies, 0.5),
    p95Minutes: quantile(latencies, 0.95),
  };
};

export const measureLatency = (options: LatencyOptions): LatencyMeasures => {
  const r = prng(options.seed);
  const start = Date.UTC(2026, 10, 2);
  const measureFrom = start + DAY;
  const end = measureFrom + options.days * DAY;
  const classes: ClassMeasure[] = [];
  const all: Sim[] = [];
  const fixed: Sim[] = [];
  for (const feedClass of FEED_MIX) {
    const count = Math.round(options.feeds * feedClass.share);
    const sims: Sim[] = [];
    for (let f = 0; f < count; f += 1) {
      // Items from two days before, so the feed lists a full window from the start.
      const times = arrivals(r.next, feedClass.meanGapMinutes, start - 2 * DAY, end);
      sims.push(simulate(times, start, measureFrom, end, true));
      fixed.push(simulate(times, start, measureFrom, end, false));
    }
    all.push(...sims);
    classes.push({ name: feedClass.name, feeds: count, ...summarise(sims, count, options.days) });
  }
  const feeds = classes.reduce((n, c) => n + c.feeds, 0);
  return {
    feeds,
    days: options.days,
    tickMinutes: TICK / MINUTE,
    bounds: DEFAULT_SCHEDULE_BOUNDS,
    classes,
    overall: summarise(all, feeds, options.days),
    everyTick: summarise(fixed, feeds, options.days),
  };
};

export const latencySection = (m: LatencyMeasures): SectionResult => {
  const checks: Check[] = [
    {
      section: 'latency',
      name: `polls per feed per day, ${m.feeds} feeds of the mix, adaptive (${m.bounds.minMinutes}-${m.bounds.maxMinutes} min)`,
      value: m.overall.pollsPerFeedPerDay,
      unit: 'polls',
      baseline: {
        name: `every ${m.tickMinutes} min`,
        value: m.everyTick.pollsPerFeedPerDay,
        unit: 'polls',
      },
      ratio: m.overall.pollsPerFeedPerDay / m.everyTick.pollsPerFeedPerDay,
    },
    {
      section: 'latency',
      name: 'publication to poll, median',
      value: m.overall.medianMinutes,
      unit: 'min',
      baseline: {
        name: `every ${m.tickMinutes} min`,
        value: m.everyTick.medianMinutes,
        unit: 'min',
      },
    },
    {
      section: 'latency',
      name: 'publication to poll, 95th percentile',
      value: m.overall.p95Minutes,
      unit: 'min',
      baseline: { name: `every ${m.tickMinutes} min`, value: m.everyTick.p95Minutes, unit: 'min' },
    },
    ...m.classes.map((c) => ({
      section: 'latency',
      name: `${c.name}: ${c.pollsPerFeedPerDay.toFixed(0)} polls/day, median / p95 (min)`,
      value: c.medianMinutes,
      unit: `/ ${c.p95Minutes.toFixed(1)} min`,
    })),
  ];
  return {
    name: 'latency',
    checks,
    notes: [
      `${m.days} simulated days at a ${m.tickMinutes}-minute tick, Poisson arrivals (seeded); the alert follows the poll by the classifier's run (not counted here)`,
    ],
    details: { ...m },
  };
};

const main = () => {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      feeds: { type: 'string', default: '1000' },
      days: { type: 'string', default: '7' },
      seed: { type: 'string', default: '7' },
    },
  });
  const m = measureLatency({
    feeds: Number(values.feeds),
    days: Number(values.days),
    seed: Number(values.seed),
  });
  if (values.json) {
    console.log(
      JSON.stringify({
        section: 'latency',
        feeds: m.feeds,
        days: m.days,
        pollsPerFeedPerDay: m.overall.pollsPerFeedPerDay,
        medianMinutes: m.overall.medianMinutes,
        p95Minutes: m.overall.p95Minutes,
        everyTick: m.everyTick,
        classes: m.classes,
      })
    );
    return;
  }
  const line = (name: string, c: Omit<ClassMeasure, 'name' | 'feeds'>) =>
    `${name.padEnd(32)} ${c.pollsPerFeedPerDay.toFixed(1).padStart(6)} polls/feed/day   median ${c.medianMinutes.toFixed(1).padStart(5)} min   p95 ${c.p95Minutes.toFixed(1).padStart(5)} min   (${c.items} items)`;
  console.log(
    `${m.feeds} feeds, ${m.days} days, ${m.tickMinutes}-minute tick, bounds ${m.bounds.minMinutes}-${m.bounds.maxMinutes} min`
  );
  for (const c of m.classes) console.log(line(c.name, c));
  console.log(line('all, adaptive', m.overall));
  console.log(line(`all, every ${m.tickMinutes} min`, m.everyTick));
};

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
