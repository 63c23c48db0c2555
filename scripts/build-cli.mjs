// Bundles the `newsalert` command into dist/ (run by `npm ci` through "prepare", and by
// `npm run build`), so the command starts without compiling TypeScript. bin/newsalert.js uses
// the bundle only while none of its sources changed since; otherwise it runs the sources.
// It also writes dist/cli/default-rules.json, config/rules.yaml as JSON (which parses natively,
// without the YAML parser), and the compiled matcher of those rules (see the end of this file).
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// JSON data from packages (the report's world map) is bundled: the bundle would drop the import
// attribute (`with { type: 'json' }`) that Node needs to load it as an external module.
const require = createRequire(import.meta.url);
const bundledJson = {
  name: 'bundled-json',
  setup(b) {
    b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: require.resolve(args.path) }));
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
  plugins: [lazyYaml, bundledJson],
  // cli/rules-file.ts uses the stored matcher of the default rules only in this bundle.
  define: { NEWSALERT_BUNDLED: 'true' },
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs)
  .filter((path) => existsSync(path))
  .map((path) => [path, statSync(path).mtimeMs]);
writeFileSync('dist/cli/inputs.json', JSON.stringify(inputs));

// The default rules as JSON, when rules.yaml parses (its validation stays at load time), with the
// digest of the YAML text it was made from (cli/rules-file.ts uses the copy while they match) and
// the compiled matcher of those rules, from the sources this bundle was built from. Invalid rules
// get no matcher: the command reports their problems when it loads them.
const RULES = 'config/rules.yaml';
const yamlText = readFileSync(RULES, 'utf8');
const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
if (doc.errors.length === 0) {
  const text = JSON.stringify(doc.toJS());
  const { register } = await import('tsx/esm/api');
  register();
  const { InvalidInputError } = await import('../lambdas/core/common/errors.ts');
  const { loadRulesJson } = await import('../lambdas/core/rules/load-json.ts');
  const { textHash, writeMatcherSnapshot } = await import('../cli/rules-snapshot.ts');
  writeFileSync('dist/cli/default-rules.json', text);
  writeFileSync(
    'dist/cli/default-rules.meta.json',
    JSON.stringify({ source: RULES, sha1: textHash(yamlText) })
  );
  let rules;
  try {
    rules = loadRulesJson(text, RULES);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
  }
  if (rules) writeMatcherSnapshot(rules, text, 'dist/cli/default-rules.matcher.bin');
}
