import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateItems, toJsonLines } from '../../bench/lib/items.ts';
import { noNetwork } from '../../cli/run.ts';
import { loadRules } from '../../cli/yaml/rules.ts';
import { classify } from '../../lambdas/core/rules/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startFeedServer } from '../helpers/feed-server.ts';
import { fixturePath, projectPath, recentFeedFile } from '../helpers/fixtures.ts';

/** A bundled demo feed, its dates moved to now (old news raises no alert). */
const demoFeed = (name: string) => recentFeedFile(projectPath(`demo/feeds/${name}`));

describe('newsalert CLI', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints help listing every command, with status 0', async () => {
    // Act
    const result = await runCli(['--help']);

    // Assess
    expect(result.code).toBe(0);
    for (const command of ['run', 'classify', 'demo', 'eval', 'rules']) {
      expect(result.stdout).toContain(command);
    }
  });

  it('fails with status 2 on an unknown option', async () => {
    // Act
    const result = await runCli(['run', '--no-such-option']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-such-option');
  });

  it('prints its version with --version', async () => {
    // Act
    const result = await runCli(['--version']);

    // Assess
    const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {
      version: string;
    };
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  describe('run', () => {
    it('polls feeds from file URLs and paths, alerts once, and prints nothing new the second time', async () => {
      // Prepare
      const data = join(dir, 'run-data');
      const feeds = [
        pathToFileURL(demoFeed('worthy-news.rss.xml')).href,
        demoFeed('second-outlet.atom.xml'),
      ];

      // Act
      const first = await runCli(['run', '--json', '--data', data, ...feeds]);
      const second = await runCli(['run', '--json', '--data', data, ...feeds]);

      // Assess
      expect(first.code).toBe(0);
      const lines = first.lines();
      const feedLines = lines.filter((l) => l.type === 'feed');
      expect(feedLines.map((l) => l.url).sort()).toEqual([...feeds].sort());
      expect(feedLines.every((l) => l.status === 'ok' && (l.new as number) > 0)).toBe(true);
      const alerts = lines.filter((l) => l.type === 'alert');
      expect(alerts.filter((a) => a.kind === 'new')).toHaveLength(1);
      expect(alerts.length).toBeLessThanOrEqual(2);
      expect(alerts[0]?.places).toContain('Aleppo');
      expect(lines.at(-1)).toMatchObject({
        type: 'summary',
        feeds: 2,
        errors: 0,
        alerts: alerts.length,
      });
      expect(second.code).toBe(0);
      expect(second.lines().filter((l) => l.type === 'alert')).toEqual([]);
      expect(second.lines().at(-1)).toMatchObject({ type: 'summary', new: 0, alerts: 0 });
    });

    it('is quiet about old news: reports published long before the first poll raise no alert, and the summary counts them', async () => {
      // Prepare: the demo feeds as bundled, dated November 2024
      const data = join(dir, 'old-news-data');
      const feeds = [
        projectPath('demo/feeds/worthy-news.rss.xml'),
        projectPath('demo/feeds/second-outlet.atom.xml'),
      ];

      // Act
      const json = await runCli(['run', '--json', '--data', data, ...feeds]);
      const text = await runCli(['run', '--data', join(dir, 'old-news-text'), ...feeds]);

      // Assess
      expect(json.code).toBe(0);
      expect(json.lines().filter((l) => l.type === 'alert')).toEqual([]);
      expect(json.lines().at(-1)).toMatchObject({
        type: 'summary',
        escalations: 2,
        tooOld: 2,
        alerts: 0,
      });
      expect(text.stdout).toContain('2 escalations (2 too old to alert), 0 alerts sent');
    });

    it('reports an unreachable feed as an error line, goes on with the others, and exits 1', async () => {
      // Prepare
      const server: Server = createServer((_req, res) => {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Not a feed</body></html>');
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as AddressInfo;
      const html = `http://127.0.0.1:${port}/news`;
      const refused = 'http://127.0.0.1:1/feed.xml';

      // Act
      const result = await runCli([
        'run',
        '--json',
        '--allow-private',
        '--data',
        join(dir, 'bad-data'),
        refused,
        html,
        demoFeed('worthy-news.rss.xml'),
      ]);
      server.close();

      // Assess
      expect(result.code).toBe(1);
      // Feed lines come as each feed finishes: find them by URL.
      const feeds = new Map(
        result
          .lines()
          .filter((l) => l.type === 'feed')
          .map((l) => [l.url, l])
      );
      expect(feeds.size).toBe(3);
      expect(feeds.get(refused)).toMatchObject({ status: 'error' });
      expect(String(feeds.get(refused)?.error)).toMatch(/127\.0\.0\.1:1|refused/i);
      expect(feeds.get(html)).toMatchObject({ status: 'error' });
      expect(String(feeds.get(html)?.error)).toMatch(/html|not .*feed/i);
      expect(feeds.get(demoFeed('worthy-news.rss.xml'))).toMatchObject({ status: 'ok' });
      expect(result.lines().filter((l) => l.type === 'alert')).toHaveLength(1);
    });

    it('refuses a feed on 127.0.0.1 without --allow-private, naming the host and the rule, and reads it with it', async () => {
      // Prepare: a real feed on loopback, and a feeds file that tries to allow it itself
      const server = await startFeedServer({
        routes: { '/worthy.rss': { body: readFileSync(demoFeed('worthy-news.rss.xml')) } },
      });
      const url = server.url('/worthy.rss');
      const feedsFile = join(dir, 'private-feeds.json');
      await writeFile(feedsFile, JSON.stringify({ allowPrivate: true, feeds: [{ url }] }));

      // Act
      const refused = await runCli(['run', '--json', '--data', join(dir, 'private-a'), url]);
      const fromFile = await runCli([
        'run',
        '--json',
        '--feeds',
        feedsFile,
        '--data',
        join(dir, 'private-b'),
      ]);
      const allowed = await runCli([
        'run',
        '--json',
        '--allow-private',
        '--data',
        join(dir, 'private-c'),
        url,
      ]);
      const requests = server.requests();
      await server.stop();

      // Assess
      const refusal =
        'refused 127.0.0.1 (loopback): private addresses are not fetched; use --allow-private for a local feed';
      for (const result of [refused, fromFile]) {
        expect(result.code).toBe(1);
        expect(result.lines().find((l) => l.type === 'feed')).toMatchObject({
          url,
          status: 'error',
          error: refusal,
        });
      }
      expect(allowed.code).toBe(0);
      expect(allowed.lines().find((l) => l.type === 'feed')).toMatchObject({ url, status: 'ok' });
      expect(requests).toBe(1);
    });

    it('stops with status 2 and names the file when the feeds file is malformed', async () => {
      // Prepare
      const bad = join(dir, 'feeds.yaml');
      await writeFile(bad, '- url: ftp://example.org/feed\n- name: no url\n');

      // Act
      const result = await runCli(['run', '--feeds', bad, '--data', join(dir, 'x')]);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(bad);
      expect(result.stdout).toBe('');
    });

    it('stops with status 2 and names the file when the rules file is malformed', async () => {
      // Prepare
      const bad = join(dir, 'rules.yaml');
      await writeFile(bad, 'this: [is not, a rule set\n');

      // Act
      const result = await runCli(['run', '--rules', bad, demoFeed('worthy-news.rss.xml')]);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(bad);
    });
  });

  describe('classify', () => {
    it('reads a description as the summary, and warns once about lines with no text it reads', async () => {
      // Prepare
      const text = 'Militants shelled a village, killing 3 people';
      const input = [
        { id: 'summary', title: '', summary: text },
        { id: 'description', title: '', description: text },
        { id: 'content', title: '', content: text },
        { id: 'empty-1', title: '' },
        { id: 'empty-2', title: ' ', link: 'https://example.org/a' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n');

      // Act
      const result = await runCli(['classify'], { input });
      const labelled = join(dir, 'no-text.jsonl');
      await writeFile(labelled, input.replaceAll('"title"', '"label":0,"title"'));
      const evaluated = await runCli(['eval', labelled]);
      const scored = await runCli(['eval', '--json', labelled]);

      // Assess
      const [bySummary, byDescription, byContent, ...empty] = result.lines();
      expect(byDescription).toEqual({ ...bySummary, id: 'description' });
      // The content is read as such: the matches name its field.
      expect(byContent?.escalation).toBe(true);
      expect(byContent?.score).toBe(bySummary?.score);
      expect((byContent?.matches as { field: string }[] | undefined)?.[0]?.field).toBe('content');
      expect(bySummary?.escalation).toBe(true);
      expect(empty.map((r) => r.escalation)).toEqual([false, false]);
      expect(result.stderr).toBe(
        'warning: stdin line 4 has no text the rules read (title, summary, description or content): such items score 0\n'
      );
      expect(evaluated.stderr).toBe(
        `warning: ${labelled} line 4 has no text the rules read (title, summary, description or content): such items score 0\n`
      );
      // eval reads the three alike: each of them alerts (all labelled 0 here: 3 false positives).
      expect(JSON.parse(scored.stdout).overall).toMatchObject({ items: 5, fp: 3, tn: 2 });
    });

    it('classifies exactly as the default rules compiled in-process (the installed command restores their stored matcher)', async () => {
      // Prepare
      // Generated news, and sentences where guards decide (figurative use, sport, crime, history,
      // denial, court steps), which generated news seldom holds
      const guarded = [
        'The company executed a share buyback worth two billion dollars.',
        'FC Barcelona attacked from the first minute and scored three goals.',
        'A homeowner shot dead an intruder who broke into his house at night.',
        'Police seized petrol bombs and crude bombs from an abandoned house.',
        'The NIA filed a chargesheet against the accused in the 2021 attack case.',
        'The army denied that its jets bombed the village on Monday.',
        'In 1995 troops shelled the city for weeks, killing hundreds.',
        'Militants could attack the capital within days, analysts warned.',
        'A ceasefire held as no shelling was reported overnight in Donetsk.',
        'Gunmen killed 12 people in an attack on a village in Zamfara state, police said.',
      ].map((title, i) => ({ id: `guarded-${i}`, title }));
      const items = [...generateItems(400, 21, 0.4), ...guarded];
      const rules = loadRules(readFileSync(projectPath('config/rules.yaml'), 'utf8'), 'rules.yaml');
      const expected = items.map((item) => JSON.stringify(classify(item, rules)));

      // Act
      const result = await runCli(['classify'], { input: toJsonLines(items) });

      // Assess
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout.trimEnd().split('\n')).toEqual(expected);
    });

    it('writes one result per input line, in order, in the result shape', async () => {
      // Prepare
      const input = readFileSync(fixturePath('items/seeds.jsonl'), 'utf8');

      // Act
      const result = await runCli(['classify'], { input });

      // Assess
      expect(result.code).toBe(0);
      const results = result.lines();
      expect(results.map((r) => r.escalation)).toEqual([true, true, false, false, false, false]);
      expect(results[0]).toMatchObject({
        id: 'https://www.worthynews.example/aleppo-breached',
        severity: expect.stringMatching(/^(low|medium|high|critical)$/),
        categories: expect.any(Array),
        places: expect.arrayContaining(['Aleppo', 'Syria']),
      });
      expect(results[0]?.matches).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ rule: expect.any(String), field: expect.any(String) }),
        ])
      );
    });

    it('explains every decision with --explain', async () => {
      // Prepare
      const input = readFileSync(fixturePath('items/seeds.jsonl'), 'utf8').split('\n')[0];

      // Act
      const result = await runCli(['classify', '--explain'], { input });

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Aleppo/);
      expect(result.stdout.length).toBeGreaterThan(200);
    });

    it('says on a terminal that it waits for JSON lines on stdin, and how to end them', async () => {
      // Act: `script` gives the command a terminal; the line, then Ctrl-D, are typed into it
      const child = spawn(
        'script',
        ['-qec', `${projectPath('node_modules/.bin/newsalert')} classify`, '/dev/null'],
        { cwd: projectPath(''), stdio: ['pipe', 'pipe', 'pipe'] }
      );
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        output += d;
      });
      child.stdin.end(
        `${JSON.stringify({ id: 't', title: 'Militants shelled a village' })}\n\u0004`
      );
      const code = await new Promise((resolve) => child.on('close', resolve));
      const piped = await runCli(['classify'], { input: '' });

      // Assess
      expect(code).toBe(0);
      expect(output).toContain('classify: waiting for JSON lines on stdin');
      expect(output).toContain('end with Ctrl-D');
      expect(output).toContain('"id":"t"');
      expect(piped.stderr).toBe('');
    });

    it('prints each problem of a bad rule file once', async () => {
      // Prepare
      const bad = join(dir, 'once-rules.yaml');
      await writeFile(
        bad,
        'threshold: 4\ncategories: {a: {label: A, severity: low}}\nrules:\n  - id: r\n    category: b\n    weight: 1\n    any: [x]\n'
      );

      // Act
      const result = await runCli(['classify', '--rules', bad], { input: '' });

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr.split('category must be one of the categories defined').length - 1).toBe(
        1
      );
      expect(result.stderr).toContain(`${bad} is not a valid rule file (1 problem)`);
    });

    it('fails with status 2 naming the line of a malformed input', async () => {
      // Act
      const result = await runCli(['classify'], { input: '{"id":"a","title":"ok"}\n{oops\n' });

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('line 2');
    });
  });

  describe('rules check', () => {
    it('accepts the default rules', async () => {
      // Act
      const result = await runCli(['rules', 'check', 'config/rules.yaml']);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('ok');
    });

    it('reports a broken rule file with status 2', async () => {
      // Prepare
      const bad = join(dir, 'broken-rules.yaml');
      await writeFile(bad, 'rules:\n  - id: 42\n    weight: heavy\n');

      // Act
      const result = await runCli(['rules', 'check', bad]);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(bad);
    });

    it('reads a .json file strictly, as the Lambdas read the deployed rules (a BOM is fine)', async () => {
      // Prepare: the deployed form of the default rules, once as the CDK app writes it, once with
      // a byte order mark, once hand-edited with a trailing comma (YAML would accept that)
      const json = JSON.stringify(parse(readFileSync(projectPath('config/rules.yaml'), 'utf8')));
      const good = join(dir, 'rules.json');
      const bom = join(dir, 'rules-bom.json');
      const edited = join(dir, 'rules-edited.json');
      await writeFile(good, json);
      await writeFile(bom, `\ufeff${json}`);
      await writeFile(edited, json.replace(/}$/, ',}'));

      // Act
      const results = await Promise.all(
        [good, bom, edited].map((f) => runCli(['rules', 'check', f]))
      );

      // Assess
      expect(results.map((r) => r.code)).toEqual([0, 0, 2]);
      expect(results[2]?.stdout).toContain(`${edited}: not valid JSON`);
    });

    it('says what a binary or a foreign document looks like, without echoing it', async () => {
      // Prepare
      const png = join(dir, 'logo.png');
      const page = join(dir, 'page.yaml');
      await writeFile(
        png,
        Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(2000, 7)])
      );
      await writeFile(
        page,
        `<!DOCTYPE html>\n<html><body>${'<p>secret text of the page</p>'.repeat(50)}</body></html>\n`
      );

      // Act
      const results = await Promise.all([png, page].map((f) => runCli(['rules', 'check', f])));

      // Assess
      expect(results.map((r) => r.code)).toEqual([2, 2]);
      expect(results[0]?.stderr).toBe(
        `${png} is not a rule file: it looks like a PNG image. A rule file is YAML or JSON text (see config/rules.yaml)\n`
      );
      expect(results[1]?.stderr).toBe(
        `${page} is not a rule file: it looks like an HTML page. A rule file is YAML or JSON text (see config/rules.yaml)\n`
      );
      expect(results.map((r) => r.stdout)).toEqual(['', '']);
    });

    it('warns about a version 1 with that reads as any one of, with the rewrite, and still says ok', async () => {
      // Prepare
      const old = join(dir, 'old-rules.yaml');
      await writeFile(
        old,
        'threshold: 4\ncategories: {grid: {label: grid, severity: high}}\nrules:\n  - id: grid-attack\n    category: grid\n    weight: 4\n    any: [attack~]\n    with: [grid~, blackout~]\n'
      );

      // Act
      const result = await runCli(['rules', 'check', old]);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^warning: .*old-rules\.yaml:8:11: rule 'grid-attack': with: \[grid~, blackout~\] requires every one .*write all: \[grid~, blackout~\]/
      );
      expect(result.stdout).toContain(`${old}: ok (1 warning)\n`);
    });

    it('checks a file that extends the default rules, naming an unknown id and the nearest', async () => {
      // Prepare
      const mine = join(dir, 'my-rules.yaml');
      await writeFile(mine, 'version: 2\nextend: default\ndisable: [shellin]\n');

      // Act
      const result = await runCli(['rules', 'check', mine]);
      const classified = await runCli(['classify', '--rules', mine], {
        input: JSON.stringify({ id: 's', title: 'Artillery shelling of the town killed 4' }),
      });

      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toBe(
        `${mine}:3:11: no default rule or guard has the id 'shellin': did you mean 'shelling'?\n`
      );
      expect(classified.code).toBe(2);
    });
  });

  describe('eval', () => {
    it('prints precision, recall and F1 for labelled items', async () => {
      // Prepare
      const labelled = readFileSync(fixturePath('items/seeds.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line, i) => JSON.stringify({ ...JSON.parse(line), label: i < 2 ? 1 : 0 }))
        .join('\n');
      const file = join(dir, 'labelled.jsonl');
      await writeFile(file, labelled);

      // Act
      const result = await runCli(['eval', file]);

      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/precision/i);
      expect(result.stdout).toMatch(/recall/i);
      expect(result.stdout).toMatch(/F1/i);
    });
  });

  describe('demo', () => {
    it('runs offline on the bundled feeds: one alert about Aleppo, nothing repeated on the second poll', async () => {
      // Act
      const result = await runCli(['demo', '--json', '--data', join(dir, 'demo-data')]);

      // Assess
      expect(result.code).toBe(0);
      const lines = result.lines();
      const summaries = lines.filter((l) => l.type === 'summary');
      expect(summaries).toHaveLength(2);
      expect(summaries[1]).toMatchObject({ new: 0, alerts: 0 });
      const alerts = lines.filter((l) => l.type === 'alert');
      expect(alerts.filter((a) => a.kind === 'new')).toHaveLength(1);
      expect(JSON.stringify(alerts[0])).toContain('Aleppo');
    });
  });
});

describe('newsalert CLI, network and watch', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-cli-net-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says plainly that there is no network, and points to the offline demo, only when the network failed every feed', () => {
    // Prepare
    const failed = (url: string, error: string) =>
      ({ url, status: 'error', error, items: 0, new: 0, warnings: [], bytes: 0 }) as never;
    const dns = failed(
      'https://a.example/rss',
      'host a.example not found (DNS ENOTFOUND) fetching https://a.example/rss'
    );
    const unreachable = failed(
      'https://b.example/rss',
      'network error fetching https://b.example/rss: ENETUNREACH connect ENETUNREACH'
    );
    const refused = failed(
      'https://c.example/rss',
      'connection refused by c.example (ECONNREFUSED) fetching https://c.example/rss'
    );
    const file = failed('/tmp/feed.xml', 'cannot read /tmp/feed.xml: ENOTFOUND');

    // Act, Assess
    expect(noNetwork([dns, unreachable])).toBe(true);
    expect(noNetwork([dns, refused])).toBe(false);
    expect(noNetwork([refused])).toBe(false);
    expect(noNetwork([file])).toBe(false);
    expect(noNetwork([])).toBe(false);
  });

  it('does not blame the network when the hosts were reached and refused', async () => {
    // Act
    const result = await runCli([
      'run',
      '--allow-private',
      '--data',
      join(dir, 'offline'),
      'http://127.0.0.1:1/a.xml',
      'http://127.0.0.1:1/b.xml',
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('connection refused by 127.0.0.1:1 (ECONNREFUSED)');
    expect(result.stderr).not.toContain('no network');
  });

  it('polls again with --watch and stops after the poll under way on Ctrl-C', async () => {
    // Prepare
    const child = spawn(
      projectPath('node_modules/.bin/newsalert'),
      [
        'run',
        '--json',
        '--watch',
        '0.01',
        '--data',
        join(dir, 'watch'),
        demoFeed('worthy-news.rss.xml'),
      ],
      { cwd: projectPath(''), stdio: ['ignore', 'pipe', 'pipe'] }
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    const summaries = () => stdout.split('\n').filter((l) => l.includes('"type":"summary"'));

    // Act: wait for the second poll's summary, then interrupt.
    const deadline = Date.now() + 40_000;
    while (summaries().length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('close', done));

    // Assess
    expect(summaries().length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(summaries()[0] ?? '{}')).toMatchObject({ alerts: 1 });
    expect(JSON.parse(summaries()[1] ?? '{}')).toMatchObject({ new: 0, alerts: 0 });
    expect(code).toBe(0);
  });
});

describe('newsalert CLI, nothing lost locally', () => {
  it('keeps a batch it could not process and alerts on it in the next run', async () => {
    // Prepare: an events file that cannot be read at all (a folder in its place) stops processing.
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-cli-queue-'));
    await mkdir(join(dir, 'state', 'events.json'), { recursive: true });
    const feed = demoFeed('worthy-news.rss.xml');

    // Act
    const failed = await runCli(['run', '--json', '--data', dir, feed]);
    await rm(join(dir, 'state', 'events.json'), { recursive: true });
    const retried = await runCli(['run', '--json', '--data', dir, feed]);

    // Assess
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/error: items\/.*EISDIR.*kept; retried on the next run/);
    expect(failed.lines().filter((l) => l.type === 'alert')).toEqual([]);
    expect(retried.code).toBe(0);
    expect(retried.lines().find((l) => l.type === 'feed')).toMatchObject({ new: 0 });
    expect(retried.lines().filter((l) => l.type === 'alert')).toHaveLength(1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('newsalert CLI, a damaged local queue', () => {
  it('names a corrupt queue file, keeps it aside, and still runs', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-cli-queue-'));
    await mkdir(join(dir, 'state'), { recursive: true });
    await writeFile(join(dir, 'state', 'local-queue.json'), '{oops');

    // Act
    const result = await runCli(['run', '--json', '--data', dir, demoFeed('worthy-news.rss.xml')]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('state/local-queue.json is not a JSON list of keys');
    expect(readFileSync(join(dir, 'state', 'local-queue.json.corrupt'), 'utf8')).toBe('{oops');
    expect(result.lines().filter((l) => l.type === 'alert')).toHaveLength(1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('newsalert CLI, a reader that stops early', () => {
  it('stops quietly with status 0 when its output pipe closes (| head), with no stack trace', async () => {
    // Prepare: more output than a pipe holds, read only until the first bytes arrive
    const input = `${readFileSync(fixturePath('items/seeds.jsonl'), 'utf8').repeat(2000)}\n`;
    const bin = projectPath('node_modules/.bin/newsalert');

    // Act
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(bin, ['classify'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => done({ code, stderr }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|at .*\(node:/);
  });
});
