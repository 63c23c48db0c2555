import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_RULES_YAML } from '../fixtures/rules/tiny.ts';
import { runCli } from '../helpers/cli.ts';

const lines = (rows: readonly object[]): string =>
  `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

// A stream of entries as the feeds archive records them (outlet, no label), and its labels.
const STREAM = [
  {
    id: 'e1',
    outlet: 'Wire',
    title: 'Militants clash with soldiers near the border',
    published: '2023-10-06T08:00:00Z',
  },
  {
    id: 'e2',
    outlet: 'Wire',
    title: 'Soldiers clash with militants in a new film',
    published: '2023-10-06T09:00:00Z',
  },
  {
    id: 'e3',
    outlet: 'Paper',
    title: 'Army and rebels agree a truce',
    published: '2023-10-07T09:00:00Z',
  },
  {
    id: 'e4',
    outlet: 'Paper',
    title: 'Rebels shell a market',
    summary: 'Dozens killed.',
    published: '2023-10-08T09:00:00Z',
  },
  { id: 'e5', outlet: 'Paper', title: 'Prices rise', published: '2023-10-08T10:00:00Z' },
];
const LABELS = [
  { id: 'e1', label: 1, story: 'border-clash' },
  { id: 'e2', label: 0 },
  { id: 'e3', label: 0, ceasefire: true },
  { id: 'e4', label: 1, hard: true },
  { id: 'other', label: 1 },
];

describe('newsalert eval', () => {
  let dir: string;
  let stream: string;
  let labels: string;
  let rules: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-eval-'));
    stream = join(dir, 'stream.jsonl');
    labels = join(dir, 'labels.jsonl');
    rules = join(dir, 'tiny.yaml');
    await writeFile(stream, lines(STREAM));
    await writeFile(labels, lines(LABELS));
    await writeFile(rules, TINY_RULES_YAML);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('scores a stream against a labels file by id, per outlet, counting what it did not score', async () => {
    // Act
    const result = await runCli(['eval', stream, '--labels', labels, '--rules', rules, '--json']);

    // Assess
    expect(result.code).toBe(0);
    const [report] = result.lines();
    expect(report?.excluded).toEqual({
      unlabelled: 1,
      ceasefire: 1,
      outsideWindow: 0,
      labelsWithoutEntry: 1,
    });
    expect(report?.overall).toMatchObject({ items: 3, positives: 2, tp: 1, fp: 1, fn: 1 });
    expect(Object.keys(report?.bySource as object)).toEqual(['Paper', 'Wire']);
    expect(report?.falsePositives).toEqual(['e2']);
    expect(report?.falseNegatives).toEqual(['e4']);
  });

  it('lists the errors with --errors and scores only a time window with --since and --until', async () => {
    // Act
    const window = (...args: string[]) =>
      runCli(['eval', stream, '--labels', labels, '--rules', rules, '--errors', ...args]);
    const early = await window('--until', '2023-10-08T00:00Z');
    const late = await window('--since', '2023-10-08T00:00Z');

    // Assess
    expect(early.code).toBe(0);
    expect(early.stdout).toContain(
      'not scored: 0 unlabelled, 1 ceasefire, 2 outside the time window'
    );
    expect(early.stdout).toMatch(/overall\s+2\s+1\s+1\s+1\s+0/);
    expect(early.stdout).toContain(
      '  e2  [Wire] Soldiers clash with militants in a new film  <- clash'
    );
    expect(late.stdout).toMatch(/overall\s+1\s+1\s+0\s+0\s+1/);
    expect(late.stdout).toContain(
      '  e4  [Paper] Rebels shell a market  (hard)\n      Dozens killed.'
    );
  });

  it('fails with status 2 on a malformed labels file, a repeated id or a bad time', async () => {
    // Prepare
    const badLabel = join(dir, 'bad-label.jsonl');
    const twice = join(dir, 'twice.jsonl');
    await writeFile(badLabel, lines([{ id: 'e1', label: 'yes' }]));
    await writeFile(
      twice,
      lines([
        { id: 'e1', label: 1 },
        { id: 'e1', label: 0 },
      ])
    );

    // Act
    const results = await Promise.all([
      runCli(['eval', stream, '--labels', badLabel, '--rules', rules]),
      runCli(['eval', stream, '--labels', twice, '--rules', rules]),
      runCli(['eval', stream, '--labels', join(dir, 'none.jsonl'), '--rules', rules]),
      runCli(['eval', stream, '--labels', labels, '--since', 'yesterday']),
    ]);

    // Assess
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[0]?.stderr).toContain(
      'bad-label.jsonl line 1: item e1 needs "label" 0 or 1, got "yes"'
    );
    expect(results[1]?.stderr).toContain('twice.jsonl line 2: item e1 is labelled twice');
    expect(results[2]?.stderr).toContain('cannot read the labels file');
    expect(results[3]?.stderr).toContain('expected an ISO 8601 time');
  });

  it('still requires a label on every entry without --labels', async () => {
    // Act
    const result = await runCli(['eval', stream, '--rules', rules]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('item e1 needs "label" 0 or 1');
  });
});
