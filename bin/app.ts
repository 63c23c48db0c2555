/**
 * The CDK app: the only place that reads context. Validates the settings, validates the repo's
 * config/ (feeds and rules, YAML or JSON) and converts it to the JSON the Lambdas read, and
 * applies cdk-nag's AwsSolutions checks.
 *
 *   npx cdk deploy -c alertEmails=a@example.com,b@example.com -c alertPhones=+15555550100
 *
 * Context (all optional): alertEmails, alertPhones (E.164), smsMinSeverity (low | medium | high |
 * critical, default high), schedule (minutes or rate()/cron(), default 5), alarmEmails (default
 * alertEmails), uploadConfig (default true), reserveConcurrency (default true), feedsPerShard
 * (default 250), pollerMaxConcurrency (2 to 1000, default 10). Any other key is refused with the
 * nearest setting; a stack with no subscriber warns at synth and deploy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFeedsDocument } from '../cli/yaml/feeds-config.ts';
import { parseRuleFile } from '../cli/yaml/rules.ts';
import { InvalidInputError } from '../lambdas/core/common/errors.ts';
import { validateFeeds } from '../lambdas/core/feeds/feeds-config.ts';
import { compileRuleFile } from '../lambdas/core/rules/ruleset.ts';
import { appConfigFromContext, ContextError, checkContextKeys } from '../lib/config.ts';
import { acknowledgeNagFindings } from '../lib/nag-acknowledgements.ts';
import { NewsAlertsStack } from '../lib/news-alerts-stack.ts';

const configDir = fileURLToPath(new URL('../config/', import.meta.url));

/**
 * Reads a config file (YAML or JSON) and validates it with the checks the Lambdas apply when they
 * load its JSON form (a bad file stops the deploy, its problems located by line); returns the
 * parsed document, which is uploaded as JSON.
 */
const READ = {
  feeds: (text: string, source: string): unknown => {
    const document = readFeedsDocument(text, source);
    validateFeeds(document, source);
    return document;
  },
  rules: (text: string, source: string): unknown => {
    const { document, ...check } = parseRuleFile(text, source);
    compileRuleFile(check, source);
    return document;
  },
};

/**
 * Reads config/<name>.yaml, .yml or .json, validates it and returns its JSON text (the form the
 * Lambdas read from the bucket).
 */
export const readConfigAsJson = (name: keyof typeof READ): string | undefined => {
  for (const ext of ['json', 'yaml', 'yml']) {
    const path = `${configDir}${name}.${ext}`;
    if (!existsSync(path)) continue;
    const document = READ[name](readFileSync(path, 'utf8'), `config/${name}.${ext}`);
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  return undefined;
};

/** The stack as the context and config/ describe it, without cdk-nag and its acknowledgements. */
export const newsAlertsStack = (app: App): NewsAlertsStack => {
  checkContextKeys(Object.keys(app.node.getAllContext()));
  const config = appConfigFromContext((key) => app.node.tryGetContext(key));
  const configFiles: Record<string, string> = {};
  for (const name of ['feeds', 'rules'] as const) {
    const json = readConfigAsJson(name);
    if (json !== undefined) configFiles[`${name}.json`] = json;
  }
  const stack = new NewsAlertsStack(app, 'NewsAlerts', {
    description: 'newsalert: news feeds -> keyword escalation alerts by email and SMS',
    config,
    configFiles,
  });
  if (config.alertEmails.length === 0 && config.alertPhones.length === 0) {
    // Printed by `cdk synth` and `cdk deploy` alike: a stack that alerts nobody is allowed (to
    // subscribe later by hand) but never silent.
    Annotations.of(stack).addWarningV2(
      'newsalert:no-subscribers',
      'NO SUBSCRIBERS: this stack sends its alerts to nobody. Give -c alertEmails=you@example.org and/or -c alertPhones=+15555550100, or subscribe to the AlertTopicArn output by hand.'
    );
  }
  return stack;
};

export const buildApp = (app: App = new App()): App => {
  acknowledgeNagFindings(newsAlertsStack(app));
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
