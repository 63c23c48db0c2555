/**
 * The CDK app: the only place that reads context. Validates the settings, validates the repo's
 * config/ (feeds and rules, YAML or JSON) and converts it to the JSON the Lambdas read, and
 * applies cdk-nag's AwsSolutions checks.
 *
 *   npx cdk deploy -c alertEmails=a@example.com,b@example.com -c alertPhones=+15555550100
 *
 * Context (all optional): subscribers (a YAML or JSON file: who receives what), alertEmails,
 * alertPhones (E.164), smsMinSeverity (low | medium | high | critical, default high), schedule
 * (minutes or rate()/cron(), default 5), alarmEmails (default alertEmails), uploadConfig (default
 * true), reserveConcurrency (default true), feedsPerShard (default 1000), pollerMaxConcurrency (2
 * to 1000, default 10), rules (a rule file to deploy instead of config/rules.yaml, typically one
 * that says `extend: default`: merged here with config/rules.yaml, so the Lambdas get the full
 * rules). Any other key is refused with the nearest setting; a stack with no subscriber warns at
 * synth and deploy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFeedsDocument } from '../cli/yaml/feeds-config.ts';
import { parseRuleFile } from '../cli/yaml/rules.ts';
import { readSubscribers } from '../cli/yaml/subscribers.ts';
import { InvalidInputError } from '../lambdas/core/common/errors.ts';
import type { DeliveryPlan, Severity } from '../lambdas/core/common/types.ts';
import {
  planDelivery,
  shorthandSubscribers,
  withShorthands,
} from '../lambdas/core/delivery/delivery-plan.ts';
import type { SubscriberVocabulary } from '../lambdas/core/delivery/subscribers.ts';
import { validateFeeds } from '../lambdas/core/feeds/feeds-config.ts';
import { subscriberVocabulary } from '../lambdas/core/rules/gazetteer.ts';
import { compileRuleFile } from '../lambdas/core/rules/ruleset.ts';
import {
  type AppConfig,
  appConfigFromContext,
  ContextError,
  checkContextKeys,
} from '../lib/config.ts';
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
    // A file that extends the default rules is merged with them: the document is the full rules.
    const { document, ...check } = parseRuleFile(text, source);
    compileRuleFile(check, source);
    if (check.spec) {
      vocabularies.set(text, subscriberVocabulary(check.spec));
      deployedVocabulary = vocabularies.get(text);
    }
    return document;
  },
};

/** What watchlists may name, by the text of the rule file it comes from (read once per text). */
const vocabularies = new Map<string, SubscriberVocabulary>();
/** The vocabulary of the rule file last converted for deploying (`-c rules=FILE` or config/). */
let deployedVocabulary: SubscriberVocabulary | undefined;

/** The vocabulary of config/rules.*, or none (any name accepted) when there is no rule file. */
const configVocabulary = (): SubscriberVocabulary => {
  for (const ext of ['json', 'yaml', 'yml']) {
    const path = `${configDir}rules.${ext}`;
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (!vocabularies.has(text)) READ.rules(text, `config/rules.${ext}`);
    return vocabularies.get(text) ?? {};
  }
  return {};
};

/**
 * Who receives what: the subscribers file (checked against the gazetteer's countries and the
 * rules' categories) and the alertEmails/alertPhones shorthands.
 */
export const deliveryPlan = (
  config: AppConfig,
  vocabulary: SubscriberVocabulary = configVocabulary()
): DeliveryPlan => {
  const smsMin = config.smsMinSeverity as Exclude<Severity, 'none'>;
  const file = config.subscribersFile;
  if (file !== undefined && !existsSync(resolve(file))) {
    throw new ContextError(
      `subscribers: no file ${file} (the path is relative to ${process.cwd()})`
    );
  }
  const fromFile =
    file === undefined
      ? []
      : readSubscribers(readFileSync(resolve(file), 'utf8'), file, vocabulary);
  const subscribers = withShorthands(
    fromFile,
    shorthandSubscribers(config.alertEmails, config.alertPhones, smsMin)
  );
  return planDelivery(subscribers, smsMin);
};

/**
 * Reads config/<name>.yaml, .yml or .json (or `file`, the `rules` setting), validates it and
 * returns its JSON text (the form the Lambdas read from the bucket).
 */
export const readConfigAsJson = (name: keyof typeof READ, file?: string): string | undefined => {
  if (file !== undefined) {
    if (!existsSync(file)) throw new ContextError(`${name}: no such file ${file}`);
    return `${JSON.stringify(READ[name](readFileSync(file, 'utf8'), file), null, 2)}\n`;
  }
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
  const settings = appConfigFromContext((key) => app.node.tryGetContext(key));
  const configFiles: Record<string, string> = {};
  deployedVocabulary = undefined;
  for (const name of ['feeds', 'rules'] as const) {
    const file = name === 'rules' ? app.node.tryGetContext('rules') : undefined;
    const json = readConfigAsJson(name, typeof file === 'string' ? file : undefined);
    if (json !== undefined) configFiles[`${name}.json`] = json;
  }
  // Watchlists are checked against the rules deployed (an extending rule file included).
  const config = {
    ...settings,
    delivery: deliveryPlan(settings, deployedVocabulary ?? configVocabulary()),
  };
  const stack = new NewsAlertsStack(app, 'NewsAlerts', {
    description: 'newsalert: news feeds -> keyword escalation alerts by email and SMS',
    config,
    configFiles,
  });
  if (config.delivery.subscriptions.length === 0) {
    // Printed by `cdk synth` and `cdk deploy` alike: a stack that alerts nobody is allowed (to
    // subscribe later by hand) but never silent.
    Annotations.of(stack).addWarningV2(
      'newsalert:no-subscribers',
      'NO SUBSCRIBERS: this stack sends its alerts to nobody. Give -c subscribers=subscribers.yaml (see the README), or -c alertEmails=you@example.org and/or -c alertPhones=+15555550100, or subscribe to the AlertTopicArn output by hand.'
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
