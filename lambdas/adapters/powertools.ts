/** The Logger and MetricsSink ports over AWS Lambda Powertools, for the Lambda handlers. */
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger, MetricsSink } from '../ports.ts';

/** The Logger port over a Powertools logger: structured JSON lines in CloudWatch Logs. */
export const powertoolsLogger = (logger: PowertoolsLogger): Logger => ({
  debug: (message, extra) => (extra ? logger.debug(message, extra) : logger.debug(message)),
  info: (message, extra) => (extra ? logger.info(message, extra) : logger.info(message)),
  warn: (message, extra) => (extra ? logger.warn(message, extra) : logger.warn(message)),
  error: (message, extra) => (extra ? logger.error(message, extra) : logger.error(message)),
});

/**
 * The MetricsSink port over Powertools Metrics: counts written as CloudWatch embedded metric
 * format log lines (no PutMetricData calls, no extra latency).
 */
export const powertoolsMetrics = (metrics: Metrics): MetricsSink => ({
  count: (name, value) => {
    metrics.addMetric(name, MetricUnit.Count, value);
  },
  flush: () => {
    metrics.publishStoredMetrics();
  },
});
