#!/usr/bin/env node
// The `newsalert` command: runs the TypeScript CLI through tsx's loader, so the
// same sources serve the CLI, the Lambdas and the tests with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
// Ctrl-C stops `run --watch` after the poll under way; a second Ctrl-C exits at once.
const stop = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('stopping after this poll (Ctrl-C again to quit now)\n');
  stop.abort();
  process.once('SIGINT', () => process.exit(130));
});
process.exitCode = await main(process.argv.slice(2), undefined, stop.signal);
