// The classify floor: a plain node process that merely parses each JSON line of stdin and writes
// the same item back as a JSON line (`node bench/floor.mjs`), or, with `result`, a shorter line
// shaped like a classification result (a stricter floor). Same 64 KB output buffering as the CLI.
// `newsalert classify` is measured against it: whatever it costs above it is its own work.
import { echoLine, floorLine } from './floor-line.mjs';

const work = process.argv[2] === 'result' ? floorLine : echoLine;
let rest = '';
let parts = [];
let size = 0;
const flush = () => {
  if (parts.length > 0) process.stdout.write(parts.join(''));
  parts = [];
  size = 0;
};
const emit = (line) => {
  if (line.trim() === '') return;
  const out = `${work(line)}\n`;
  parts.push(out);
  size += out.length;
  if (size >= 1 << 16) flush();
};
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) emit(line);
}
if (rest !== '') emit(rest);
flush();
