/**
 * Classify bench: `newsalert classify` as a whole process against a floor process that only
 * parses and writes JSON lines, and classify() in-process with a small and a large rule set,
 * beside a naive one-RegExp-per-term matcher measured the same way.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { textHash } from '../cli/rules-snapshot.ts';
import type { Item } from '../lambdas/core/common/types.ts';
import { echoLine } from './floor-line.mjs';
import { toJsonLines } from './lib/items.ts';
import { readEntries, realItems } from './lib/real-items.ts';
import type { Check, SectionResult } from './lib/report.ts';
import { ruleSetWithTerms } from './lib/rule-sets.ts';
import { median, timeProcess } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What `npx newsalert` runs (node_modules/.bin/newsalert links to it). */
export const NEWSALERT_BIN = join(ROOT, 'bin', 'newsalert.js');
export const FLOOR_SCRIPT = join(ROOT, 'bench', 'floor.mjs');

export interface ClassifyBenchOptions {
  /** Items through the whole process. */
  readonly items: number;
  /** Timed process runs of each kind (median taken). */
  readonly runs: number;
  /** Items classified in-process per round. */
  readonly inProcessItems: number;
  /** Items per round for the naive matcher (it is slow with 2,000 terms). */
  readonly naiveItems: number;
  readonly rounds: number;
  readonly smallTerms: number;
  readonly largeTerms: number;
  readonly workDir: string;
  /** undefined: the CLI's default rules. */
  readonly rulesFile?: string;
  /** The folder of the real news texts the items are built from (undefined: ../shared/eval). */
  readonly evalDir?: string;
  readonly goals: {
    readonly itemsPerSecond: number;
    readonly floorRatio: number;
    readonly growth: number;
  };
}

const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
};

export interface ProcessMeasures {
  readonly items: number;
  readonly inputBytes: number;
  /** The issue's floor: parse each line and write the same item back. */
  readonly floorMs: number[];
  /** A stricter floor: parse each line and write a short result-shaped line. */
  readonly strictFloorMs: number[];
  readonly cliMs: number[];
  readonly floorStartMs: number;
  readonly cliStartMs: number;
  readonly cliOutputBytesPerLine: number;
  readonly floorOutputBytesPerLine: number;
  readonly strictFloorOutputBytesPerLine: number;
  readonly escalations: number;
}

/**
 * True when the command would run as `npm ci` installs it: the bundle in dist/cli newer than its
 * sources (else bin/newsalert.js runs them through tsx) and the JSON copy of the default rules
 * made from config/rules.yaml as it is (else the YAML file is parsed at start-up).
 */
const cliBuildIsCurrent = (): boolean => {
  try {
    const at = (path: string) => join(ROOT, path);
    const inputs = JSON.parse(readFileSync(at('dist/cli/inputs.json'), 'utf8')) as [
      string,
      number,
    ][];
    const meta = JSON.parse(readFileSync(at('dist/cli/default-rules.meta.json'), 'utf8')) as {
      sha1: string;
    };
    return (
      inputs.every(([path, mtime]) => statSync(at(path)).mtimeMs <= mtime) &&
      textHash(readFileSync(at('config/rules.yaml'), 'utf8')) === meta.sha1
    );
  } catch {
    return false;
  }
};

/** Whole-process runs, interleaved so that drifting machine load hits both sides alike. */
export const measureProcesses = async (options: ClassifyBenchOptions): Promise<ProcessMeasures> => {
  // Measure the installed command, not the fallback for edited sources.
  if (!cliBuildIsCurrent()) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  const input = join(options.workDir, `items-${options.items}.jsonl`);
  const lines = toJsonLines(realItems(options.items, 7, readEntries(options.evalDir)));
  await writeFile(input, lines);
  const floorOut = join(options.workDir, 'floor-out.jsonl');
  const strictFloorOut = join(options.workDir, 'strict-floor-out.jsonl');
  const cliOut = join(options.workDir, 'classify-out.jsonl');
  const cliArgs = [
    NEWSALERT_BIN,
    'classify',
    ...(options.rulesFile ? ['--rules', options.rulesFile] : []),
  ];
  const run = async (args: string[], stdinFile: string, stdoutFile: string) => {
    const result = await timeProcess(process.execPath, args, { stdinFile, stdoutFile, cwd: ROOT });
    if (result.code !== 0) {
      throw new Error(
        `${args.join(' ')} exited with ${result.code}: ${result.stderr.slice(0, 500)}`
      );
    }
    return result.ms;
  };
  const floorStartMs = await run([FLOOR_SCRIPT], '/dev/null', floorOut);
  const cliStartMs = await run(cliArgs, '/dev/null', cliOut);
  const floorMs: number[] = [];
  const strictFloorMs: number[] = [];
  const cliMs: number[] = [];
  for (let i = 0; i < options.runs; i += 1) {
    floorMs.push(await run([FLOOR_SCRIPT], input, floorOut));
    strictFloorMs.push(await run([FLOOR_SCRIPT, 'result'], input, strictFloorOut));
    cliMs.push(await run(cliArgs, input, cliOut));
  }
  const cliText = await readFile(cliOut, 'utf8');
  const floorText = await readFile(floorOut, 'utf8');
  const strictFloorText = await readFile(strictFloorOut, 'utf8');
  const cliLines = countLines(cliText);
  if (cliLines !== options.items || countLines(floorText) !== options.items) {
    throw new Error(
      `expected ${options.items} output lines, got ${cliLines} from classify and ${countLines(floorText)} from the floor`
    );
  }
  let escalations = 0;
  for (const line of cliText.split('\n')) if (line.includes('"escalation":true')) escalations += 1;
  return {
    items: options.items,
    inputBytes: Buffer.byteLength(lines),
    floorMs,
    strictFloorMs,
    cliMs,
    floorStartMs,
    cliStartMs,
    cliOutputBytesPerLine: Buffer.byteLength(cliText) / cliLines,
    floorOutputBytesPerLine: Buffer.byteLength(floorText) / options.items,
    strictFloorOutputBytesPerLine: Buffer.byteLength(strictFloorText) / options.items,
    escalations,
  };
};

/** A naive matcher: one case-insensitive RegExp per term, tried on every field. */
export const naiveMatcher = (terms: readonly string[]) => {
  const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = terms.map(
    (term) =>
      new RegExp(
        `\\b${term
          .split(' ')
          .map((w) =>
            w === '<num>' || w === '<year>'
              ? '\\d+'
              : w.endsWith('~')
                ? `${escapeRe(w.slice(0, -1))}\\w*`
                : escapeRe(w)
          )
          .join('\\s+')}\\b`,
        'i'
      )
  );
  return (item: Item): number => {
    let hits = 0;
    for (const re of patterns) {
      if (re.test(item.title) || re.test(item.summary ?? '') || re.test(item.content ?? '')) {
        hits += 1;
      }
    }
    return hits;
  };
};

export interface ScalingMeasures {
  readonly smallMsPerItem: number;
  readonly largeMsPerItem: number;
  readonly naiveSmallMsPerItem: number;
  readonly naiveLargeMsPerItem: number;
  readonly smallEscalations: number;
  readonly largeEscalations: number;
  /** In-process, per JSON line: parse, classify with the default rules, stringify the result. */
  readonly defaultLineMs: number;
  /** In-process floor per JSON line: parse, stringify the same item. */
  readonly floorLineMs: number;
  /** loadRules() of the default rule file, first call in this process (parse + compile). */
  readonly defaultRulesLoadMs: number;
}

/** Median ms per item over `rounds` rounds of `fn` over `items`, after one warm-up round. */
const perItem = <T>(items: readonly T[], rounds: number, fns: Array<(item: T) => unknown>) => {
  const times: number[][] = fns.map(() => []);
  for (const fn of fns) for (const item of items) fn(item);
  for (let round = 0; round < rounds; round += 1) {
    fns.forEach((fn, k) => {
      const started = performance.now();
      for (const item of items) fn(item);
      times[k]?.push((performance.now() - started) / items.length);
    });
  }
  return times.map((t) => median(t));
};

export const measureScaling = async (options: ClassifyBenchOptions): Promise<ScalingMeasures> => {
  const { classify } = await import('../lambdas/core/rules/index.ts');
  const { loadRules } = await import('../cli/yaml/rules.ts');
  const small = ruleSetWithTerms(options.smallTerms);
  const large = ruleSetWithTerms(options.largeTerms);
  const smallRules = loadRules(small.text, `bench-${options.smallTerms}.yaml`);
  const largeRules = loadRules(large.text, `bench-${options.largeTerms}.yaml`);
  const items = realItems(options.inProcessItems, 13, readEntries(options.evalDir));
  const escalations = (rules: typeof smallRules) =>
    items.filter((item) => classify(item, rules).escalation).length;
  const [smallMsPerItem = 0, largeMsPerItem = 0] = perItem(items, options.rounds, [
    (item) => classify(item, smallRules),
    (item) => classify(item, largeRules),
  ]);
  // The default rules from their JSON copy in dist/cli while it is current, compiled here (the
  // installed CLI restores their stored matcher instead: see the start-up row).
  const defaultFile = options.rulesFile ?? join(ROOT, 'config', 'rules.yaml');
  const defaultText =
    options.rulesFile === undefined && cliBuildIsCurrent()
      ? await readFile(join(ROOT, 'dist', 'cli', 'default-rules.json'), 'utf8')
      : await readFile(defaultFile, 'utf8');
  const loadStarted = performance.now();
  const defaultRules = loadRules(defaultText, defaultFile);
  const defaultRulesLoadMs = performance.now() - loadStarted;
  const lines = items.map((item) => JSON.stringify(item));
  const [defaultLineMs = 0, floorLineMs = 0] = perItem(lines, options.rounds, [
    (line) => JSON.stringify(classify(JSON.parse(line), defaultRules)),
    echoLine,
  ]);
  const naiveItems = items.slice(0, options.naiveItems);
  const [naiveSmallMsPerItem = 0, naiveLargeMsPerItem = 0] = perItem(
    naiveItems,
    Math.max(1, Math.ceil(options.rounds / 2)),
    [naiveMatcher(small.terms), naiveMatcher(large.terms)]
  );
  return {
    smallMsPerItem,
    largeMsPerItem,
    naiveSmallMsPerItem,
    naiveLargeMsPerItem,
    defaultLineMs,
    floorLineMs,
    defaultRulesLoadMs,
    smallEscalations: escalations(smallRules),
    largeEscalations: escalations(largeRules),
  };
};

export const classifySection = (
  options: ClassifyBenchOptions,
  proc: ProcessMeasures | Error,
  scaling: ScalingMeasures | Error
): SectionResult => {
  const checks: Check[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  if (proc instanceof Error) {
    notes.push(`whole-process run failed: ${proc.message}`);
  } else {
    const floor = median(proc.floorMs);
    const strict = median(proc.strictFloorMs);
    const cli = median(proc.cliMs);
    const rate = (proc.items / cli) * 1000;
    const floorRate = (proc.items / floor) * 1000;
    checks.push(
      {
        section: 'classify',
        name: `newsalert classify, ${proc.items.toLocaleString('en-US')} items of ${Math.round(proc.inputBytes / proc.items)} B, whole process (median of ${proc.cliMs.length})`,
        value: rate,
        unit: 'items/s',
        baseline: {
          name: 'floor (parse each line, write it back)',
          value: floorRate,
          unit: 'items/s',
        },
        ratio: cli / floor,
        goal: `>= ${options.goals.itemsPerSecond.toLocaleString('en-US')} items/s and <= ${options.goals.floorRatio}x floor time`,
        pass: rate >= options.goals.itemsPerSecond && cli / floor <= options.goals.floorRatio,
      },
      {
        section: 'classify',
        name: 'the same runs against a stricter floor (parse, write a short result-shaped line)',
        value: rate,
        unit: 'items/s',
        baseline: { name: 'stricter floor', value: (proc.items / strict) * 1000, unit: 'items/s' },
        ratio: cli / strict,
      },
      {
        section: 'classify',
        name: 'process start-up with no input (newsalert classify)',
        value: proc.cliStartMs,
        unit: 'ms',
        baseline: { name: 'floor start-up', value: proc.floorStartMs, unit: 'ms' },
        ratio: proc.cliStartMs / proc.floorStartMs,
      }
    );
    notes.push(
      `output ${proc.cliOutputBytesPerLine.toFixed(0)} B/line (floor ${proc.floorOutputBytesPerLine.toFixed(0)} B/line, stricter floor ${proc.strictFloorOutputBytesPerLine.toFixed(0)} B/line); ${proc.escalations} of ${proc.items} items escalated with the default rules`
    );
    details.process = { ...proc, floorMedianMs: floor, cliMedianMs: cli, itemsPerSecond: rate };
  }
  if (scaling instanceof Error) {
    notes.push(`in-process scaling not measured: ${scaling.message}`);
  } else {
    const growth = scaling.largeMsPerItem / scaling.smallMsPerItem;
    checks.push({
      section: 'classify',
      name: 'in-process, no start-up: parse + classify() with the default rules + stringify, per line',
      value: 1000 / scaling.defaultLineMs,
      unit: 'items/s',
      baseline: {
        name: 'parse + stringify the item only',
        value: 1000 / scaling.floorLineMs,
        unit: 'items/s',
      },
      ratio: scaling.defaultLineMs / scaling.floorLineMs,
    });
    notes.push(
      `loading the default rules (parse + compile) took ${scaling.defaultRulesLoadMs.toFixed(0)} ms in-process (after the small and large sets warmed the loader); the installed CLI restores the stored matcher instead`
    );
    const naiveGrowth = scaling.naiveLargeMsPerItem / scaling.naiveSmallMsPerItem;
    checks.push(
      {
        section: 'classify',
        name: `classify() per item, ${options.largeTerms.toLocaleString('en-US')} terms vs ${options.smallTerms} terms`,
        value: scaling.largeMsPerItem * 1000,
        unit: 'us',
        baseline: {
          name: `${options.smallTerms} terms`,
          value: scaling.smallMsPerItem * 1000,
          unit: 'us',
        },
        ratio: growth,
        goal: `<= ${options.goals.growth}x`,
        pass: growth <= options.goals.growth,
      },
      {
        section: 'classify',
        name: `naive matcher (one /\\bterm\\b/i per term) per item, ${options.largeTerms.toLocaleString('en-US')} vs ${options.smallTerms} terms`,
        value: scaling.naiveLargeMsPerItem * 1000,
        unit: 'us',
        baseline: {
          name: `${options.smallTerms} terms`,
          value: scaling.naiveSmallMsPerItem * 1000,
          unit: 'us',
        },
        ratio: naiveGrowth,
      }
    );
    notes.push(
      `classify() with ${options.largeTerms} terms is ${(scaling.naiveLargeMsPerItem / scaling.largeMsPerItem).toFixed(1)}x faster than the naive matcher; escalations ${scaling.smallEscalations} (${options.smallTerms} terms) vs ${scaling.largeEscalations} (${options.largeTerms} terms) of ${options.inProcessItems} items (the extra terms are made-up words)`
    );
    details.scaling = { ...scaling, growth, naiveGrowth };
  }
  return { name: 'classify', checks, notes, details };
};
