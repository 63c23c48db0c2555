/**
 * The events room seen from outside: what the pipeline needs to cluster classified items into
 * events and alerts, and what delivery needs to word an alert. Other rooms import the events
 * room through this file only.
 *
 * Inside: attach.ts decides, for one classified item, which event it joins and what to send;
 * report.ts turns the item into a report; match-score.ts scores it against each open event;
 * lifecycle.ts adds it, closes and forgets events and tests "materially worse"; aggregates.ts
 * sums up an event's reports and alert.ts builds the alert; event-state.ts holds the stored
 * shapes and cluster-options.ts the tuning.
 */
export { buildAlert, builtHeadline, categoryLabel } from './alert.ts';
export { type AttachResult, attach } from './attach.ts';
export {
  CLUSTER_MEMORY_HOURS,
  type ClusterOptions,
  clusterMemoryHours,
} from './cluster-options.ts';
export {
  type ClusterState,
  type EventCluster,
  emptyClusterState,
  parseClusterState,
} from './event-state.ts';
export {
  activeMutes,
  emptyMuteList,
  type Mute,
  type MuteList,
  muteOf,
  parseMuteList,
  withMute,
  withoutMute,
} from './mutes.ts';
