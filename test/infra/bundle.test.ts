import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/app.ts';
import { projectPath } from '../helpers/fixtures.ts';

/** The one test that bundles for real (esbuild, as `cdk synth` does): size and loadability. */
describe('Lambda bundles (real esbuild bundling)', () => {
  const MAX_BYTES = 1024 * 1024;
  let outdir: string;
  let bundles: Record<'scheduler' | 'poller' | 'classifier', string>;

  beforeAll(() => {
    // Prepare
    outdir = mkdtempSync(join(tmpdir(), 'newsalert-cdk-out-'));
    const context = JSON.parse(readFileSync(projectPath('cdk.json'), 'utf8')).context;
    const app = buildApp(new App({ outdir, context }));
    // Act
    const assembly = app.synth();
    // Assess: map each function to its asset folder through the template's S3Key
    const template = assembly.getStackByName('NewsAlerts').template as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
    };
    const assetOf = (prefix: string): string => {
      const entry = Object.entries(template.Resources).find(
        ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(prefix)
      );
      const key = entry?.[1].Properties.Code?.S3Key;
      if (!key) throw new Error(`no function ${prefix} in the template`);
      return join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.js');
    };
    bundles = {
      scheduler: assetOf('ScheduleScheduler'),
      poller: assetOf('PollPoller'),
      classifier: assetOf('ClassifyClassifier'),
    };
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it.each(['scheduler', 'poller', 'classifier'] as const)(
    'keeps the %s bundle at most 1 MB minified',
    (name) => {
      const size = statSync(bundles[name]).size;
      expect(size).toBeGreaterThan(1000);
      expect(size).toBeLessThanOrEqual(MAX_BYTES);
    }
  );

  it.each(['scheduler', 'poller', 'classifier'] as const)(
    'loads the %s bundle in plain Node, with no node_modules, and exports handler',
    (name) => {
      const out = execFileSync(
        process.execPath,
        ['-e', `process.stdout.write(typeof require(${JSON.stringify(bundles[name])}).handler)`],
        {
          env: {
            PATH: process.env.PATH ?? '',
            AWS_REGION: 'us-east-1',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            BUCKET_NAME: 'newsalert-bucket',
            TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
            POLL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/poll',
          },
          encoding: 'utf8',
          // Outside the project, so nothing can be resolved from its node_modules.
          cwd: tmpdir(),
        }
      );
      expect(out).toBe('function');
    }
  );

  it('bundles the AWS SDK clients it uses instead of requiring the runtime copy', () => {
    const code = readFileSync(bundles.classifier, 'utf8');
    expect(code).not.toMatch(/require\("@aws-sdk\/(client|core|credential)/);
    expect(code).not.toMatch(/require\("@smithy\//);
    // The SNS client itself is in the file (its package metadata is compiled in).
    expect(code).toMatch(/name:"@aws-sdk\/client-sns",version:"/);
    const scheduler = readFileSync(bundles.scheduler, 'utf8');
    expect(scheduler).not.toMatch(/require\("@aws-sdk\/(client|core|credential)/);
    expect(scheduler).toMatch(/name:"@aws-sdk\/client-sqs",version:"/);
  });
});
