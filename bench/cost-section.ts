import { ASSUMPTIONS, type CostReport, costReport, PRICES, snsPer100Alerts } from './cost.ts';
import type { Check, SectionResult } from './lib/report.ts';
import type { PollMeasures } from './poll.ts';

const usd = (n: number) => `$${n.toFixed(2)}`;

export const costSection = (m: PollMeasures): { section: SectionResult; report: CostReport } => {
  const report = costReport(m);
  const { perPoll: p, rows, reach } = report;
  const checks: Check[] = rows.map((row) => ({
    section: 'cost',
    name: `monthly cost, ${row.feeds.toLocaleString('en-US')} feeds every 5 min (S3 requests + SQS + Lambda + items/ storage)`,
    value: row.total,
    unit: 'USD',
    ...(report.rowsWithoutUnchangedWrites
      ? {
          baseline: {
            name: 'same with no write for 304 feeds',
            value: report.rowsWithoutUnchangedWrites.find((r) => r.feeds === row.feeds)?.total ?? 0,
            unit: 'USD',
          },
        }
      : {}),
  }));
  const a = ASSUMPTIONS;
  const notes = [
    `measured per poll: ${p.getsPerFeed.toFixed(2)} S3 GET per feed, ${p.putsPerChangedFeed.toFixed(2)} PUT per changed feed, ${p.putsPerUnchangedFeed.toFixed(2)} PUT per unchanged (304) feed, ${p.objectsPerChangedFeed.toFixed(2)} items object per changed feed; classifier ${p.classifierGetsPerObject.toFixed(2)} GET and ${p.classifierPutsPerObject.toFixed(2)} PUT per items object, ${p.classifierMsPerObject.toFixed(1)} ms CPU per object; poller ${p.pollerCpuMsPerFeed.toFixed(2)} ms CPU per feed`,
    `assumed: ${Math.round(p.changedShare * 100)}% of feeds changed per poll (the bench's scenario; real feeds change less often, which lowers items/SQS/classifier counts only), internet feed latency ${a.internetLatencySeconds} s with ${a.slowShare * 100}% of feeds hanging to the ${a.slowSeconds} s timeout, ${a.s3LatencySeconds * 1000} ms per S3 request, ${a.memoryMb} MB functions (${(a.memoryMb / a.vcpuMb).toFixed(2)} vCPU), SQS batch ${a.batchSize}, event-source idle polling ${a.sqsIdleRequestsPerMonth.toLocaleString('en-US')} SQS requests a month; no free tiers`,
    `prices (us-east-1, ${PRICES.date}): S3 PUT $${PRICES.s3PutPer1k}/1k, GET $${PRICES.s3GetPer1k}/1k, storage $${PRICES.s3StorageGbMonth}/GB-month; Lambda arm64 $${PRICES.lambdaGbSecondArm}/GB-s + $${PRICES.lambdaPer1M}/1M requests; SQS $${PRICES.sqsPer1M}/1M; SNS publish $${PRICES.snsPublishPer1M}/1M, email $${PRICES.snsEmailPer100k}/100k, SMS about $${PRICES.smsUs} each (US); EventBridge schedule free`,
    `SNS is per alert, not per feed: 100 alerts a month to one email and one US phone cost about ${usd(snsPer100Alerts())}, almost all of it SMS`,
    `one poller run reaches about ${reach.timeout.toLocaleString('en-US')} feeds within its configured ${a.pollerTimeoutSeconds} s timeout, ${reach.schedule.toLocaleString('en-US')} within the ${a.scheduleSeconds / 60}-minute schedule and ${reach.lambdaMax.toLocaleString('en-US')} within Lambda's 15-minute maximum (concurrency ${p.concurrency}); past the first figure, fan the feeds out: the scheduled function splits the feed list into batches (e.g. 200 feeds) and sends one SQS message per batch, and a poller function polls one batch per message, so each run stays short and a slow batch is retried alone`,
  ];
  const largest = rows[rows.length - 1];
  if (largest) {
    notes.push(
      `S3 requests are ${Math.round((largest.s3 / largest.total) * 100)}% of the total at ${largest.feeds.toLocaleString('en-US')} feeds: one state object per feed costs a GET and a PUT per feed per poll; keeping the state of a batch of feeds in one object (read once and written once per run, as a fan-out batch would) turns those into per-batch requests`
    );
  }
  if (report.rowsWithoutUnchangedWrites) {
    const big = rows[rows.length - 1];
    const fixed = report.rowsWithoutUnchangedWrites[report.rowsWithoutUnchangedWrites.length - 1];
    if (big && fixed) {
      notes.push(
        `the state/ PUT the poller makes for every 304 feed costs ${usd(big.total - fixed.total)} a month at ${big.feeds.toLocaleString('en-US')} feeds (${Math.round(((big.total - fixed.total) / big.total) * 100)}% of the total)`
      );
    }
  }
  return {
    section: {
      name: 'cost',
      checks,
      notes,
      details: {
        perPoll: p,
        rows,
        rowsWithoutUnchangedWrites: report.rowsWithoutUnchangedWrites,
        reach,
        prices: PRICES,
      },
    },
    report,
  };
};
