/**
 * The classifier Lambda: invoked by S3 (asynchronously) for each object created under items/,
 * classifies each items object, clusters escalations and sends alerts (effectively once, through
 * the outboxes in the shards of state/events/). An object that fails makes the invocation throw once the
 * others are done, so Lambda retries the event (then hands it to the dead-letter destination);
 * what was done already is not done twice. Thin: the logic lives in lambdas/pipeline and
 * lambdas/core.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, S3Event } from 'aws-lambda';
import { powertoolsLogger, powertoolsMetrics } from '../adapters/powertools.ts';
import { createdObjectKeys } from '../adapters/s3-event-notification.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { SnsAlertPublisher } from '../adapters/sns-publisher.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { errorMessage } from '../core/common/errors.ts';
import type { RuleSet } from '../core/rules/index.ts';
import { classifyAndAlertItemsObject } from '../pipeline/classify-and-alert.ts';
import { ConfigCache, ConfigRejectedError, type LoadedConfig } from '../pipeline/config.ts';
import type { AlertPublisher, Clock, Logger, MetricsSink, ObjectStore } from '../ports.ts';
import { getRequiredEnv } from '../shared/env.ts';
import { CLASSIFY_METRICS } from '../shared/metric-names.ts';

export interface ClassifierHandlerDeps {
  readonly store: ObjectStore;
  readonly publisher: AlertPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  /**
   * Where the rules come from (cached by ETag across invocations): the last good rules, with
   * the rejection, while config/rules.json is broken.
   */
  readonly config: { rules(): Promise<LoadedConfig<RuleSet>> };
  /** Called with the Lambda context first thing (adds the request id to every log line). */
  readonly onInvocation?: (context: Context) => void;
}

/** What one invocation did. */
export interface ClassifySummary {
  /** Items objects classified. */
  readonly objects: number;
  readonly items: number;
  readonly alerts: number;
}

/** Some items objects of the event failed: the invocation fails, so Lambda retries the event. */
export class ClassifyFailedError extends Error {
  constructor(
    readonly keys: readonly string[],
    options?: ErrorOptions
  ) {
    super(
      `${keys.length} items object${keys.length === 1 ? '' : 's'} failed to classify (${keys
        .slice(0, 3)
        .join(', ')}): the event is retried, then sent to the dead-letter queue`,
      options
    );
    this.name = 'ClassifyFailedError';
  }
}

export const makeHandler =
  (deps: ClassifierHandlerDeps) =>
  async (event: S3Event, context?: Context): Promise<ClassifySummary> => {
    if (context) deps.onInvocation?.(context);
    let alertsSent = 0;
    let itemsClassified = 0;
    let alertsParked = 0;
    let rulesRejected = 0;
    const failed: string[] = [];
    let lastError: unknown;
    // Loaded once per invocation, so a rejection is logged and counted once.
    let rules: Promise<RuleSet> | undefined;
    const loadRules = async (): Promise<RuleSet> => {
      try {
        const loaded = await deps.config.rules();
        if (loaded.rejected) {
          rulesRejected = 1;
          deps.logger.error(
            `${loaded.rejected.key} rejected; classifying with the last good rules (${loaded.rejected.lastGoodKey}): fix the file and upload it again`,
            { key: loaded.rejected.key, problems: loaded.rejected.problems }
          );
        }
        return loaded.value;
      } catch (err) {
        if (err instanceof ConfigRejectedError) {
          rulesRejected = 1;
          deps.logger.error(
            `${err.rejection.key} rejected and no last good rules are kept yet: every items object fails until it is fixed`,
            { key: err.rejection.key, problems: err.rejection.problems }
          );
        }
        throw err;
      }
    };
    const classifyObject = async (key: string): Promise<void> => {
      try {
        rules ??= loadRules();
        const result = await classifyAndAlertItemsObject(
          {
            store: deps.store,
            publisher: deps.publisher,
            clock: deps.clock,
            logger: deps.logger,
            rules: await rules,
            writeReport: true,
            onAlertParked: () => {
              alertsParked += 1;
            },
            ...(context?.awsRequestId ? { worker: context.awsRequestId } : {}),
          },
          key
        );
        alertsSent += result.alerts.length;
        itemsClassified += result.results.length;
        deps.logger.info('items classified', {
          key,
          items: result.results.length,
          escalations: result.results.filter((r) => r.escalation).length,
          alerts: result.alerts.map((a) => a.id),
        });
      } catch (err) {
        failed.push(key);
        lastError = err;
        deps.logger.error('items object failed; lambda will retry the event', {
          key,
          error: errorMessage(err),
        });
      }
    };
    let keys: string[];
    try {
      keys = createdObjectKeys(event);
    } catch (err) {
      deps.logger.error('event is no s3 notification; nothing classified', {
        error: errorMessage(err),
      });
      throw err;
    }
    // One after another: they all update the events state (state/events/), so running them in parallel would
    // only make the conditional writes retry.
    for (const key of keys) await classifyObject(key);
    deps.metrics.count(CLASSIFY_METRICS.alertsSent, alertsSent);
    deps.metrics.count(CLASSIFY_METRICS.itemsClassified, itemsClassified);
    deps.metrics.count(CLASSIFY_METRICS.recordsFailed, failed.length);
    deps.metrics.count(CLASSIFY_METRICS.alertsParked, alertsParked);
    deps.metrics.count(CLASSIFY_METRICS.rulesRejected, rulesRejected);
    deps.metrics.flush();
    if (failed.length > 0) throw new ClassifyFailedError(failed, { cause: lastError });
    return { objects: keys.length, items: itemsClassified, alerts: alertsSent };
  };

const s3 = new S3Client({});
const sns = new SNSClient({});

export const defaultDeps = (): ClassifierHandlerDeps => {
  const store = new S3ObjectStore(s3, getRequiredEnv('BUCKET_NAME'));
  const logger = new PowertoolsLogger();
  return {
    store,
    publisher: new SnsAlertPublisher(sns, getRequiredEnv('TOPIC_ARN')),
    clock: systemClock,
    logger: powertoolsLogger(logger),
    onInvocation: (context) => logger.addContext(context),
    metrics: powertoolsMetrics(new Metrics()),
    config: new ConfigCache(store, powertoolsLogger(logger)),
  };
};

export const handler = makeHandler(defaultDeps());
