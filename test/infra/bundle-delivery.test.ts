import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS, handlerBuildOptions, LAMBDA_ENV } from '../../bench/bundles.ts';

/**
 * The handlers the default stack does not deploy (webhooks and the digest are created only when
 * configured), bundled as NodejsFunction bundles them: size and loadability.
 */
const OPTIONAL = HANDLERS.filter((h) => !h.readsConfig);

describe('Lambda bundles of the optional functions (esbuild as the stack bundles)', () => {
  const MAX_BYTES = 1024 * 1024;
  let dir: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsalert-bundles-'));
    // Lambda loads index.js as CommonJS; no package.json above the temporary folder says otherwise.
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    for (const handler of OPTIONAL) {
      const outfile = join(dir, handler.name, 'index.js');
      await build(handlerBuildOptions(handler.entry, outfile));
      files[handler.name] = outfile;
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(OPTIONAL.map((h) => h.name))('keeps the %s bundle at most 1 MB minified', (name) => {
    const size = statSync(files[name] ?? '').size;
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThanOrEqual(MAX_BYTES);
  });

  it.each(OPTIONAL.map((h) => h.name))(
    'loads the %s bundle in plain Node, with no node_modules, and exports handler',
    (name) => {
      const out = execFileSync(
        process.execPath,
        ['-e', `process.stdout.write(typeof require(${JSON.stringify(files[name])}).handler)`],
        { env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV }, encoding: 'utf8', cwd: tmpdir() }
      );
      expect(out).toBe('function');
    }
  );
});
