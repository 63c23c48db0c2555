/**
 * The CDK app: the only place that reads context. Validates the settings, converts the repo's
 * config/ (YAML or JSON) to the JSON the Lambdas read, and applies cdk-nag's AwsSolutions checks.
 *
 *   npx cdk deploy -c alertEmails=a@example.com -c alertPhones=+15555550100
 *     [-c smsMinSeverity=high] [-c schedule=5] [-c uploadConfig=true]
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse } from 'yaml';
import { appConfigFromContext } from '../lib/config.ts';
import { NewsAlertsStack } from '../lib/news-alerts-stack.ts';

const configDir = fileURLToPath(new URL('../config/', import.meta.url));

/**
 * Reads config/<name>.yaml, .yml or .json and returns its JSON text: a format conversion only;
 * the Lambdas validate the content when they load it.
 */
const readConfigAsJson = (name: string): string | undefined => {
  for (const ext of ['json', 'yaml', 'yml']) {
    const path = `${configDir}${name}.${ext}`;
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    try {
      return `${JSON.stringify(ext === 'json' ? JSON.parse(text) : parse(text), null, 2)}\n`;
    } catch (err) {
      throw new Error(
        `config/${name}.${ext} is not valid ${ext === 'json' ? 'JSON' : 'YAML'}: fix it before deploying`,
        {
          cause: err,
        }
      );
    }
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
  buildApp().synth();
}
