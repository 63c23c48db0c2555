#!/usr/bin/env node
// The `newsalert` command: runs the TypeScript CLI through tsx's loader, so the
// same sources serve the CLI, the Lambdas and the tests with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
