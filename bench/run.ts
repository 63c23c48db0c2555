/**
 * `npm run bench`: measures classify, poll, the Lambda bundles and the cost model in one run,
 * each figure beside a baseline measured in the same run, and prints PASS/FAIL against the
 * goals in GOALS below. Writes .bench/results.json and ends with a Markdown table for the README.
 *
 *   npm run bench                      # the full run (about 2-3 minutes on 2 cores)
 *   npm run bench -- --quick           # tiny sizes: proves the bench works, not the speed
 *   npm run bench -- --only classify,poll
 *   npm run bench -- --strict          # exit 1 when a goal fails
 *   npm run bench -- --only feeds --corpus DIR   # how much of a folder of feed files parses
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleSection, measureBundles } from './bundles.ts';
import { classifySection, measureProcesses, measureScaling } from './classify.ts';
import { costSection } from './cost-section.ts';
import { feedsSection, measureFeeds } from './feeds.ts';
import { type LatencyMeasures, latencySection, measureLatency } from './latency.ts';
import { EVAL_DIR } from './lib/real-items.ts';
import { renderMarkdown, renderSection, type SectionResult } from './lib/report.ts';
import { measurePoll, type PollMeasures, pollSection } from './poll.ts';
import { measureStreamCost } from './stream-cost.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const SECTIONS = ['classify', 'poll', 'bundles', 'cost', 'latency', 'feeds'] as const;
export type SectionName = (typeof SECTIONS)[number];

/** The numbers the product must reach: what PASS and FAIL are measured against. */
export const GOALS = {
  itemsPerSecond: 20_000,
  floorRatio: 3,
  growth: 1.5,
  pollWallMs: 5_000,
  rssMb: 256,
  bundleBytes: 1024 * 1024,
  loadRatio: 2.5,
  feedsParsedPercent: 98,
} as const;

export interface BenchOptions {
  readonly quick: boolean;
  readonly only: readonly SectionName[];
  readonly workDir: string;
  /** The folder of feed files the feeds section reads (it runs only with one). */
  readonly corpus?: string;
  /** The folder of real news texts the classify items are built from (undefined: ../shared/eval). */
  readonly evalDir?: string;
  /** Progress lines; the report itself is returned. */
  readonly log: (line: string) => void;
}

export interface BenchResult {
  readonly sections: SectionResult[];
  readonly markdown: string;
  readonly costTable?: string;
  /** One JSON line per feed count of the cost table (`--json`). */
  readonly costJson?: string[];
  readonly summary: Record<string, unknown>;
}

const failed = (name: string, err: unknown): SectionResult => ({
  name,
  checks: [],
  notes: [],
  details: {},
  error: err instanceof Error ? err.message : String(err),
});

const attempt = async <T>(work: () => Promise<T>): Promise<T | Error> => {
  try {
    return await work();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
};

export const runBench = async (options: BenchOptions): Promise<BenchResult> => {
  const { quick, workDir, log } = options;
  await mkdir(workDir, { recursive: true });
  const sections: SectionResult[] = [];
  const wants = (s: SectionName) => options.only.includes(s);
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;

  if (wants('classify')) {
    const o = {
      items: quick ? 300 : 50_000,
      runs: quick ? 1 : 3,
      inProcessItems: quick ? 40 : 2_000,
      naiveItems: quick ? 10 : 300,
      rounds: quick ? 1 : 5,
      smallTerms: 100,
      largeTerms: 2_000,
      workDir,
      ...(options.evalDir ? { evalDir: options.evalDir } : {}),
      goals: {
        itemsPerSecond: GOALS.itemsPerSecond,
        floorRatio: GOALS.floorRatio,
        growth: GOALS.growth,
      },
    };
    log(
      `classify: ${o.items} items through newsalert classify and the floor, ${o.runs} run(s) each...`
    );
    const proc = await attempt(() => measureProcesses(o));
    log('classify: in-process rule-set scaling...');
    const scaling = await attempt(() => measureScaling(o));
    sections.push(classifySection(o, proc, scaling));
  }

  let poll: PollMeasures | undefined;
  if (wants('poll') || wants('cost')) {
    const o = {
      feeds: quick ? 20 : 500,
      itemsPerFeed: quick ? 5 : 20,
      changedShare: 0.3,
      newPerChange: 2,
      latencyMs: quick ? 5 : 50,
      changedPolls: quick ? 1 : 3,
      workDir,
      rulesFile: join(ROOT, 'config', 'rules.yaml'),
      goals: { wallMs: GOALS.pollWallMs, rssMb: GOALS.rssMb },
    };
    log(
      `poll: ${o.feeds} feeds, ${o.latencyMs} ms latency, 1 + ${o.changedPolls} polls in a child process...`
    );
    const measured = await attempt(() => measurePoll(o));
    if (measured instanceof Error) {
      sections.push(failed('poll', measured));
    } else {
      poll = measured;
      if (wants('poll')) sections.push(pollSection(measured, o));
    }
  }

  if (wants('bundles')) {
    const o = {
      workDir,
      runs: quick ? 1 : 7,
      goals: { bytes: GOALS.bundleBytes, loadRatio: GOALS.loadRatio },
    };
    log('bundles: esbuild as NodejsFunction, then module load times...');
    const measured = await attempt(() => measureBundles(o));
    sections.push(
      measured instanceof Error ? failed('bundles', measured) : bundleSection(measured, o)
    );
  }

  let latency: LatencyMeasures | undefined;
  if (wants('latency') || wants('cost')) {
    const o = { feeds: quick ? 100 : 500, days: 7, seed: 7 };
    log(`latency: ${o.feeds} feeds of the mix, ${o.days} simulated days of adaptive polling...`);
    const measured = await attempt(async () => measureLatency(o));
    if (measured instanceof Error) {
      if (wants('latency')) sections.push(failed('latency', measured));
    } else {
      latency = measured;
      if (wants('latency')) sections.push(latencySection(measured));
    }
  }

  let costTable: string | undefined;
  let costJson: string[] | undefined;
  if (wants('cost')) {
    const o = {
      file: join(options.evalDir ?? EVAL_DIR, 'stream-2023-10.jsonl'),
      rulesFile: join(ROOT, 'config', 'rules.yaml'),
      hours: quick ? 12 : 24 * 365,
    };
    log(`cost: the classifier's requests on real news, ${o.file} replayed...`);
    const stream = await attempt(() => measureStreamCost(o));
    if (!poll || !latency || stream instanceof Error) {
      sections.push(
        failed(
          'cost',
          stream instanceof Error
            ? stream
            : new Error('needs the poll and latency measurements, which failed')
        )
      );
    } else {
      const { section, report } = costSection(poll, latency, stream);
      sections.push(section);
      costTable = report.table;
      costJson = report.jsonLines;
    }
  }

  if (wants('feeds')) {
    if (!options.corpus) {
      sections.push(failed('feeds', new Error('needs --corpus DIR, a folder of feed files')));
    } else {
      const o = { corpus: options.corpus, goalPercent: GOALS.feedsParsedPercent };
      log(`feeds: every file under ${o.corpus} through readFeed...`);
      const measured = await attempt(() => measureFeeds(o));
      sections.push(
        measured instanceof Error ? failed('feeds', measured) : feedsSection(measured, o)
      );
    }
  }

  const markdown = renderMarkdown(sections);
  const summary = {
    command: `npm run bench${quick ? ' -- --quick' : ''}`,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    quick,
    seconds: (Date.now() - started) / 1000,
    /** 1-minute load average before and after: other work on the machine skews absolute times. */
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
    passed: sections.every((s) => !s.error && s.checks.every((c) => c.pass !== false)),
    sections,
    markdown,
    costTable,
  };
  await writeFile(join(workDir, 'results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return {
    sections,
    markdown,
    ...(costTable ? { costTable } : {}),
    ...(costJson ? { costJson } : {}),
    summary,
  };
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      strict: { type: 'boolean', default: false },
      out: { type: 'string' },
      corpus: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench -- [--quick] [--only classify,poll,bundles,cost,latency,feeds] [--corpus DIR] [--strict] [--out DIR] [--json]'
    );
    return 0;
  }
  // The feeds section needs a corpus: it runs by default only when one is given.
  const only = values.only
    ? values.only.split(',').map((s) => s.trim())
    : SECTIONS.filter((s) => s !== 'feeds' || values.corpus);
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    console.error(`--only: unknown section ${unknown.join(', ')} (use ${SECTIONS.join(', ')})`);
    return 2;
  }
  const workDir = resolve(values.out ?? join(ROOT, '.bench'));
  const loadBefore = loadavg()[0] ?? 0;
  const result = await runBench({
    quick: values.quick ?? false,
    only: only as SectionName[],
    workDir,
    ...(values.corpus ? { corpus: resolve(values.corpus) } : {}),
    log: (line) => console.error(line),
  });
  // With --json the report goes to stderr and stdout holds only the JSON lines.
  const say = values.json
    ? (line: string) => console.error(line)
    : (line: string) => console.log(line);
  for (const section of result.sections) say(renderSection(section));
  say(`\n== Markdown (for the README) ==\n`);
  say(
    `Measured with \`${result.summary.command}\` on ${result.summary.date} (Node ${process.version}, ${cpus().length} cores, load average ${loadBefore.toFixed(1)} at the start):\n`
  );
  say(result.markdown);
  if (result.costTable) say(`\nMonthly cost at the 5-minute schedule:\n\n${result.costTable}`);
  say(`\nJSON summary: ${join(workDir, 'results.json')}`);
  if (values.json) for (const line of result.costJson ?? []) console.log(line);
  const passed = result.summary.passed === true;
  say(passed ? 'all goals met' : 'some goals not met (FAIL above)');
  return values.strict && !passed ? 1 : 0;
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
