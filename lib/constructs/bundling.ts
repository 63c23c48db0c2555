/**
 * How every Lambda of the stack is bundled by esbuild (NewsFunction); the bench and the bundle
 * tests build with the same settings (bench/bundles.ts handlerBuildOptions), so what they measure
 * and prove is what deploys. The output format is CommonJS on both sides.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: false,
  target: 'node24',
  // The AWS SDK clients are bundled (tree-shaken from their ES module builds) rather than taken
  // from the runtime: a cold start loads one file instead of resolving some sixty SDK modules
  // (npm run bench: module load 2.5x -> 2.2x a bare node), and the deployed SDK is the version the
  // tests ran with. Its security fixes therefore arrive with a dependency update and a deploy.
  externalModules: [] as readonly string[],
  mainFields: ['module', 'main'] as readonly string[],
} as const;
