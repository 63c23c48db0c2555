/**
 * The feeds section: how much of a corpus of feed files the parser reads. Each file is decoded as
 * the file reader decodes it (decodeFeedBytes, no Content-Type) and handed to readFeed; it counts
 * as parsed when readFeed returns, an empty feed included, and as failed when it throws, grouped
 * by reason (the file's URL taken out). Run on a folder such as feedparser's tests/wellformed:
 *
 *   npm run bench -- --only feeds --corpus /work/corpus/feedparser/wellformed
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeFeedBytes } from '../lambdas/adapters/feed-charset.ts';
import { readFeed } from '../lambdas/core/feeds/parse-feed.ts';
import type { SectionResult } from './lib/report.ts';

export interface FeedsOptions {
  /** A folder of feed files, read recursively. */
  readonly corpus: string;
  /** Share of files that must parse, in percent. */
  readonly goalPercent: number;
}

export interface FeedsMeasures {
  readonly total: number;
  readonly parsed: number;
  readonly ms: number;
  /** Failure reason -> the files (relative to the corpus) that failed with it. */
  readonly failures: ReadonlyMap<string, readonly string[]>;
}

/** Text of JavaScript's own errors: never a reason people should see. */
const JS_ERROR_TEXT = /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b|cannot read propert/i;

const NOW = new Date('2024-11-30T00:00:00Z');

const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
  );
  return nested.flat();
};

/** The reason without the file's own URL, so that files failing alike group together. */
const reasonOf = (err: unknown, url: string): string =>
  (err instanceof Error ? err.message : String(err)).split(url).join('FILE').split('\n')[0] ?? '';

export const measureFeeds = async (o: FeedsOptions): Promise<FeedsMeasures> => {
  const files = await filesUnder(o.corpus);
  if (files.length === 0) throw new Error(`no files under ${o.corpus}`);
  const failures = new Map<string, string[]>();
  let parsed = 0;
  const started = performance.now();
  for (const file of files) {
    const url = pathToFileURL(file).href;
    try {
      await readFeed(decodeFeedBytes(await readFile(file)), { url }, NOW);
      parsed += 1;
    } catch (err) {
      const reason = reasonOf(err, url);
      failures.set(reason, [...(failures.get(reason) ?? []), relative(o.corpus, file)]);
    }
  }
  return { total: files.length, parsed, ms: performance.now() - started, failures };
};

export const feedsSection = (m: FeedsMeasures, o: FeedsOptions): SectionResult => {
  const percent = (100 * m.parsed) / m.total;
  const jsReasons = [...m.failures.keys()].filter((r) => JS_ERROR_TEXT.test(r));
  const byCount = [...m.failures.entries()].sort((a, b) => b[1].length - a[1].length);
  return {
    name: 'feeds',
    checks: [
      {
        section: 'feeds',
        name: `files parsed, ${m.parsed} of ${m.total} (${o.corpus})`,
        value: percent,
        unit: '%',
        goal: `>= ${o.goalPercent}%`,
        pass: percent >= o.goalPercent,
      },
      {
        section: 'feeds',
        name: 'failure reasons that show JavaScript error text',
        value: jsReasons.length,
        unit: '',
        goal: '= 0',
        pass: jsReasons.length === 0,
      },
      {
        section: 'feeds',
        name: 'parse time per file, decoding included (mean)',
        value: m.ms / m.total,
        unit: 'ms',
      },
    ],
    details: {
      corpus: o.corpus,
      total: m.total,
      parsed: m.parsed,
      failures: Object.fromEntries(byCount),
    },
    notes: [
      `parsed ${m.parsed}/${m.total} (${percent.toFixed(1)}%): a file parses when readFeed returns, an empty feed included`,
      ...byCount.map(
        ([reason, files]) =>
          `${files.length} failed: ${reason} (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''})`
      ),
    ],
  };
};
