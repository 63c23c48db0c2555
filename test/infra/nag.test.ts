import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp, newsAlertsStack } from '../../bin/app.ts';

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

const makeApp = (context: Record<string, unknown>): App =>
  new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });

/** `path rule` for every acknowledgement recorded in the construct tree. */
const acknowledgements = (root: IConstruct): string[] =>
  root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.keys(entry.data as Record<string, string>).map(
            (id) => `${construct.node.path} ${id.replace(/^annotation::/i, '')}`
          )
        )
    );

/** What cdk-nag finds in the stack with nothing acknowledged: rule and construct path. */
const rawFindings = (context: Record<string, unknown>) => {
  const app = makeApp(context);
  newsAlertsStack(app);
  return new AwsSolutionsChecks().validateScope(app).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      path: resource.constructPath ?? '',
    }))
  );
};

describe('cdk-nag acknowledgements', () => {
  // With and without the config upload (its BucketDeployment brings findings of its own).
  for (const context of [
    { alertEmails: 'ops@example.com', alertPhones: '+15555550100' },
    { uploadConfig: 'false' },
  ]) {
    it(`each one matches a finding, none is kept for nothing (${JSON.stringify(context)})`, () => {
      // Prepare
      const findings = rawFindings(context);
      const acknowledged = acknowledgements(buildApp(makeApp(context)));

      // Act: an acknowledgement applies to a finding of its rule on it or below it
      const unused = acknowledged.filter((entry) => {
        const [path, rule] = entry.split(' ');
        return !findings.some(
          (f) => f.rule === rule && (f.path === path || f.path.startsWith(`${path}/`))
        );
      });

      // Assess
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(unused).toEqual([]);
    });
  }
});
