// Bundles the `newsalert` command into dist/ (run by `npm ci` through "prepare", and by
// `npm run build`), so the command starts without compiling TypeScript. bin/newsalert.js uses
// the bundle only while none of its sources changed since; otherwise it runs the sources.
import { statSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['cli/main.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).map((path) => [path, statSync(path).mtimeMs]);
writeFileSync('dist/cli/inputs.json', JSON.stringify(inputs));
