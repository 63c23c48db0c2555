/** A CDK app for the infra tests: the feature flags of cdk.json, bundling skipped. */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { NewsAlertsStack } from '../../lib/news-alerts-stack.ts';

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` does. */
export const cdkJsonContext = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')
).context as Record<string, unknown>;

export const makeApp = (context: Record<string, unknown> = {}): App =>
  new App({
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context },
  });

export const stackOf = (app: App): NewsAlertsStack =>
  app.node.findChild('NewsAlerts') as NewsAlertsStack;
