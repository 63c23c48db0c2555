/**
 * Cost model: monthly AWS cost for N feeds at the poll schedule, from the request counts the
 * poll bench measured (per changed and per unchanged feed, per items object) and the durations
 * it measured, with list prices and every modelling assumption named here.
 */
import { median } from './lib/stats.ts';
import type { PollMeasures } from './poll.ts';

/**
 * us-east-1 list prices, on-demand, without free tiers. Date: as given in the project brief
 * (issue 7) on 2026-11-22, matching the AWS public price pages below as last seen (2025); they
 * were not re-fetched from this machine (no network), so check them before quoting.
 *   S3 Standard: https://aws.amazon.com/s3/pricing/  (PUT/COPY/POST/LIST $0.005 per 1,000;
 *     GET $0.0004 per 1,000; storage $0.023 per GB-month for the first 50 TB)
 *   Lambda arm64: https://aws.amazon.com/lambda/pricing/  ($0.0000133334 per GB-s, first
 *     7.5 billion GB-s a month; $0.20 per 1M requests. Always-free: 1M requests, 400,000 GB-s)
 *   SQS standard: https://aws.amazon.com/sqs/pricing/  ($0.40 per 1M requests, 64 KB chunks;
 *     always-free 1M requests)
 *   SNS: https://aws.amazon.com/sns/pricing/  (publishes $0.50 per 1M; email $2.00 per 100,000;
 *     SMS priced per message and country by AWS End User Messaging, US about $0.00581 plus
 *     carrier fees)
 *   EventBridge: scheduled rules are free; EventBridge Scheduler has 14M free invocations a month.
 */
export const PRICES = {
  date: '2026-11-22 (brief; AWS price pages as of 2025, not re-fetched)',
  s3PutPer1k: 0.005,
  s3GetPer1k: 0.0004,
  s3StorageGbMonth: 0.023,
  lambdaGbSecondArm: 0.0000133334,
  lambdaPer1M: 0.2,
  sqsPer1M: 0.4,
  snsPublishPer1M: 0.5,
  snsEmailPer100k: 2.0,
  smsUs: 0.00581,
} as const;

/** Modelling assumptions, each stated where it is used. */
export const ASSUMPTIONS = {
  /** Schedule (config default `rate(5 minutes)`, lib/config.ts): polls in a 30-day month. */
  pollsPerMonth: (30 * 24 * 60) / 5,
  scheduleSeconds: 5 * 60,
  /**
   * Poller timeout configured in lib/constructs/feed-poller.ts (the poll interval less 30 s,
   * 1 to 5 minutes: 270 s at the default 5 minutes), and Lambda's hard maximum.
   */
  pollerTimeoutSeconds: 270,
  lambdaMaxSeconds: 900,
  /** Memory configured for both functions (lib/constructs/*.ts). */
  memoryMb: 512,
  /** SQS event source batch size (lib/constructs/item-classifier.ts). */
  batchSize: 10,
  /** Lambda CPU share scales with memory: 1,769 MB = one vCPU; the bench measured on one core. */
  vcpuMb: 1769,
  /** Median internet feed response time (the bench's loopback latency is 50 ms). */
  internetLatencySeconds: 0.3,
  /** Share of feeds that hang until the fetcher's 15 s timeout on a given poll. */
  slowShare: 0.02,
  slowSeconds: 15,
  /** S3 request latency from Lambda, per request (the bench's store is the local disk). */
  s3LatencySeconds: 0.02,
  /**
   * SQS requests per items object: the S3 notification's SendMessage, and a share of the event
   * source's ReceiveMessage and DeleteMessageBatch (one each per batch).
   */
  sqsPerObject: (batch: number) => 1 + 2 / batch,
  /** The event source's idle long polling: about 5 pollers x 3 receives a minute, all month. */
  sqsIdleRequestsPerMonth: 5 * 3 * 60 * 24 * 30,
} as const;

export interface PerPoll {
  /** Share of feeds that changed between polls (the bench's scenario). */
  readonly changedShare: number;
  readonly getsPerFeed: number;
  readonly listsPerFeed: number;
  readonly putsPerChangedFeed: number;
  readonly putsPerUnchangedFeed: number;
  readonly objectsPerChangedFeed: number;
  readonly bytesPutPerChangedFeed: number;
  /** Classifier store requests per items object, plus the config/rules.json read per invocation. */
  readonly classifierGetsPerObject: number;
  readonly classifierPutsPerObject: number;
  /** CPU ms per items object, measured in-process. */
  readonly classifierMsPerObject: number;
  /** Poller CPU ms per feed beyond waiting on the network (measured minus the network floor). */
  readonly pollerCpuMsPerFeed: number;
  readonly concurrency: number;
}

/** The per-poll request rates the poll bench measured. */
export const perPollFrom = (m: PollMeasures): PerPoll => {
  const { second, classify } = m;
  const unchanged = second.status.unchanged;
  const changed = second.status.ok;
  const objects = Math.max(1, classify.objects || second.writes.items);
  const changedPuts = second.store.put - second.writes.forUnchangedFeeds;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    changedShare: changed / m.feeds,
    // +1: the handler reads config/feeds.json once per run (spread over the feeds).
    getsPerFeed: (second.store.get + 1) / m.feeds,
    listsPerFeed: second.store.list / m.feeds,
    putsPerChangedFeed: changedPuts / Math.max(1, changed),
    putsPerUnchangedFeed: second.writes.forUnchangedFeeds / Math.max(1, unchanged),
    objectsPerChangedFeed: second.writes.items / Math.max(1, changed),
    bytesPutPerChangedFeed: second.putBytes / Math.max(1, changed),
    classifierGetsPerObject: classify.store.get / objects + 1 / ASSUMPTIONS.batchSize, // + config/rules.json per invocation
    classifierPutsPerObject: classify.store.put / objects,
    classifierMsPerObject: mean(classify.durations),
    pollerCpuMsPerFeed: Math.max(0, median(m.secondMs) - median(m.baselineMs)) / m.feeds,
    concurrency: m.concurrency,
  };
};

export interface CostRow {
  readonly feeds: number;
  readonly s3Gets: number;
  readonly s3Puts: number;
  readonly sqsRequests: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly pollerSecondsPerRun: number;
  readonly s3: number;
  readonly sqs: number;
  readonly lambda: number;
  readonly storage: number;
  readonly total: number;
}

/** Seconds one poller run takes for `feeds` feeds on Lambda, under the assumptions above. */
export const pollerSeconds = (p: PerPoll, feeds: number): number => {
  const a = ASSUMPTIONS;
  const latency = (1 - a.slowShare) * a.internetLatencySeconds + a.slowShare * a.slowSeconds;
  // Per feed: a GET and a PUT or two of state/items, in sequence within the feed's slot.
  const s3 =
    (p.getsPerFeed +
      p.changedShare * p.putsPerChangedFeed +
      (1 - p.changedShare) * p.putsPerUnchangedFeed) *
    a.s3LatencySeconds;
  const network = (feeds / p.concurrency) * (latency + s3);
  // CPU does not overlap across feeds on Lambda's fraction of a core.
  const cpu = (feeds * p.pollerCpuMsPerFeed * (a.vcpuMb / a.memoryMb)) / 1000;
  return network + cpu;
};

export const costFor = (p: PerPoll, feeds: number): CostRow => {
  const a = ASSUMPTIONS;
  const polls = a.pollsPerMonth;
  const changed = feeds * p.changedShare;
  const unchanged = feeds - changed;
  const objects = changed * p.objectsPerChangedFeed;
  const pollerS3Gets = feeds * p.getsPerFeed;
  const pollerS3Puts =
    changed * p.putsPerChangedFeed + unchanged * p.putsPerUnchangedFeed + feeds * p.listsPerFeed;
  const s3Gets = polls * (pollerS3Gets + objects * p.classifierGetsPerObject);
  const s3Puts = polls * (pollerS3Puts + objects * p.classifierPutsPerObject);
  const invocations = Math.ceil(objects / a.batchSize);
  const sqsRequests = polls * objects * a.sqsPerObject(a.batchSize) + a.sqsIdleRequestsPerMonth;
  const gb = a.memoryMb / 1024;
  const pollerRun = pollerSeconds(p, feeds);
  const classifierObjectSeconds =
    (p.classifierMsPerObject * (a.vcpuMb / a.memoryMb)) / 1000 +
    (p.classifierGetsPerObject + p.classifierPutsPerObject) * a.s3LatencySeconds;
  const lambdaGbSeconds = polls * gb * (pollerRun + objects * classifierObjectSeconds);
  const lambdaRequests = polls * (1 + invocations);
  // items/ objects kept for a month (lifecycle expires them; state/ is small).
  const storedGb = (polls * changed * p.bytesPutPerChangedFeed) / 1024 ** 3;
  const s3 = (s3Gets / 1000) * PRICES.s3GetPer1k + (s3Puts / 1000) * PRICES.s3PutPer1k;
  const sqs = (sqsRequests / 1e6) * PRICES.sqsPer1M;
  const lambda =
    lambdaGbSeconds * PRICES.lambdaGbSecondArm + (lambdaRequests / 1e6) * PRICES.lambdaPer1M;
  const storage = storedGb * PRICES.s3StorageGbMonth;
  return {
    feeds,
    s3Gets,
    s3Puts,
    sqsRequests,
    lambdaRequests,
    lambdaGbSeconds,
    pollerSecondsPerRun: pollerRun,
    s3,
    sqs,
    lambda,
    storage,
    total: s3 + sqs + lambda + storage,
  };
};

/** The largest feed count one poller run handles within `seconds`. */
export const feedsWithin = (p: PerPoll, seconds: number): number => {
  let lo = 1;
  let hi = 1_000_000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pollerSeconds(p, mid) <= seconds) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

const usd = (n: number) => (n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);
const num = (n: number) => Math.round(n).toLocaleString('en-US');

export const renderCostTable = (rows: readonly CostRow[]): string =>
  [
    '| Feeds | S3 GET/month | S3 PUT/month | SQS requests | Lambda requests | Lambda GB-s | Poller run (est.) | S3 requests | SQS | Lambda | items/ storage | Total/month |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${num(r.feeds)} | ${num(r.s3Gets)} | ${num(r.s3Puts)} | ${num(r.sqsRequests)} | ${num(r.lambdaRequests)} | ${num(r.lambdaGbSeconds)} | ${r.pollerSecondsPerRun.toFixed(1)} s | ${usd(r.s3)} | ${usd(r.sqs)} | ${usd(r.lambda)} | ${usd(r.storage)} | **${usd(r.total)}** |`
    ),
  ].join('\n');

/** SNS is per alert, not per feed: the cost of 100 alerts a month to one email and one US phone. */
export const snsPer100Alerts = (): number =>
  (100 / 1e6) * PRICES.snsPublishPer1M + (100 / 1e5) * PRICES.snsEmailPer100k + 100 * PRICES.smsUs;

export const FEED_COUNTS = [20, 100, 500, 5000] as const;

export interface CostReport {
  readonly perPoll: PerPoll;
  readonly rows: CostRow[];
  /** The same with no write for unchanged feeds, when the poller does write them. */
  readonly rowsWithoutUnchangedWrites?: CostRow[];
  readonly reach: {
    readonly timeout: number;
    readonly schedule: number;
    readonly lambdaMax: number;
  };
  readonly table: string;
}

export const costReport = (m: PollMeasures): CostReport => {
  const perPoll = perPollFrom(m);
  const rows = FEED_COUNTS.map((n) => costFor(perPoll, n));
  const ideal = { ...perPoll, putsPerUnchangedFeed: 0 };
  return {
    perPoll,
    rows,
    ...(perPoll.putsPerUnchangedFeed > 0
      ? { rowsWithoutUnchangedWrites: FEED_COUNTS.map((n) => costFor(ideal, n)) }
      : {}),
    reach: {
      timeout: feedsWithin(perPoll, ASSUMPTIONS.pollerTimeoutSeconds),
      schedule: feedsWithin(perPoll, ASSUMPTIONS.scheduleSeconds),
      lambdaMax: feedsWithin(perPoll, ASSUMPTIONS.lambdaMaxSeconds),
    },
    table: renderCostTable(rows),
  };
};
