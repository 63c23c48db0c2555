import type { PollReport } from './poll.ts';

/** Failed polls in a row after which a feed counts as stale. */
export const DEFAULT_STALE_AFTER_FAILURES = 12;

/** One poll in figures, for the poller's log line and metrics. */
export interface PollSummary {
  /** Feeds polled. */
  readonly feeds: number;
  /** Feeds not due at this tick (adaptive polling). */
  readonly notDue: number;
  readonly ok: number;
  readonly unchanged: number;
  readonly errors: number;
  readonly newItems: number;
  /** Feeds that failed `staleAfterFailures` polls in a row or more. */
  readonly stale: string[];
  readonly itemsKeys: string[];
}

/** Counts a poll's feeds by outcome and names the stale ones. */
export const summarisePoll = (
  report: PollReport,
  staleAfterFailures = DEFAULT_STALE_AFTER_FAILURES
): PollSummary => {
  const count = (status: string) => report.feeds.filter((f) => f.status === status).length;
  return {
    feeds: report.feeds.length,
    notDue: report.notDue,
    ok: count('ok'),
    unchanged: count('unchanged'),
    errors: count('error'),
    newItems: report.feeds.reduce((sum, f) => sum + f.new, 0),
    stale: report.feeds
      .filter((f) => f.consecutiveFailures >= staleAfterFailures)
      .map((f) => f.url),
    itemsKeys: report.itemsKeys,
  };
};
