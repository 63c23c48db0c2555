/**
 * CloudWatch metric names the handlers emit (Powertools embedded metric format) and the stack's
 * alarms watch. One place, so the two cannot drift apart.
 */
export const METRIC_NAMESPACE = 'NewsAlert';

export const POLLER_SERVICE = 'newsalert-poller';
export const CLASSIFIER_SERVICE = 'newsalert-classifier';

export const POLL_METRICS = {
  feedsPolled: 'FeedsPolled',
  feedErrors: 'FeedErrors',
  itemsNew: 'ItemsNew',
  staleFeeds: 'StaleFeeds',
} as const;

export const CLASSIFY_METRICS = {
  alertsSent: 'AlertsSent',
  itemsClassified: 'ItemsClassified',
  recordsFailed: 'RecordsFailed',
} as const;
