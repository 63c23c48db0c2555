/**
 * The poller Lambda: reads the feed list from config/ in the bucket, polls every feed once and
 * stores new items under items/ (which triggers the classifier). Thin: it wires adapters to
 * pollFeeds and reports metrics; the logic lives in lambdas/pipeline and lambdas/core.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { HttpFeedFetcher } from '../adapters/http-feed-fetcher.ts';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/powertools.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { systemClock } from '../adapters/system-clock.ts';
import type { FeedConfig } from '../core/common/types.ts';
import { ConfigCache, ConfigRejectedError, type LoadedConfig } from '../pipeline/config.ts';
import { pollFeeds } from '../pipeline/poll.ts';
import {
  DEFAULT_STALE_AFTER_FAILURES,
  type PollSummary,
  summarisePoll,
} from '../pipeline/poll-summary.ts';
import type { Clock, FeedFetcher, Logger, MetricsSink, ObjectStore } from '../ports.ts';
import { getIntEnv, getRequiredEnv } from '../shared/env.ts';
import { POLL_METRICS } from '../shared/metric-names.ts';

export interface PollerHandlerDeps {
  readonly store: ObjectStore;
  readonly fetcher: FeedFetcher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /**
   * Where the feed list comes from (cached by ETag across invocations): the last good list,
   * with the rejection, while config/feeds.json is broken.
   */
  readonly config: { feeds(): Promise<LoadedConfig<FeedConfig[]>> };
  /** Called with the Lambda context first thing (adds the request id to every log line). */
  readonly onInvocation?: (context: Context) => void;
  readonly concurrency?: number;
  /**
   * Failed polls in a row after which a feed counts as stale (StaleFeeds metric).
   * @default DEFAULT_STALE_AFTER_FAILURES
   */
  readonly staleAfterFailures?: number;
}

/**
 * The feed list to poll. A rejected config/feeds.json is logged with its problems and counted
 * (FeedsConfigRejected); the poll goes on with the last good list, or, when none is kept yet,
 * the invocation fails (the count is flushed first, so the alarm still sees it).
 */
const loadFeeds = async (deps: PollerHandlerDeps): Promise<LoadedConfig<FeedConfig[]>> => {
  try {
    const loaded = await deps.config.feeds();
    if (loaded.rejected) {
      deps.logger.error(
        `${loaded.rejected.key} rejected; polling the last good feed list (${loaded.rejected.lastGoodKey}): fix the file and upload it again`,
        { key: loaded.rejected.key, problems: loaded.rejected.problems }
      );
    }
    return loaded;
  } catch (err) {
    if (err instanceof ConfigRejectedError) {
      deps.logger.error(
        `${err.rejection.key} rejected and no last good feed list is kept yet: nothing is polled until it is fixed`,
        { key: err.rejection.key, problems: err.rejection.problems }
      );
      deps.metrics.count(POLL_METRICS.feedsConfigRejected, 1);
      deps.metrics.flush();
    }
    throw err;
  }
};

export const makeHandler =
  (deps: PollerHandlerDeps) =>
  async (_event?: unknown, context?: Context): Promise<PollSummary> => {
    if (context) deps.onInvocation?.(context);
    const feeds = await loadFeeds(deps);
    const report = await pollFeeds(
      {
        store: deps.store,
        fetcher: deps.fetcher,
        clock: deps.clock,
        logger: deps.logger,
        ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
      },
      feeds.value
    );
    const summary = summarisePoll(report, deps.staleAfterFailures);
    deps.metrics.count(POLL_METRICS.feedsPolled, summary.feeds);
    deps.metrics.count(POLL_METRICS.feedErrors, summary.errors);
    deps.metrics.count(POLL_METRICS.itemsNew, summary.newItems);
    deps.metrics.count(POLL_METRICS.staleFeeds, summary.stale.length);
    deps.metrics.count(POLL_METRICS.feedsConfigRejected, feeds.rejected ? 1 : 0);
    deps.metrics.flush();
    for (const url of summary.stale) deps.logger.warn('feed stale', { feed: url });
    deps.logger.info('poll done', { ...summary, itemsKeys: summary.itemsKeys.length });
    return summary;
  };

const s3 = new S3Client({});

export const defaultDeps = (): PollerHandlerDeps => {
  const store = new S3ObjectStore(s3, getRequiredEnv('BUCKET_NAME'));
  const logger = new PowertoolsLogger();
  return {
    store,
    // http(s) only: a feed list in the bucket must not be able to read the function's own files.
    fetcher: new HttpFeedFetcher(),
    clock: systemClock,
    logger: powertoolsLogger(logger),
    onInvocation: (context) => logger.addContext(context),
    metrics: powertoolsMetrics(new Metrics()),
    config: new ConfigCache(store, powertoolsLogger(logger)),
    concurrency: getIntEnv('POLL_CONCURRENCY', 16),
    staleAfterFailures: getIntEnv('STALE_AFTER_FAILURES', DEFAULT_STALE_AFTER_FAILURES),
  };
};

export const handler = makeHandler(defaultDeps());
