import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { HANDLERS, handlerBuildOptions } from '../../bench/bundles.ts';

/**
 * What goes into each Lambda bundle (esbuild with the options `npm run bench` and NodejsFunction
 * use, in memory): the deployed config is JSON, so the `yaml` parser (~112 KiB minified, a tenth
 * of the load time) must stay out. Fails when a module a handler imports pulls it back in.
 */
const bundleInputs = async (entry: string): Promise<string[]> => {
  const result = await build({ ...handlerBuildOptions(entry, 'out/index.js'), write: false });
  return Object.keys(result.metafile.inputs);
};

describe('Lambda bundle inputs', () => {
  it('finds the yaml package in a bundle that imports it (the check below can fail)', async () => {
    // Act: the rules entry for the CLI and the CDK app includes the YAML front
    const inputs = await bundleInputs('cli/yaml/rules.ts');

    // Assess
    expect(inputs.some((path) => path.includes('node_modules/yaml/'))).toBe(true);
  });

  it.each(HANDLERS.map((h) => [h.name, h.entry, h.readsConfig] as const))(
    'keeps the yaml package out of the %s bundle',
    async (_name, entry, readsConfig) => {
      // Act
      const inputs = await bundleInputs(entry);

      // Assess: the config is read through the JSON fronts, and nothing brings yaml in
      if (readsConfig) expect(inputs).toContain('lambdas/pipeline/config.ts');
      expect(inputs.filter((path) => path.includes('node_modules/yaml/'))).toEqual([]);
      expect(inputs).not.toContain('cli/yaml/rules.ts');
      expect(inputs).not.toContain('cli/yaml/feeds-config.ts');
    }
  );
});
