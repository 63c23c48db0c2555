/**
 * Lambda bundle bench: each handler bundled as CDK's NodejsFunction does in this project
 * (lib/constructs/news-function.ts: bundle, minify, platform node, target node24, CJS, the AWS
 * SDK included), its size, and the time to load it in a fresh node beside a bare `node -e ''`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../lib/constructs/bundling.ts';
import type { Check, SectionResult } from './lib/report.ts';
import { median, timeProcess } from './lib/stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every Lambda handler; `readsConfig`: it loads config/ from the bucket (feeds or rules). */
export const HANDLERS = [
  { name: 'schedule-polls', entry: 'lambdas/schedule-polls/handler.ts', readsConfig: true },
  { name: 'poll-feeds', entry: 'lambdas/poll-feeds/handler.ts', readsConfig: true },
  { name: 'classify-items', entry: 'lambdas/classify-items/handler.ts', readsConfig: true },
  { name: 'deliver-webhook', entry: 'lambdas/deliver-webhook/handler.ts', readsConfig: false },
  { name: 'send-digest', entry: 'lambdas/send-digest/handler.ts', readsConfig: false },
] as const;

/**
 * esbuild options for one handler as NodejsFunction bundles it (lib/constructs/news-function.ts),
 * with a metafile listing the inputs. `entry` is relative to the repo root.
 */
export const handlerBuildOptions = (
  entry: string,
  outfile: string
): BuildOptions & { metafile: true } => ({
  entryPoints: [join(ROOT, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  minify: LAMBDA_BUNDLING.minify,
  sourcemap: LAMBDA_BUNDLING.sourceMap,
  target: LAMBDA_BUNDLING.target,
  external: [...LAMBDA_BUNDLING.externalModules],
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  metafile: true,
  logLevel: 'silent',
});

export interface BundleOptions {
  readonly workDir: string;
  /** Load-time runs of each (median taken). */
  readonly runs: number;
  readonly goals: { readonly bytes: number; readonly loadRatio: number };
}

export interface BundleMeasure {
  readonly name: string;
  readonly bytes?: number;
  /** Output bytes by package ('(project)' for the repo's own code), largest first. */
  readonly packages?: Array<[string, number]>;
  readonly loadMs?: number[];
  readonly error?: string;
}

export interface BundleMeasures {
  readonly bareMs: number[];
  /** `require` of the two SDK clients alone: the share of load time that is the runtime's SDK. */
  readonly sdkMs: number[];
  readonly bundles: BundleMeasure[];
}

/** The environment a deployed handler has, with dummy values, so module scope does not fail. */
export const LAMBDA_ENV = {
  BUCKET_NAME: 'newsalert-bench-bucket',
  WEBHOOK_SECRET_ID: 'newsalert/bench-webhook',
  DIGEST_GROUPS: '[{"id":"bench"}]',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:newsalert-bench',
  POLL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/newsalert-bench-poll',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'newsalert-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'NewsAlertBench',
};

/** Sums a bundle's output bytes by the npm package each input came from. */
export const byPackage = (
  inputs: Record<string, { bytesInOutput: number }>
): Array<[string, number]> => {
  const sums = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match?.[1] ?? '(project)';
    sums.set(name, (sums.get(name) ?? 0) + bytesInOutput);
  }
  return [...sums.entries()].sort((a, b) => b[1] - a[1]);
};

export const measureBundles = async (options: BundleOptions): Promise<BundleMeasures> => {
  const dir = join(options.workDir, 'bundles');
  await mkdir(dir, { recursive: true });
  // The repo is "type": "module"; Lambda's runtime loads index.js as CommonJS, so say so here.
  await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  const built: Array<{
    name: string;
    file?: string;
    bytes?: number;
    packages?: Array<[string, number]>;
    error?: string;
  }> = [];
  for (const handler of HANDLERS) {
    const outfile = join(dir, handler.name, 'index.js');
    try {
      const result = await build(handlerBuildOptions(handler.entry, outfile));
      const out = Object.values(result.metafile.outputs)[0];
      built.push({
        name: handler.name,
        file: outfile,
        bytes: out?.bytes ?? 0,
        packages: byPackage(out?.inputs ?? {}),
      });
    } catch (err) {
      built.push({ name: handler.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const env = { ...process.env, ...LAMBDA_ENV };
  const node = async (code: string) => {
    const run = await timeProcess(process.execPath, ['-e', code], { env, cwd: ROOT });
    if (run.code !== 0)
      throw new Error(`node -e ${code} exited ${run.code}: ${run.stderr.slice(0, 400)}`);
    return run.ms;
  };
  const bareMs: number[] = [];
  const sdkMs: number[] = [];
  const loadMs = new Map<string, number[]>();
  const failed = new Map<string, string>();
  await node(''); // warm the file cache
  for (let i = 0; i < options.runs; i += 1) {
    bareMs.push(await node(''));
    sdkMs.push(await node("require('@aws-sdk/client-s3');require('@aws-sdk/client-sns')"));
    for (const b of built) {
      if (!b.file || failed.has(b.name)) continue;
      try {
        const ms = await node(`require(${JSON.stringify(b.file)})`);
        loadMs.set(b.name, [...(loadMs.get(b.name) ?? []), ms]);
      } catch (err) {
        failed.set(b.name, err instanceof Error ? err.message : String(err));
      }
    }
  }
  return {
    bareMs,
    sdkMs,
    bundles: built.map((b) => ({
      name: b.name,
      ...(b.bytes !== undefined ? { bytes: b.bytes } : {}),
      ...(b.packages ? { packages: b.packages } : {}),
      ...(loadMs.has(b.name) ? { loadMs: loadMs.get(b.name) } : {}),
      ...(b.error || failed.has(b.name) ? { error: b.error ?? failed.get(b.name) } : {}),
    })),
  };
};

export const bundleSection = (m: BundleMeasures, options: BundleOptions): SectionResult => {
  const bare = median(m.bareMs);
  const checks: Check[] = [];
  const notes: string[] = [];
  for (const b of m.bundles) {
    if (b.bytes !== undefined) {
      checks.push({
        section: 'bundles',
        name: `${b.name} bundle size (minified, the AWS SDK clients included)`,
        value: b.bytes / 1024,
        unit: 'KiB',
        goal: `<= ${options.goals.bytes / 1024 / 1024} MiB`,
        pass: b.bytes <= options.goals.bytes,
      });
    }
    if (b.packages) {
      notes.push(
        `${b.name} bundle by package: ${b.packages
          .slice(0, 6)
          .map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)} KiB`)
          .join(', ')}`
      );
    }
    if (b.loadMs) {
      const load = median(b.loadMs);
      checks.push({
        section: 'bundles',
        name: `${b.name} module load (node -e "require(bundle)", median of ${b.loadMs.length})`,
        value: load,
        unit: 'ms',
        baseline: { name: "bare node -e ''", value: bare, unit: 'ms' },
        ratio: load / bare,
        goal: `<= ${options.goals.loadRatio}x`,
        pass: load / bare <= options.goals.loadRatio,
      });
    }
    if (b.error) {
      checks.push({
        section: 'bundles',
        name: `${b.name} bundle`,
        value: 0,
        unit: '',
        goal: 'builds and loads',
        pass: false,
      });
      notes.push(`${b.name}: ${b.error.split('\n').slice(0, 3).join(' ')}`);
    }
  }
  const sdk = median(m.sdkMs);
  checks.push({
    section: 'bundles',
    name: "for comparison: require('@aws-sdk/client-s3') + client-sns from node_modules, unbundled",
    value: sdk,
    unit: 'ms',
    baseline: { name: "bare node -e ''", value: bare, unit: 'ms' },
    ratio: sdk / bare,
  });
  notes.push(
    'the bundles carry their AWS SDK clients (lib/constructs/news-function.ts); the cold start also includes what the handler does at module scope (SDK clients, Powertools)'
  );
  return {
    name: 'bundles',
    checks,
    notes,
    details: { ...m, bareMedianMs: bare, sdkMedianMs: sdk },
  };
};
