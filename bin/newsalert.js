#!/usr/bin/env node
// The `newsalert` command. Runs the bundle in dist/cli (built by `npm ci`) when it is current,
// else the TypeScript sources through tsx, so an edited source is never shadowed by a stale build.
// tsx is a development dependency: `npm ci` installs it, and the bundle never loads it.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

const bundleIsCurrent = () => {
  try {
    const inputs = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
    return inputs.every(([path, mtime]) => statSync(new URL(path, root)).mtimeMs <= mtime);
  } catch {
    return false;
  }
};

let main;
if (bundleIsCurrent()) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const tsx = await import('tsx/esm/api').catch((err) => {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    process.stderr.write(
      'newsalert: the bundle in dist/cli is missing or older than the sources, and tsx is not ' +
        'installed to run the sources: run `npm ci` (development dependencies included)\n'
    );
    process.exit(1);
  });
  tsx.register();
  ({ main } = await import('../cli/main.ts'));
}

// A reader that stops early (`newsalert replay week.jsonl | head`) closes the pipe: stop quietly,
// as other command-line tools do, instead of a stack trace about EPIPE.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Ctrl-C stops `run --watch` after the poll under way; a second Ctrl-C exits at once.
const stop = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('stopping after this poll (Ctrl-C again to quit now)\n');
  stop.abort();
  process.once('SIGINT', () => process.exit(130));
});
process.exitCode = await main(process.argv.slice(2), undefined, stop.signal);
