// The classify floor: a plain node process that only parses each JSON line of stdin and writes
// a JSON line shaped like a classification result, with the same 64 KB output buffering as the
// CLI. `newsalert classify` is measured against this: whatever it costs above it is its own work.
import { floorLine } from './floor-line.mjs';

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
  const out = `${floorLine(line)}\n`;
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
