/**
 * The layering rules of docs/ARCHITECTURE.md ("What each part may import"), enforced: the core is pure (no AWS SDK, no environment, no
 * clock, no randomness, no I/O) and depends on nothing outside itself; lib/ holds no Lambda code;
 * no source file imports itself through others.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../helpers/fixtures.ts';

/** The files under dir whose names end in one of the endings (declaration files left out). */
const sources = (dir: string, endings: readonly string[] = ['.ts']): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, endings);
    const isDeclaration = /\.d\.[cm]?ts$/.test(entry.name);
    return !isDeclaration && endings.some((end) => entry.name.endsWith(end)) ? [path] : [];
  });

/**
 * The specifiers of a file's static imports and re-exports, type-only ones and bare
 * `import './x.ts'` included; dynamic `import()` is not one (it loads when called).
 */
const importsOf = (text: string): string[] =>
  [...text.matchAll(/^\s*(?:import|export)\s(?:[^'"();=]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? ''
  );

/** Code without comments, so a rule may name what it forbids in its documentation. */
const code = (text: string): string =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

const PACKAGE_IMPORTS: Record<string, string> =
  JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).imports ?? {};

/**
 * The absolute path a specifier names: relative ones from the importing file, the package's own
 * `#name/*` imports through package.json; undefined for a package or a Node built-in.
 */
const resolveImport = (from: string, spec: string): string | undefined => {
  if (spec.startsWith('.')) return resolve(dirname(from), spec);
  for (const [pattern, target] of Object.entries(PACKAGE_IMPORTS)) {
    const [prefix = '', suffix] = pattern.split('*');
    if (suffix === undefined ? spec === prefix : spec.startsWith(prefix)) {
      return projectPath(target.replace('*', spec.slice(prefix.length)));
    }
  }
  return undefined;
};

/** Every cycle closes on the file it starts from: the same cycle reads the same from any file. */
const fromFirstFile = (cycle: readonly string[]): string[] => {
  const ring = cycle.slice(0, -1);
  const first = ring.indexOf([...ring].sort()[0] ?? '');
  const turned = [...ring.slice(first), ...ring.slice(0, first)];
  return [...turned, turned[0] ?? ''];
};

/**
 * The import cycles of a graph (file -> the files it imports), each as the path that closes it,
 * starting and ending at its first file in sorted order: one per back edge of a depth-first walk,
 * so none exactly when the graph has no cycle.
 */
const findCycles = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of [...(graph.get(file) ?? [])].sort()) {
      const seen = state.get(next);
      if (seen === 'open') cycles.push(fromFirstFile([...path.slice(path.indexOf(next)), next]));
      else if (seen === undefined) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
};

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

/** The folders whose files the cycle check walks: every source, the tests aside. */
const SOURCE_ROOTS = ['lambdas', 'cli', 'lib', 'bin', 'bench'];
const SOURCE_ENDINGS = ['.ts', '.mts', '.js', '.mjs'];

describe('Import cycles', () => {
  const root = projectPath('');
  // The sources and every file they import, whatever its folder (bench/ uses test helpers), so a
  // cycle through a file outside the roots is seen too
  const graph = new Map<string, string[]>();
  const pending = SOURCE_ROOTS.flatMap((dir) => sources(projectPath(dir), SOURCE_ENDINGS));
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    const name = relative(root, path);
    if (graph.has(name) || !existsSync(path)) continue;
    const targets = importsOf(readFileSync(path, 'utf8')).flatMap((spec) => {
      const target = resolveImport(path, spec);
      return target === undefined ? [] : [target];
    });
    graph.set(
      name,
      targets.map((target) => relative(root, target))
    );
    pending.push(...targets);
  }
  const cycles = findCycles(graph).map((cycle) => cycle.join(' -> '));

  it('reads every static import, type-only and bare ones too, and no dynamic one', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "import {\n  c,\n  type D,\n} from './c.ts';",
      "export { e } from './e.ts';",
      "export * from './f.ts';",
      "import './g.ts';",
      "const h = await import('./h.ts');",
      "// import { i } from './i.ts';",
      "export const j = 'j';",
    ].join('\n');

    expect(importsOf(text)).toEqual(['./a.ts', './b.ts', './c.ts', './e.ts', './f.ts', './g.ts']);
  });

  it('finds a cycle through several files, a file that imports itself, and none in a diamond', () => {
    const graph = new Map([
      ['d.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['d.ts', 'e.ts']],
      ['e.ts', []],
      ['self.ts', ['self.ts']],
    ]);
    const diamond = new Map([
      ['a.ts', ['b.ts', 'c.ts']],
      ['b.ts', ['d.ts']],
      ['c.ts', ['d.ts']],
      ['d.ts', []],
    ]);

    expect(findCycles(graph)).toEqual([
      ['b.ts', 'c.ts', 'd.ts', 'b.ts'],
      ['self.ts', 'self.ts'],
    ]);
    expect(findCycles(diamond)).toEqual([]);
  });

  it('resolves every import it follows to a file (no edge escapes the check)', () => {
    const lost = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !graph.has(target)).map((target) => `${file} -> ${target}`)
    );

    expect(lost).toEqual([]);
  });

  it('has no source file that imports itself through others', () => {
    expect(cycles).toEqual([]);
  });
});
