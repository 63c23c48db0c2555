/**
 * CloudWatch metric names the handlers emit (Powertools embedded metric format) and the stack's
 * alarms watch. One place, so the two cannot drift apart.
 */
export const METRIC_NAMESPACE = 'NewsAlert';

export const SCHEDULER_SERVICE = 'newsalert-scheduler';
export const POLLER_SERVICE = 'newsalert-poller';
export const CLASSIFIER_SERVICE = 'newsalert-classifier';
export const WEBHOOK_SERVICE = 'newsalert-webhook';
export const DIGEST_SERVICE = 'newsalert-digest';

export const POLL_METRICS = {
  feedsPolled: 'FeedsPolled',
  feedErrors: 'FeedErrors',
  itemsNew: 'ItemsNew',
  staleFeeds: 'StaleFeeds',
  /** config/feeds.json failed to load (missing or invalid); the poll went on with the last good list. */
  feedsConfigRejected: 'FeedsConfigRejected',
  /** Shards whose items or state could not be saved (returned to SQS to retry). */
  shardsFailed: 'ShardsFailed',
} as const;

export const CLASSIFY_METRICS = {
  alertsSent: 'AlertsSent',
  itemsClassified: 'ItemsClassified',
  recordsFailed: 'RecordsFailed',
  /** Alerts parked under state/failed-alerts/ after repeated failed sends. */
  alertsParked: 'AlertsParked',
  /** config/rules.json failed to load (missing or invalid); classification went on with the last good rules. */
  rulesRejected: 'RulesRejected',
} as const;

export const SCHEDULE_METRICS = {
  /** Shard messages the poll queue took. */
  shardsSent: 'ShardsSent',
  /** Shard messages not sent after every retry: those shards were not polled that tick. */
  shardSendFailures: 'ShardSendFailures',
} as const;
