// Bundles the `newsalert` command into dist/ (run by `npm ci` through "prepare", and by
// `npm run build`), so the command starts without compiling TypeScript. bin/newsalert.js uses
// the bundle only while none of its sources changed since; otherwise it runs the sources.
// It also writes dist/cli/default-rules.json, config/rules.yaml as JSON (which parses natively,
// without the YAML parser), used for the default rules while rules.yaml is not newer than it
// (cli/rules-file.ts checks the mtime recorded beside it).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { parseDocument } from 'yaml';

// The YAML parser is loaded on first use, not at start-up: `classify` with the default rules
// never needs it. Every export of `yaml` the bundle imports becomes a forwarder (`new` works).
const yamlNames = Object.keys(await import('yaml')).filter((name) => name !== 'default');
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'lazy-yaml' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({
      loader: 'js',
      contents: [
        "import { createRequire } from 'node:module';",
        'let yaml;',
        "const load = () => (yaml ??= createRequire(import.meta.url)('yaml'));",
        ...yamlNames.map(
          (name) =>
            `export function ${name}(...args) { const f = load().${name}; return new.target ? new f(...args) : f.apply(this, args); }`
        ),
      ].join('\n'),
    }));
  },
};

// Start clean: chunk names carry content hashes, so old ones would pile up.
rmSync('dist/cli', { recursive: true, force: true });
const result = await build({
  entryPoints: ['cli/main.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [lazyYaml],
  // cli/rules-file.ts uses the stored matcher of the default rules only in this bundle.
  define: { NEWSALERT_BUNDLED: 'true' },
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs)
  .filter((path) => existsSync(path))
  .map((path) => [path, statSync(path).mtimeMs]);
writeFileSync('dist/cli/inputs.json', JSON.stringify(inputs));

// The default rules as JSON, when rules.yaml parses (its validation stays at load time).
const RULES = 'config/rules.yaml';
const RULES_JSON = 'dist/cli/default-rules.json';
const RULES_META = 'dist/cli/default-rules.meta.json';
const RULES_MATCHER = 'dist/cli/default-rules.matcher.bin';
rmSync(RULES_META, { force: true });
const mtimeMs = statSync(RULES).mtimeMs;
const doc = parseDocument(readFileSync(RULES, 'utf8'), { uniqueKeys: true, prettyErrors: false });
rmSync(RULES_MATCHER, { force: true });
if (doc.errors.length === 0) {
  const text = JSON.stringify(doc.toJS());
  writeFileSync(RULES_JSON, text);
  writeFileSync(RULES_META, JSON.stringify({ source: RULES, mtimeMs }));
  // The compiled matcher of those rules, from the sources this bundle was built from. Invalid
  // rules get none: the command reports their problems when it loads them.
  const { register } = await import('tsx/esm/api');
  register();
  const { loadRulesJson } = await import('../lambdas/core/rules/load-json.ts');
  const { writeMatcherSnapshot } = await import('../cli/rules-snapshot.ts');
  let rules;
  try {
    rules = loadRulesJson(text, RULES);
  } catch {
    rules = undefined;
  }
  if (rules) writeMatcherSnapshot(rules, text, RULES_MATCHER);
} else {
  rmSync(RULES_JSON, { force: true });
}
