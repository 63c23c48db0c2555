/**
 * Cost model: monthly AWS cost of N feeds at the default schedule, for the deployed shape
 * (docs/ARCHITECTURE.md, "Data flow"): a scheduler sends one SQS message per feed shard each
 * tick, a poller worker polls the due feeds of one shard (one state object read and written,
 * one items object), and each items object is pushed by S3 to the classifier.
 *
 * What is measured and what is assumed is kept apart: `CostInputs` holds the measured figures
 * (request counts per shard tick and per items object, CPU per polled feed, the adaptive
 * schedule's polls per feed), `ASSUMPTIONS` the figures this machine cannot measure (internet
 * latency, S3 latency from Lambda, log bytes), each named. The shard count and the scheduler's
 * SQS calls for each size come from the real split (`shardFeeds`), so the largest sizes are
 * counted, not guessed; per-shard work is measured on real shards and multiplied by the count.
 */
import { DEFAULT_FEEDS_PER_SHARD, shardFeeds } from '../lambdas/core/feeds/shards.ts';
import { WORKER_MEMORY_MB } from '../lib/constructs/feed-poller.ts';

/**
 * us-east-1 list prices, on-demand, without free tiers. From the AWS public price pages as last
 * seen (2025); not re-fetched from this machine (no network), so check them before quoting.
 *   S3 Standard: https://aws.amazon.com/s3/pricing/  (PUT/COPY/POST/LIST $0.005 per 1,000;
 *     GET $0.0004 per 1,000; storage $0.023 per GB-month for the first 50 TB)
 *   Lambda arm64: https://aws.amazon.com/lambda/pricing/  ($0.0000133334 per GB-s; $0.20 per 1M
 *     requests; an S3 notification's asynchronous invocation is an ordinary request)
 *   SQS standard: https://aws.amazon.com/sqs/pricing/  ($0.40 per 1M requests, 64 KB chunks)
 *   CloudWatch: https://aws.amazon.com/cloudwatch/pricing/  (Logs ingestion $0.50 per GB;
 *     standard alarm $0.10 a month)
 *   SNS: https://aws.amazon.com/sns/pricing/  (publishes $0.50 per 1M; email $2.00 per 100,000;
 *     SMS about $0.00581 (US) plus carrier fees)
 *   EventBridge: scheduled rules are free.
 */
export const PRICES = {
  date: 'AWS price pages as of 2025, not re-fetched',
  s3PutPer1k: 0.005,
  s3GetPer1k: 0.0004,
  s3StorageGbMonth: 0.023,
  lambdaGbSecondArm: 0.0000133334,
  lambdaPer1M: 0.2,
  sqsPer1M: 0.4,
  logsIngestPerGb: 0.5,
  alarmMonth: 0.1,
  snsPublishPer1M: 0.5,
  snsEmailPer100k: 2.0,
  smsUs: 0.00581,
} as const;

/** What cannot be measured on this machine, each stated where it is used. */
export const ASSUMPTIONS = {
  /** The default schedule (`rate(5 minutes)`, lib/config.ts): ticks in a 30-day month. */
  ticksPerMonth: (30 * 24 * 60) / 5,
  tickMinutes: 5,
  /** Memory of the functions (lib/constructs/): poller worker, classifier, scheduler. */
  workerMemoryMb: WORKER_MEMORY_MB,
  classifierMemoryMb: 512,
  schedulerMemoryMb: 256,
  /** Lambda's CPU share scales with memory: 1,769 MB is one vCPU (the bench measures on one core). */
  vcpuMb: 1769,
  /** Median internet feed response time (the bench's loopback latency is 50 ms). */
  internetLatencySeconds: 0.3,
  /**
   * Feeds that hang until the fetcher's timeout on every poll: they fail, so the adaptive
   * schedule backs them off to its longest interval (an hour: 24 polls a day)...
   */
  hangingFeedShare: 0.02,
  hangingFeedPollsPerDay: 24,
  /** ...and a fetch of any other feed hangs now and then. */
  transientHangShare: 0.002,
  /** The fetcher's whole-request timeout (DEFAULT_TIMEOUT_MS, lambdas/adapters/http-feed-fetcher.ts). */
  slowSeconds: 15,
  /** S3 request latency from Lambda, per request in sequence. */
  s3LatencySeconds: 0.02,
  /** The scheduler's run: the feed list's conditional GET and its SendMessageBatch calls. */
  schedulerSecondsPerRun: 0.1,
  sqsSecondsPerCall: 0.02,
  /**
   * SQS requests per message delivered to a worker: the event source's ReceiveMessage and the
   * DeleteMessage, counted as one each (the event source batches them; this is the upper bound).
   */
  sqsReceiveAndDeletePerMessage: 2,
  /**
   * The poll queue's event source polls even when idle: about 5 long polls of 20 s at a time,
   * all month (AWS documents the pollers but not their number; this is the commonly measured
   * figure). The classifier has no queue: S3 pushes to it.
   */
  sqsIdleRequestsPerMonth: 5 * 3 * 60 * 24 * 30,
  /** Log bytes per invocation: START/END/REPORT lines, the metrics line, one summary line. */
  logBytesPerInvocation: 1_500,
  /** items/ objects are kept this many days (lib/constructs/storage.ts lifecycle). */
  itemsRetentionDays: 30,
  /** The bucket is versioned: each replaced state object is kept this long (storage.ts). */
  stateVersionDays: 14,
  /** S3 server access logs: about this many bytes a request, kept 90 days (storage.ts). */
  accessLogBytesPerRequest: 350,
  accessLogRetentionDays: 90,
} as const;

/** The measured figures the model multiplies out. */
export interface CostInputs {
  readonly feedsPerShard: number;
  /** Polls per feed per day under the adaptive schedule, for a realistic mix of feeds. */
  readonly pollsPerFeedPerDay: number;
  /** Share of polls that find new items (the same mix). */
  readonly changedShareOfPolls: number;
  /** Per shard tick (one worker run), measured on real shards. */
  readonly shard: {
    /** S3 GETs of a worker run (shard state, the feed list's conditional GET, lookups). */
    readonly gets: number;
    /** S3 PUTs of a worker run that found new items (items object, shard state). */
    readonly putsChanged: number;
    /** S3 PUTs of a worker run that found nothing new (the shard state's schedule). */
    readonly putsUnchanged: number;
  };
  /** Bytes under items/ per changed feed poll. */
  readonly bytesPerChangedPoll: number;
  /** Bytes of a shard state object per feed in it. */
  readonly stateBytesPerFeed: number;
  /** Worker CPU per polled feed (fetch handling, parse, state), ms on one core. */
  readonly workerCpuMsPerPolledFeed: number;
  /** Feeds a worker fetches at once. */
  readonly fetchConcurrency: number;
  /** New items a poll that found any stores (real feeds). */
  readonly itemsPerChangedPoll: number;
  /**
   * The classifier on real news (the recorded stream replayed): S3 GETs of an items object with
   * no escalation, and of one with any (every events shard is read), PUTs per escalation, the
   * share of items that are escalations, CPU per item on one core. PUTs are counted per items
   * object with escalations, not per escalation: its escalations are written in one conditional
   * write per events shard touched, and its alerts are bounded by the events, not the items.
   */
  readonly classifier: {
    readonly quietGets: number;
    readonly escalationGets: number;
    readonly putsPerEscalationObject: number;
    readonly escalationsPerItem: number;
    readonly cpuMsPerItem: number;
  };
  /** Alarms of the stack (CloudWatch charges each a month). */
  readonly alarms: number;
}

export interface CostRow {
  readonly feeds: number;
  readonly shards: number;
  /** Feeds polled per shard tick (the adaptive schedule's share of the shard). */
  readonly polledPerRun: number;
  readonly workerSecondsPerRun: number;
  readonly s3Gets: number;
  readonly s3Puts: number;
  readonly sqsRequests: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly logGb: number;
  readonly s3: number;
  readonly sqs: number;
  readonly lambda: number;
  readonly logs: number;
  readonly storage: number;
  /** Usage cost: everything above (what grows with the feeds). */
  readonly total: number;
  /** The alarms, the same at every size, shown apart. */
  readonly fixed: number;
}

/** Share of polls that hang to the timeout, given the schedule's polls per feed per day. */
export const hangShare = (pollsPerFeedPerDay: number): number => {
  const a = ASSUMPTIONS;
  const hanging = a.hangingFeedShare * a.hangingFeedPollsPerDay;
  const others = (1 - a.hangingFeedShare) * pollsPerFeedPerDay;
  return (hanging + others * a.transientHangShare) / (hanging + others);
};

const cpuSeconds = (ms: number, memoryMb: number): number =>
  (ms / 1000) * Math.max(1, ASSUMPTIONS.vcpuMb / memoryMb);

/** Wall seconds of one worker run polling `polled` feeds, of which `changed` found new items. */
export const workerSeconds = (inputs: CostInputs, polled: number, changed: number): number => {
  const a = ASSUMPTIONS;
  const rounds = Math.ceil(polled / inputs.fetchConcurrency);
  // A run lasts at least one fetch timeout whenever one of its fetches hangs.
  const hang = 1 - (1 - hangShare(inputs.pollsPerFeedPerDay)) ** polled;
  const network = rounds * a.internetLatencySeconds + hang * a.slowSeconds;
  const puts = changed > 0 ? inputs.shard.putsChanged : inputs.shard.putsUnchanged;
  const s3 = (inputs.shard.gets + puts) * a.s3LatencySeconds;
  return network + s3 + cpuSeconds(polled * inputs.workerCpuMsPerPolledFeed, a.workerMemoryMb);
};

/** The scheduler's requests: one SendMessageBatch per 10 shards. */
export const schedulerCalls = (
  feeds: number,
  feedsPerShard: number
): { shards: number; sends: number } => {
  const list = Array.from({ length: feeds }, (_, i) => ({ url: `https://feed${i}.example/rss` }));
  const shards = shardFeeds(list, feedsPerShard).length;
  return { shards, sends: Math.ceil(shards / 10) };
};

export const costFor = (inputs: CostInputs, feeds: number): CostRow => {
  const a = ASSUMPTIONS;
  const ticks = a.ticksPerMonth;
  const { shards, sends } = schedulerCalls(feeds, inputs.feedsPerShard);
  const perShard = feeds / shards;
  const polled = perShard * (inputs.pollsPerFeedPerDay / ((24 * 60) / a.tickMinutes));
  const changed = polled * inputs.changedShareOfPolls;
  // Share of worker runs with at least one feed that found new items: one items object each.
  const objectShare = 1 - (1 - inputs.changedShareOfPolls) ** polled;
  const runs = ticks * shards;
  const objects = runs * objectShare;
  // The classifier's work per items object grows with the items in it.
  const c = inputs.classifier;
  const itemsPerObject = Math.max(
    1,
    (changed / Math.max(objectShare, 1e-9)) * inputs.itemsPerChangedPoll
  );
  const escalationShare = 1 - (1 - c.escalationsPerItem) ** itemsPerObject;
  const classifierGets = c.quietGets + (c.escalationGets - c.quietGets) * escalationShare;
  const classifierPuts = c.putsPerEscalationObject * escalationShare;
  const classifierCpuMs = c.cpuMsPerItem * itemsPerObject;

  const s3Gets = ticks + runs * inputs.shard.gets + objects * classifierGets;
  const s3Puts =
    objects * inputs.shard.putsChanged +
    (runs - objects) * inputs.shard.putsUnchanged +
    objects * classifierPuts;
  const sqsRequests =
    ticks * sends + runs * a.sqsReceiveAndDeletePerMessage + a.sqsIdleRequestsPerMonth;
  const lambdaRequests = ticks + runs + objects;
  const gb = (mb: number) => mb / 1024;
  const schedulerGbS =
    ticks * gb(a.schedulerMemoryMb) * (a.schedulerSecondsPerRun + sends * a.sqsSecondsPerCall);
  const workerGbS = runs * gb(a.workerMemoryMb) * workerSeconds(inputs, polled, changed);
  const classifierGbS =
    objects *
    gb(a.classifierMemoryMb) *
    (cpuSeconds(classifierCpuMs, a.classifierMemoryMb) +
      (classifierGets + classifierPuts) * a.s3LatencySeconds);
  const lambdaGbSeconds = schedulerGbS + workerGbS + classifierGbS;
  const logGb = (lambdaRequests * a.logBytesPerInvocation) / 1024 ** 3;
  // Every run that found something writes its state; the others only when they write at all.
  const statePuts = objects + (runs - objects) * Math.min(1, inputs.shard.putsUnchanged);
  const storedGb =
    (ticks * shards * changed * inputs.bytesPerChangedPoll * (a.itemsRetentionDays / 30) +
      statePuts * perShard * inputs.stateBytesPerFeed * (a.stateVersionDays / 30) +
      (s3Gets + s3Puts) * a.accessLogBytesPerRequest * (a.accessLogRetentionDays / 30)) /
    1024 ** 3;

  const s3 = (s3Gets / 1000) * PRICES.s3GetPer1k + (s3Puts / 1000) * PRICES.s3PutPer1k;
  const sqs = (sqsRequests / 1e6) * PRICES.sqsPer1M;
  const lambda =
    lambdaGbSeconds * PRICES.lambdaGbSecondArm + (lambdaRequests / 1e6) * PRICES.lambdaPer1M;
  const logs = logGb * PRICES.logsIngestPerGb;
  const storage = storedGb * PRICES.s3StorageGbMonth;
  return {
    feeds,
    shards,
    polledPerRun: polled,
    workerSecondsPerRun: workerSeconds(inputs, polled, changed),
    s3Gets,
    s3Puts,
    sqsRequests,
    lambdaRequests,
    lambdaGbSeconds,
    logGb,
    s3,
    sqs,
    lambda,
    logs,
    storage,
    total: s3 + sqs + lambda + logs + storage,
    fixed: inputs.alarms * PRICES.alarmMonth,
  };
};

const usd = (n: number) => (n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);
const num = (n: number) => Math.round(n).toLocaleString('en-US');

export const renderCostTable = (rows: readonly CostRow[]): string =>
  [
    '| Feeds | Shards | Feeds polled per worker run | Worker run (est.) | S3 GET/month | S3 PUT/month | SQS requests | Lambda requests | Lambda GB-s | S3 requests | SQS | Lambda | Logs | Storage | Total/month |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${num(r.feeds)} | ${num(r.shards)} | ${r.polledPerRun.toFixed(0)} | ${r.workerSecondsPerRun.toFixed(1)} s | ${num(r.s3Gets)} | ${num(r.s3Puts)} | ${num(r.sqsRequests)} | ${num(r.lambdaRequests)} | ${num(r.lambdaGbSeconds)} | ${usd(r.s3)} | ${usd(r.sqs)} | ${usd(r.lambda)} | ${usd(r.logs)} | ${usd(r.storage)} | **${usd(r.total)}** |`
    ),
  ].join('\n');

/** One JSON line per size, as `npm run bench -- --only cost --json` prints them. */
export const costJsonLine = (row: CostRow): string =>
  JSON.stringify({
    section: 'cost',
    feeds: row.feeds,
    usdPerMonth: Number(row.total.toFixed(4)),
    s3Requests: Math.round(row.s3Gets + row.s3Puts),
    sqsRequests: Math.round(row.sqsRequests),
    lambdaRequests: Math.round(row.lambdaRequests),
    lambdaGbSeconds: Math.round(row.lambdaGbSeconds),
    shards: row.shards,
    fixedUsdPerMonth: Number(row.fixed.toFixed(2)),
  });

/** SNS is per alert, not per feed: the cost of 100 alerts a month to one email and one US phone. */
export const snsPer100Alerts = (): number =>
  (100 / 1e6) * PRICES.snsPublishPer1M + (100 / 1e5) * PRICES.snsEmailPer100k + 100 * PRICES.smsUs;

/** The sizes the goals name, and the default feed list's size. */
export const FEED_COUNTS = [20, 500, 5_000, 50_000] as const;
export const GOALS_USD: Readonly<Record<number, number>> = { 500: 1, 5000: 8, 50000: 75 };

export interface CostReport {
  readonly inputs: CostInputs;
  readonly rows: CostRow[];
  readonly table: string;
  readonly jsonLines: string[];
}

export const costReport = (inputs: CostInputs): CostReport => {
  const rows = FEED_COUNTS.map((n) => costFor(inputs, n));
  return { inputs, rows, table: renderCostTable(rows), jsonLines: rows.map(costJsonLine) };
};

export { DEFAULT_FEEDS_PER_SHARD };
