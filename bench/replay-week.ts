/**
 * How long `newsalert replay` takes on a week of real news: builds a week of about 20,000 entries
 * from a recorded stream (the stream's days repeated, each copy shifted by `--shift` hours, with its
 * own ids and feeds, so every entry is new) and replays it in this process with the default rules,
 * timing the wall clock and the CPU the replay used (one core: JavaScript runs on one thread).
 *
 *   node --import tsx bench/replay-week.ts ../shared/eval/stream-2023-10.jsonl
 *   node --import tsx bench/replay-week.ts STREAM --copies 7 --shift 14
 *
 * The goal: a week of 20,000 entries in under a minute on one core.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RULES, type Io } from '../cli/io.ts';
import { replayCommand } from '../cli/replay.ts';
import { loadRules } from '../cli/yaml/rules.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { copies: { type: 'string', default: '7' }, shift: { type: 'string', default: '14' } },
});
const [stream] = positionals;
if (!stream) {
  process.stderr.write('usage: bench/replay-week.ts STREAM.jsonl [--copies N] [--shift HOURS]\n');
  process.exit(2);
}
const copies = Number(values.copies);
const shiftMs = Number(values.shift) * 3_600_000;

const lines = readFileSync(stream, 'utf8').split('\n').filter(Boolean);
const week: string[] = [];
for (let copy = 0; copy < copies; copy += 1) {
  for (const line of lines) {
    const entry = JSON.parse(line) as Record<string, string>;
    const published = new Date(Date.parse(entry.published ?? '') + copy * shiftMs).toISOString();
    week.push(
      JSON.stringify({
        ...entry,
        id: `${entry.id}-${copy}`,
        feed: `${entry.feed}#copy-${copy}`,
        ...(entry.link ? { link: `${entry.link}#copy-${copy}` } : {}),
        published,
      })
    );
  }
}
const dir = await mkdtemp(join(tmpdir(), 'newsalert-replay-week-'));
const file = join(dir, 'week.jsonl');
await writeFile(file, `${week.join('\n')}\n`);
const times = week.map((l) => Date.parse((JSON.parse(l) as { published: string }).published));
const days = (Math.max(...times) - Math.min(...times)) / 86_400_000;

const rules = loadRules(readFileSync(DEFAULT_RULES, 'utf8'), DEFAULT_RULES);
let summary = '';
const io: Io = {
  out: (text) => {
    const last = text.trim().split('\n').at(-1) ?? '';
    if (last.includes('"type":"summary"')) summary = last;
  },
  err: (text) => process.stderr.write(text),
  stdin: process.stdin,
  stderrIsTty: false,
};
const cpu = process.cpuUsage();
const started = performance.now();
await replayCommand(io, rules, file, { poll: 5, json: true });
const wallS = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const cpuS = (used.user + used.system) / 1e6;
await rm(dir, { recursive: true, force: true });
process.stdout.write(
  `replay of ${week.length} entries over ${days.toFixed(1)} days: ${wallS.toFixed(1)} s wall, ${cpuS.toFixed(1)} s CPU (goal: under 60 s on one core) ${cpuS < 60 ? 'PASS' : 'FAIL'}\n${summary}\n`
);
