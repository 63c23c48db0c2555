import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byPackage } from '../../bench/bundles.ts';
import { naiveMatcher } from '../../bench/classify.ts';
import {
  ASSUMPTIONS,
  type CostInputs,
  costFor,
  costJsonLine,
  hangShare,
  schedulerCalls,
} from '../../bench/cost.ts';
import { generateItems, toJsonLines } from '../../bench/lib/items.ts';
import { prng } from '../../bench/lib/prng.ts';
import { readEntries, realItems } from '../../bench/lib/real-items.ts';
import { renderMarkdown, type SectionResult } from '../../bench/lib/report.ts';
import { REAL_TERMS, ruleSetWithTerms } from '../../bench/lib/rule-sets.ts';
import { type BenchResult, runBench } from '../../bench/run.ts';
import { loadRules } from '../../cli/yaml/rules.ts';
import { classify } from '../../lambdas/core/rules/index.ts';

/** Made-up stand-ins for the real news texts the classify bench reads from ../shared/eval. */
const EVAL_FIXTURES = fileURLToPath(new URL('../fixtures/bench-eval/', import.meta.url));

const inputs: CostInputs = {
  feedsPerShard: 250,
  pollsPerFeedPerDay: 96,
  changedShareOfPolls: 0.2,
  shard: { gets: 2, putsChanged: 2, putsUnchanged: 1 },
  bytesPerChangedPoll: 2_000,
  stateBytesPerFeed: 1_000,
  workerCpuMsPerPolledFeed: 2,
  fetchConcurrency: 32,
  itemsPerChangedPoll: 1.5,
  classifier: {
    quietGets: 3,
    escalationGets: 13,
    putsPerEscalationObject: 1.6,
    escalationsPerItem: 0.1,
    cpuMsPerItem: 0.25,
  },
  alarms: 10,
};

describe('bench inputs', () => {
  it('generates the same items from the same seed, about 1 KB each, with conflict and ordinary news', () => {
    // Prepare / Act
    const a = generateItems(200, 3);
    const b = generateItems(200, 3);
    const lines = toJsonLines(a);

    // Assess
    expect(b).toEqual(a);
    const perItem = Buffer.byteLength(lines) / a.length;
    expect(perItem).toBeGreaterThan(800);
    expect(perItem).toBeLessThan(1400);
    const conflict = a.filter((i) => /kill|strike|shell|fighting|bomb|drone|troops/i.test(i.title));
    expect(conflict.length).toBeGreaterThan(10);
    expect(conflict.length).toBeLessThan(100);
    expect(new Set(a.map((i) => i.id)).size).toBe(a.length);
  });

  it('builds about 1 KB items from the real texts: each headline in turn, ledes filling the rest', () => {
    // Prepare
    const entries = readEntries(EVAL_FIXTURES);

    // Act
    const a = realItems(20, 5, entries);
    const b = realItems(20, 5, entries);

    // Assess: every headline and lede is one of the source texts, in the same items every run
    expect(b).toEqual(a);
    expect(entries).toHaveLength(7);
    const titles = new Set(entries.map((e) => e.title).filter((t) => t !== ''));
    const ledes = entries.map((e) => e.summary).filter((s) => s !== '');
    for (const item of a) {
      expect(titles.has(item.title)).toBe(true);
      let rest = item.summary ?? '';
      while (rest !== '') {
        const lede = ledes.find((l) => rest.startsWith(l));
        expect(lede, rest).toBeDefined();
        rest = rest.slice((lede as string).length).trimStart();
      }
    }
    expect(a[1]?.title).not.toBe('');
    expect(a[4]).toMatchObject({ title: entries[4]?.title, published: '2023-10-06T00:10:00Z' });
    const perItem = Buffer.byteLength(toJsonLines(a)) / a.length;
    expect(perItem).toBeGreaterThan(800);
    expect(perItem).toBeLessThan(1400);
  });

  it('names the missing file when the real texts are not there', () => {
    expect(() => readEntries('/nonexistent/eval')).toThrow(/dev\.jsonl/);
  });

  it('draws numbers from a seeded generator that repeats', () => {
    const first = prng(5);
    const second = prng(5);
    const drawn = Array.from({ length: 5 }, () => first.int(1, 100));
    expect(Array.from({ length: 5 }, () => second.int(1, 100))).toEqual(drawn);
    expect(drawn.every((n) => n >= 1 && n <= 100)).toBe(true);
  });

  it('builds valid rule files with exactly the number of terms asked for', () => {
    // Prepare
    const small = ruleSetWithTerms(100);
    const large = ruleSetWithTerms(2_000);
    const items = generateItems(60, 9);

    // Act
    const smallRules = loadRules(small.text, 'small.yaml');
    const largeRules = loadRules(large.text, 'large.yaml');

    // Assess: the same realistic rules in both, so the same items escalate
    expect(small.terms).toHaveLength(100);
    expect(large.terms).toHaveLength(2_000);
    expect(() => ruleSetWithTerms(REAL_TERMS - 1)).toThrow(/at least/);
    const escalated = (rules: typeof smallRules) =>
      items.filter((item) => classify(item, rules).escalation).map((i) => i.id);
    expect(escalated(smallRules).length).toBeGreaterThan(0);
    expect(escalated(largeRules)).toEqual(escalated(smallRules));
  });

  it('matches terms naively with one RegExp each, stems included', () => {
    const match = naiveMatcher(['air strike~', 'shell~', 'price war', 'nothinglikethis']);
    const hits = match({
      id: 'x',
      title: 'Air strikes and shelling reported',
      summary: 'A price war between supermarkets.',
    });
    expect(hits).toBe(3);
  });
});

describe('cost model', () => {
  it('counts the shards and the scheduler sends from the real split of the feed list', () => {
    expect(schedulerCalls(500, 250)).toEqual({ shards: 2, sends: 1 });
    expect(schedulerCalls(50_000, 250)).toEqual({ shards: 256, sends: 26 });
  });

  it('grows with the feed count and counts every request kind, idle polling included', () => {
    const small = costFor(inputs, 500);
    const large = costFor(inputs, 5_000);
    expect(large.s3Gets).toBeGreaterThan(small.s3Gets * 8);
    expect(large.total).toBeGreaterThan(small.total);
    // The poll queue's idle polling is paid whatever the size
    expect(small.sqsRequests).toBeGreaterThan(ASSUMPTIONS.sqsIdleRequestsPerMonth);
    // Scheduler runs + worker runs + items objects pushed to the classifier
    const ticks = ASSUMPTIONS.ticksPerMonth;
    expect(small.lambdaRequests).toBeGreaterThan(ticks + 2 * ticks);
    expect(small.lambdaRequests).toBeLessThanOrEqual(ticks + 2 * ticks * 2);
    expect(small.total).toBeCloseTo(
      small.s3 + small.sqs + small.lambda + small.logs + small.storage,
      10
    );
    expect(small.fixed).toBeCloseTo(1, 10);
  });

  it('charges fewer polls for a schedule that polls feeds less often', () => {
    const often = costFor({ ...inputs, pollsPerFeedPerDay: 288 }, 5_000);
    const adaptive = costFor(inputs, 5_000);
    expect(adaptive.polledPerRun).toBeLessThan(often.polledPerRun);
    expect(adaptive.lambdaGbSeconds).toBeLessThan(often.lambdaGbSeconds);
  });

  it('counts hanging feeds at the backed-off rate', () => {
    expect(hangShare(24)).toBeCloseTo((0.02 * 24 + 0.98 * 24 * 0.002) / 24, 10);
    expect(hangShare(288)).toBeLessThan(hangShare(24));
  });

  it('prints the JSON line the contract names', () => {
    const line = JSON.parse(costJsonLine(costFor(inputs, 500)));
    expect(line).toMatchObject({ section: 'cost', feeds: 500 });
    for (const key of ['usdPerMonth', 's3Requests', 'sqsRequests', 'lambdaGbSeconds']) {
      expect(typeof line[key], key).toBe('number');
    }
  });
});

describe('bench report', () => {
  it('renders checks as a Markdown table with the verdicts', () => {
    const sections: SectionResult[] = [
      {
        name: 'classify',
        checks: [
          {
            section: 'classify',
            name: 'items/s',
            value: 25_000,
            unit: 'items/s',
            baseline: { name: 'floor', value: 50_000, unit: 'items/s' },
            ratio: 2,
            goal: '<= 3x',
            pass: true,
          },
        ],
        notes: [],
        details: {},
      },
      { name: 'bundles', checks: [], notes: [], details: {}, error: 'build failed' },
    ];
    const table = renderMarkdown(sections);
    expect(table).toContain(
      '| classify | items/s | 25,000 items/s | floor: 50,000 items/s | 2.00x | <= 3x | PASS |'
    );
    expect(table).toContain('| bundles | (did not run) | build failed | | | | FAIL |');
  });

  it('groups bundle bytes by package', () => {
    expect(
      byPackage({
        'node_modules/iconv-lite/encodings/a.js': { bytesInOutput: 10 },
        'node_modules/iconv-lite/lib/b.js': { bytesInOutput: 5 },
        'node_modules/@aws-lambda-powertools/logger/x.js': { bytesInOutput: 7 },
        'lambdas/core/feeds/feed.ts': { bytesInOutput: 3 },
      })
    ).toEqual([
      ['iconv-lite', 15],
      ['@aws-lambda-powertools/logger', 7],
      ['(project)', 3],
    ]);
  });
});

describe('npm run bench --quick', () => {
  let workDir: string;
  let result: BenchResult;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'newsalert-bench-'));
    result = await runBench({
      quick: true,
      only: ['classify', 'poll', 'bundles', 'cost'],
      workDir,
      evalDir: EVAL_FIXTURES,
      log: () => {},
    });
  }, 120_000);

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('runs every section and measures a finite figure for every check', () => {
    expect(result.sections.map((s) => s.name)).toEqual(['classify', 'poll', 'bundles', 'cost']);
    for (const section of result.sections) {
      expect(section.error, section.name).toBeUndefined();
      expect(section.checks.length, section.name).toBeGreaterThan(0);
      for (const check of section.checks) {
        expect(Number.isFinite(check.value), `${section.name}: ${check.name}`).toBe(true);
        if (check.ratio !== undefined) expect(check.ratio).toBeGreaterThan(0);
      }
    }
  });

  it('times the whole classify process against the floor, and both rule-set sizes', () => {
    const classifySection = result.sections.find((s) => s.name === 'classify');
    const names = classifySection?.checks.map((c) => c.name).join('\n') ?? '';
    expect(names).toMatch(/newsalert classify, 300 items/);
    expect(names).toMatch(/classify\(\) per item, 2,000 terms vs 100 terms/);
    expect(names).toMatch(/naive matcher/);
  });

  it('proves unchanged feeds are not handed to the parser', () => {
    const poll = result.sections.find((s) => s.name === 'poll');
    const parsed = poll?.checks.find((c) => c.name.startsWith('texts handed to the parser'));
    expect(parsed?.value).toBe(6); // 30% of 20 feeds changed
    expect(parsed?.pass).toBe(true);
  });

  it('writes the JSON summary and a Markdown table with the cost model', async () => {
    const saved = JSON.parse(await readFile(join(workDir, 'results.json'), 'utf8'));
    expect(saved.quick).toBe(true);
    expect(saved.sections).toHaveLength(4);
    expect(saved.markdown).toBe(result.markdown);
    expect(result.markdown.split('\n')[0]).toContain('| Section | Measure | Measured |');
    expect(result.costTable).toMatch(/\| 5,000 \|/);
  });
});
