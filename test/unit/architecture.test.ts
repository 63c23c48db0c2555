/**
 * The layering rules of STYLE.md, enforced: the core is pure (no AWS SDK, no environment, no
 * clock, no randomness, no I/O) and depends on nothing outside itself; lib/ holds no Lambda code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../helpers/fixtures.ts';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

const importsOf = (text: string): string[] =>
  [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

/** Code without comments, so a rule may name what it forbids in its documentation. */
const code = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('Architecture', () => {
  const coreRoot = projectPath('lambdas/core');
  const core = sources(coreRoot);

  it.each(core.map((path) => [relative(projectPath(''), path), path]))(
    '%s stays pure',
    (_name, path) => {
      const text = readFileSync(path, 'utf8');
      for (const spec of importsOf(text)) {
        expect(spec, `${path} imports ${spec}`).not.toMatch(
          /^(@aws-sdk\/|@aws-lambda-powertools\/|aws-lambda$|yaml$|node:(fs|http|https|net|child_process|os|process)|fs$)/
        );
        if (spec.startsWith('.')) {
          const target = relative(coreRoot, resolve(dirname(path), spec));
          expect(target, `${path} imports ${spec}, outside the core`).not.toMatch(/^\.\./);
        }
      }
      const body = code(text);
      expect(body, `${path} reads the environment`).not.toMatch(/process\.(env|argv|cwd)/);
      expect(body, `${path} reads the clock`).not.toMatch(
        /Date\.now\(|new Date\(\s*\)|performance\.now/
      );
      expect(body, `${path} uses randomness`).not.toMatch(/Math\.random|randomUUID|randomBytes/);
    }
  );

  it('keeps lib/ free of Lambda code (the shared shapes aside) and of the environment', () => {
    for (const path of sources(projectPath('lib'))) {
      const text = readFileSync(path, 'utf8');
      for (const spec of importsOf(text)) {
        if (spec.endsWith('lambdas/core/common/types.ts')) continue;
        expect(spec, `${path} imports ${spec}`).not.toMatch(/lambdas\/(core|pipeline|adapters)\//);
      }
      expect(code(text), `${path} reads the environment`).not.toMatch(/process\.env/);
    }
  });
});
