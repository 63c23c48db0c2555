import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import {
  feedDocument,
  parseStream,
  ReplayFetcher,
  type StreamEntry,
  schedule,
} from '../../cli/replay-stream.ts';
import { InvalidInputError } from '../../lambdas/core/common/errors.ts';
import type { Item } from '../../lambdas/core/common/types.ts';
import { parseFeed } from '../../lambdas/core/feeds/parse-feed.ts';
import { runCli } from '../helpers/cli.ts';
import { fixturePath } from '../helpers/fixtures.ts';
import { thrown } from '../helpers/thrown.ts';

/** Runs the CLI in this process, capturing its output. */
const run = async (args: string[]) => {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdin: Readable.from([]),
    stderrIsTty: false,
  });
  return {
    code,
    out,
    err,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
};

/** The seed reports and ordinary news as recorded entries of two feeds. */
const seedEntries = (): string => {
  const items = readFileSync(fixturePath('items/seeds.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Item);
  return items
    .map((item) =>
      JSON.stringify({
        id: item.id,
        feed: item.source === 'Worthy News' ? 'https://worthy.example/rss' : 'second-outlet',
        outlet: item.source,
        title: item.title,
        summary: item.summary,
        link: item.link,
        published: item.published,
      })
    )
    .join('\n');
};

const ALEPPO_WORTHY = 'https://www.worthynews.example/aleppo-breached';
const ALEPPO_SECOND = 'tag:second-outlet.example,2024:aleppo-offensive';

const entry = (over: Partial<StreamEntry> & { id: string; published: string }): StreamEntry => ({
  feed: 'f',
  title: 't',
  at: Date.parse(over.published),
  ...over,
});

describe('Function: parseStream', () => {
  it('reads entries and names the line of each problem', () => {
    // Act
    const ok = parseStream(
      '{"id":"a","feed":"f","title":"T","published":"2023-10-07T05:38:00Z"}\n\n',
      's.jsonl'
    );
    const problems = [
      'not json',
      '[1]',
      '{"feed":"f","title":"T","published":"2023-10-07T05:38:00Z"}',
      '{"id":"a","feed":"f","title":"T","published":"yesterday"}',
      '{"id":"a","feed":"f","title":7,"published":"2023-10-07T05:38:00Z"}',
      '{"id":"a","title":"T","published":"2023-10-07T05:38:00Z"}',
    ].map((line) => thrown(() => parseStream(`\n${line}`, 's.jsonl')));
    const repeated = thrown(() =>
      parseStream(
        '{"id":"a","feed":"f","title":"T","published":"2023-10-07T05:38:00Z"}\n{"id":"a","feed":"g","title":"U","published":"2023-10-07T05:39:00Z"}',
        's.jsonl'
      )
    );

    // Assess
    expect(ok).toEqual([
      {
        id: 'a',
        feed: 'f',
        title: 'T',
        published: '2023-10-07T05:38:00Z',
        at: Date.parse('2023-10-07T05:38:00Z'),
      },
    ]);
    for (const error of problems) expect(error).toBeInstanceOf(InvalidInputError);
    expect(problems.map((e) => (e as Error).message.replace(/^s\.jsonl line 2: /, ''))).toEqual([
      'not a JSON object (each line holds one entry)',
      'not a JSON object (each line holds one entry)',
      '"id" is missing or empty',
      '"published" is not an ISO-8601 time: yesterday',
      '"title" must be a string, got number',
      '"feed" is missing or empty',
    ]);
    expect((repeated as Error).message).toBe('s.jsonl line 2: id "a" repeats line 1');
  });
});

describe('Function: schedule', () => {
  it('polls from the earliest time floored to the interval; each entry comes out at the first poll at or after it', () => {
    // Prepare
    const entries = [
      entry({ id: 'b', feed: 'g', published: '2023-10-07T05:05:00Z' }),
      entry({ id: 'a', feed: 'f', published: '2023-10-07T05:03:10Z' }),
      entry({ id: 'c', feed: 'f', published: '2023-10-07T05:21:00Z' }),
    ];

    // Act
    const plan = schedule(entries, 5 * 60_000);

    // Assess: polls at 05:00 .. 05:25 (6), three of them with something new
    expect(plan.pollCount).toBe(6);
    expect(plan.polls.map((p) => [p.at.toISOString().slice(11, 16), p.changed])).toEqual([
      [
        '05:05',
        [
          { feed: 'f', out: 1 },
          { feed: 'g', out: 1 },
        ],
      ],
      ['05:25', [{ feed: 'f', out: 2 }]],
    ]);
    expect(plan.feeds.get('f')?.map((e) => e.id)).toEqual(['a', 'c']);
  });

  it('serves an unchanged feed as unchanged, and a changed one as RSS the feed parser reads back', async () => {
    // Prepare
    const entries = [
      entry({
        id: 'x<1>',
        feed: 'https://n.example/rss',
        outlet: 'N & Co',
        title: 'Strikes hit "A" & B\'s',
        summary: 'Summary\u0001 text',
        link: 'https://n.example/a?x=1&y=2',
        published: '2023-10-07T05:03:00Z',
      }),
    ];
    const plan = schedule(entries, 5 * 60_000);
    const fetcher = new ReplayFetcher(plan);
    const [poll] = plan.polls;
    if (!poll) throw new Error('no poll');

    // Act
    const before = await fetcher.fetch('https://n.example/rss', {});
    fetcher.advance(poll);
    const first = await fetcher.fetch('https://n.example/rss', before.validators);
    const again = await fetcher.fetch('https://n.example/rss', first.validators);
    const items =
      first.status === 'ok'
        ? await parseFeed(first.text, { url: 'https://n.example/rss' }, poll.at)
        : [];

    // Assess
    expect(first.status).toBe('ok');
    expect(again.status).toBe('unchanged');
    expect(items).toEqual([
      {
        id: 'x<1>',
        title: 'Strikes hit "A" & B\'s',
        summary: 'Summary text',
        link: 'https://n.example/a?x=1&y=2',
        published: '2023-10-07T05:03:00.000Z',
        source: 'N & Co',
        feed: 'https://n.example/rss',
      },
    ]);
    expect(feedDocument('f', [], 10)).toContain('<channel><title>f</title></channel>');
  });
});

describe('Class: ReplayFetcher', () => {
  it('serves every entry new since the last poll, even past its usual window', async () => {
    // Prepare: 40 entries of one feed within one long poll
    const entries = Array.from({ length: 40 }, (_, i) =>
      entry({
        id: `e${i}`,
        feed: 'https://n.example/rss',
        title: `Report ${i}`,
        published: new Date(Date.parse('2023-10-07T05:00:00Z') + i * 60_000).toISOString(),
      })
    );
    const plan = schedule(entries, 24 * 60 * 60_000);
    const fetcher = new ReplayFetcher(plan, 25);

    // Act
    for (const poll of plan.polls) fetcher.advance(poll);
    const fetched = await fetcher.fetch('https://n.example/rss', {});
    const items =
      fetched.status === 'ok'
        ? await parseFeed(
            fetched.text,
            { url: 'https://n.example/rss' },
            new Date('2023-10-08T00:00:00Z')
          )
        : [];

    // Assess
    expect(items).toHaveLength(40);
  });
});

describe('Command: newsalert replay', () => {
  let dir: string;
  let stream: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-replay-test-'));
    stream = join(dir, 'seeds.jsonl');
    await writeFile(stream, seedEntries());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('sends the Aleppo alert when the first report comes out, the corroboration when the second does, and nothing for ordinary news', async () => {
    // Act
    const result = await run(['replay', stream, '--json']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.lines();
    expect(lines.map((l) => [l.type, l.at, l.kind, l.itemIds])).toEqual([
      ['alert', '2024-11-29T14:00:00.000Z', 'new', [ALEPPO_WORTHY]],
      ['alert', '2024-11-29T17:30:00.000Z', 'update', [ALEPPO_WORTHY, ALEPPO_SECOND].sort()],
      ['summary', undefined, undefined, undefined],
    ]);
    const [created, update, summary] = lines;
    expect(created.event).toBe(created.eventId);
    expect(update.event).toBe(created.event);
    expect(created.headline).toMatch(/Aleppo/);
    expect(update.reasons.join(' ')).toMatch(/corroboration/);
    // 12:00 to 17:30 every 5 minutes
    expect(summary).toEqual({
      type: 'summary',
      entries: 6,
      polls: 67,
      escalations: 2,
      tooOld: 0,
      alerts: 2,
      new: 1,
      update: 1,
    });
  });

  it('is deterministic: the same input and rules give byte-identical output, and nothing is left behind without --data', async () => {
    // Prepare
    const leftBefore = (await readdir(tmpdir())).filter((n) => n.startsWith('newsalert-replay-'));

    // Act
    const first = await run(['replay', stream, '--json', '--poll', '15']);
    const second = await run(['replay', stream, '--json', '--poll', '15']);

    // Assess
    expect(first.out).toBe(second.out);
    expect(first.lines().at(-1)).toMatchObject({ polls: 23, alerts: 2 });
    const leftAfter = (await readdir(tmpdir())).filter((n) => n.startsWith('newsalert-replay-'));
    expect(leftAfter).toEqual(leftBefore);
  });

  it('keeps its state in --data, so what it decided can be read afterwards', async () => {
    // Prepare
    const data = join(dir, 'data');

    // Act
    const result = await run(['replay', stream, '--json', '--data', data]);

    // Assess
    expect(result.code).toBe(0);
    const days = await readdir(join(data, 'alerts', '2024', '11'));
    expect(days).toEqual(['29']);
    expect((await readdir(join(data, 'alerts', '2024', '11', '29'))).length).toBe(2);
  });

  it('prints the alerts as a person reads them, each with its simulated time', async () => {
    // Act
    const result = await runCli(['replay', stream]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^at 2024-11-29 14:00 UTC \(1 entries in this event\)\n=+\n\[/);
    expect(result.stdout).toContain('at 2024-11-29 17:30 UTC (2 entries in this event)');
    expect(result.stdout).toContain('SMS: ');
    expect(result.stdout).toMatch(
      /replayed 6 entries in 67 polls of 5 min: 2 escalations, 2 alerts \(1 new, 1 updates\)\n$/
    );
  });

  it('stops with exit 2 naming the line of a bad entry', async () => {
    // Prepare
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `${seedEntries()}\n{"id":"z","feed":"f","title":"T"}\n`);

    // Act
    const result = await run(['replay', bad, '--json']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toBe(`${bad} line 7: "published" is missing or empty\n`);
  });
});
