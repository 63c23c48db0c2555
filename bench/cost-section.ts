import {
  ASSUMPTIONS,
  type CostInputs,
  type CostReport,
  costReport,
  DEFAULT_FEEDS_PER_SHARD,
  GOALS_USD,
  PRICES,
  snsPer100Alerts,
} from './cost.ts';
import type { LatencyMeasures } from './latency.ts';
import type { Check, SectionResult } from './lib/report.ts';
import { median } from './lib/stats.ts';
import type { PollMeasures } from './poll.ts';
import type { StreamCostMeasures } from './stream-cost.ts';

/**
 * CloudWatch alarms of the default stack (no webhook, no digest): each is charged a month.
 * test/infra/stack.test.ts checks this against the synthesised template.
 */
export const STACK_ALARMS = 17;

const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;

/** The measured figures the model needs, from the poll bench and the latency simulation. */
export const costInputsFrom = (
  poll: PollMeasures,
  latency: LatencyMeasures,
  stream: StreamCostMeasures
): CostInputs => {
  const { second } = poll;
  const shards = second.shards;
  const changedFeeds = Math.max(1, second.status.ok);
  const quiet = stream.objects.filter((o) => o.escalations === 0);
  const loud = stream.objects.filter((o) => o.escalations > 0);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  // What the shards put beyond the items objects is their state.
  const stateBytes = shards.reduce((n, s) => n + s.bytesPut, 0) - second.putBytes;
  return {
    feedsPerShard: DEFAULT_FEEDS_PER_SHARD,
    pollsPerFeedPerDay: latency.overall.pollsPerFeedPerDay,
    changedShareOfPolls: latency.overall.changedShareOfPolls,
    shard: {
      // + the feed list's conditional GET, once a worker run
      gets: mean(shards.map((s) => s.gets)) + 1,
      putsChanged: mean(shards.map((s) => s.puts)),
      // A run that found nothing still rewrites its feeds' next poll times: the state, once.
      putsUnchanged: 1,
    },
    bytesPerChangedPoll: second.putBytes / changedFeeds,
    stateBytesPerFeed: Math.max(0, stateBytes) / Math.max(1, poll.feeds),
    workerCpuMsPerPolledFeed:
      Math.max(0, median(poll.secondMs) - median(poll.baselineMs)) / Math.max(1, second.feeds),
    fetchConcurrency: poll.concurrency,
    itemsPerChangedPoll: stream.items / Math.max(1, stream.changedPolls),
    classifier: {
      // + config/rules.json's conditional GET: S3 invokes the classifier once per object
      quietGets: mean(quiet.map((o) => o.gets)) + 1,
      escalationGets: mean(loud.map((o) => o.gets)) + 1,
      putsPerEscalationObject: mean(loud.map((o) => o.puts)),
      escalationsPerItem: stream.escalations / Math.max(1, stream.items),
      cpuMsPerItem: sum(stream.objects.map((o) => o.ms)) / Math.max(1, stream.items),
    },
    alarms: STACK_ALARMS,
  };
};

const usd = (n: number) => `$${n.toFixed(2)}`;

export const costSection = (
  poll: PollMeasures,
  latency: LatencyMeasures,
  stream: StreamCostMeasures
): { section: SectionResult; report: CostReport } => {
  const inputs = costInputsFrom(poll, latency, stream);
  const report = costReport(inputs);
  const { rows } = report;
  const checks: Check[] = rows.map((row) => {
    const goal = GOALS_USD[row.feeds];
    return {
      section: 'cost',
      name: `monthly cost, ${row.feeds.toLocaleString('en-US')} feeds (${row.shards} shards) at the 5-minute schedule (S3, SQS, Lambda, logs, storage)`,
      value: row.total,
      unit: 'USD',
      ...(goal !== undefined ? { goal: `<= $${goal}`, pass: row.total <= goal } : {}),
    };
  });
  const a = ASSUMPTIONS;
  const s = inputs.shard;
  const notes = [
    `measured: per worker run ${s.gets.toFixed(1)} S3 GET and ${s.putsChanged.toFixed(1)} PUT (items object and shard state), ${Math.round(inputs.stateBytesPerFeed)} bytes of shard state per feed, ${Math.round(inputs.bytesPerChangedPoll)} bytes under items/ per changed feed, ${inputs.workerCpuMsPerPolledFeed.toFixed(2)} ms worker CPU per polled feed (${poll.feeds} feeds on loopback, npm run bench -- --only poll)`,
    `measured on real news (${stream.entries} entries of ${stream.file} replayed through the poller and the classifier, 5-minute ticks): ${stream.itemsObjects} items objects, ${(inputs.itemsPerChangedPoll).toFixed(2)} new items per poll that found any, ${Math.round(inputs.classifier.escalationsPerItem * 1000) / 10}% of items escalations (${stream.alerts} alerts); the classifier makes ${inputs.classifier.quietGets.toFixed(2)} S3 GET for an items object without escalation and ${inputs.classifier.escalationGets.toFixed(1)} with any (it reads every events shard), ${inputs.classifier.putsPerEscalationObject.toFixed(2)} PUT per items object with escalations (its events shards, and its alerts: claim, record, remove), ${inputs.classifier.cpuMsPerItem.toFixed(2)} ms per item`,
    `measured by the latency simulation (the adaptive schedule over a week of ${latency.feeds} feeds of the mix, npm run bench -- --only latency): ${inputs.pollsPerFeedPerDay.toFixed(1)} polls per feed a day (every tick would be 288), ${Math.round(inputs.changedShareOfPolls * 100)}% of polls finding new items`,
    `counted from the real split (shardFeeds): shards per size, and one SendMessageBatch per 10 shards a tick`,
    `assumed: internet feed latency ${a.internetLatencySeconds} s; ${a.hangingFeedShare * 100}% of feeds hang to the ${a.slowSeconds} s timeout on every poll (backed off to ${a.hangingFeedPollsPerDay} polls a day) and ${a.transientHangShare * 100}% of other fetches hang now and then; ${a.s3LatencySeconds * 1000} ms per S3 request; worker ${a.workerMemoryMb} MB, classifier ${a.classifierMemoryMb} MB, scheduler ${a.schedulerMemoryMb} MB; the poll queue's idle polling ${a.sqsIdleRequestsPerMonth.toLocaleString('en-US')} SQS requests a month; ${a.logBytesPerInvocation} log bytes per invocation; replaced state versions kept ${a.stateVersionDays} days, access logs ${a.accessLogRetentionDays} days; no free tiers`,
    `prices (us-east-1, ${PRICES.date}): S3 PUT $${PRICES.s3PutPer1k}/1k, GET $${PRICES.s3GetPer1k}/1k, storage $${PRICES.s3StorageGbMonth}/GB-month; Lambda arm64 $${PRICES.lambdaGbSecondArm}/GB-s + $${PRICES.lambdaPer1M}/1M requests; SQS $${PRICES.sqsPer1M}/1M; CloudWatch Logs $${PRICES.logsIngestPerGb}/GB, alarms $${PRICES.alarmMonth} a month; EventBridge schedule free`,
    `fixed, whatever the size: ${inputs.alarms} CloudWatch alarms, ${usd(inputs.alarms * PRICES.alarmMonth)} a month (not in the totals above); SNS is per alert: 100 alerts a month to one email and one US phone cost about ${usd(snsPer100Alerts())}, almost all of it SMS`,
  ];
  return {
    section: { name: 'cost', checks, notes, details: { inputs, rows, prices: PRICES } },
    report,
  };
};
