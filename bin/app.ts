/**
 * The CDK app: the only place that reads context. Validates the settings, validates the repo's
 * config/ (feeds and rules, YAML or JSON) and converts it to the JSON the Lambdas read, and
 * applies cdk-nag's AwsSolutions checks.
 *
 *   npx cdk deploy -c alertEmails=a@example.com,b@example.com -c alertPhones=+15555550100
 *
 * Context (all optional): alertEmails, alertPhones (E.164), smsMinSeverity (low | medium | high |
 * critical, default high), schedule (minutes or rate()/cron(), default 5), alarmEmails (default
 * alertEmails), uploadConfig (default true), reservePollerConcurrency (default true).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse } from 'yaml';
import { InvalidInputError } from '../lambdas/core/errors.ts';
import { parseFeedsConfig } from '../lambdas/core/feeds-config.ts';
import { loadRules } from '../lambdas/core/rules/index.ts';
import { appConfigFromContext, ContextError } from '../lib/config.ts';
import { NewsAlertsStack } from '../lib/news-alerts-stack.ts';

const configDir = fileURLToPath(new URL('../config/', import.meta.url));

/** The same checks the Lambdas apply when they load the files: a bad file stops the deploy. */
const VALIDATE: Record<string, (text: string, source: string) => unknown> = {
  feeds: parseFeedsConfig,
  rules: loadRules,
};

/**
 * Reads config/<name>.yaml, .yml or .json, validates it and returns its JSON text (the form the
 * Lambdas read from the bucket).
 */
const readConfigAsJson = (name: string): string | undefined => {
  for (const ext of ['json', 'yaml', 'yml']) {
    const path = `${configDir}${name}.${ext}`;
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    VALIDATE[name]?.(text, `config/${name}.${ext}`);
    return `${JSON.stringify(ext === 'json' ? JSON.parse(text) : parse(text), null, 2)}\n`;
  }
  return undefined;
};

export const buildApp = (app: App = new App()): App => {
  const config = appConfigFromContext((key) => app.node.tryGetContext(key));
  const configFiles: Record<string, string> = {};
  for (const name of ['feeds', 'rules']) {
    const json = readConfigAsJson(name);
    if (json !== undefined) configFiles[`${name}.json`] = json;
  }
  new NewsAlertsStack(app, 'NewsAlerts', {
    description: 'newsalert: news feeds -> keyword escalation alerts by email and SMS',
    config,
    configFiles,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildApp().synth();
  } catch (err) {
    // Bad settings or config files: one clear line, not a stack trace. Anything else propagates.
    if (!(err instanceof ContextError || err instanceof InvalidInputError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  }
}
