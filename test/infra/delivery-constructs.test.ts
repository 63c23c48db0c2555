import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/config.ts';
import { Digest, type DigestProps } from '../../lib/constructs/digest.ts';
import {
  WebhookDelivery,
  type WebhookDeliveryProps,
} from '../../lib/constructs/webhook-delivery.ts';
import {
  acknowledgeDigestFindings,
  acknowledgeNagFindings,
  acknowledgeWebhookFindings,
} from '../../lib/nag-acknowledgements.ts';
import { NewsAlertsStack } from '../../lib/news-alerts-stack.ts';
import { projectPath } from '../helpers/fixtures.ts';

const cdkJsonContext = JSON.parse(readFileSync(projectPath('cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;
const makeApp = (): App =>
  new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });

const WEBHOOKS: WebhookDeliveryProps['webhooks'] = [
  {
    id: 'ops-slack',
    secretName: 'newsalert/ops-slack',
    filterPolicy: {
      severity: SubscriptionFilter.stringFilter({ allowlist: ['high', 'critical'] }),
    },
  },
  { id: 'siem', secretName: 'newsalert/siem', signingSecretName: 'newsalert/siem-signing' },
];

const common = {
  depsLockFilePath: projectPath('package-lock.json'),
  serviceName: 'newsalert-test',
  metricsNamespace: 'NewsAlertTest',
};

interface TestStack {
  stack: Stack;
  webhooks: WebhookDelivery;
  digest: Digest;
}

const testStack = (
  app: App,
  digestProps: Partial<DigestProps> = {},
  webhooks: WebhookDeliveryProps['webhooks'] = WEBHOOKS
): TestStack => {
  const stack = new Stack(app, 'Delivery', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const bucket = new Bucket(stack, 'Bucket');
  const topic = new Topic(stack, 'AlertTopic', { enforceSSL: true });
  const digestTopic = new Topic(stack, 'DigestTopic', { enforceSSL: true });
  return {
    stack,
    webhooks: new WebhookDelivery(stack, 'Webhooks', {
      topic,
      webhooks,
      entry: projectPath('lambdas/deliver-webhook/handler.ts'),
      ...common,
    }),
    digest: new Digest(stack, 'Digest', {
      bucket,
      digestTopic,
      groups: [
        { id: 'everything' },
        { id: 'ukraine', minSeverity: 'high', countries: ['Ukraine'] },
      ],
      entry: projectPath('lambdas/send-digest/handler.ts'),
      ...common,
      ...digestProps,
    }),
  };
};

const ref = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe('Construct: WebhookDelivery', () => {
  let built: TestStack;
  let template: Template;

  beforeAll(() => {
    built = testStack(makeApp());
    template = Template.fromStack(built.stack);
  });

  it('subscribes one function per webhook to the alert topic, with its filter policy', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    const slackFn = ref(built.stack, built.webhooks.functions['ops-slack']?.fn ?? never());
    const siemFn = ref(built.stack, built.webhooks.functions.siem?.fn ?? never());
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [slackFn, 'Arn'] },
      FilterPolicy: { severity: ['high', 'critical'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [siemFn, 'Arn'] },
      FilterPolicy: Match.absent(),
    });
  });

  it('names the secrets in the environment, never their values', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          WEBHOOK_ID: 'siem',
          WEBHOOK_SECRET_ID: 'newsalert/siem',
          WEBHOOK_SIGNING_SECRET_ID: 'newsalert/siem-signing',
        }),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/hooks\.slack\.com|https:\/\/[^"]*hook/);
  });

  it('lets each function read only its own secrets (GetSecretValue)', () => {
    const arn = (name: string) =>
      `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-??????`;
    const policies = template.findResources('AWS::IAM::Policy');
    const secretStatements = Object.values(policies).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
        .filter((s) => JSON.stringify(s.Action).includes('secretsmanager'))
        .map((s) => ({ roles: p.Properties.Roles, action: s.Action, resource: s.Resource }))
    );
    expect(secretStatements).toHaveLength(2);
    const resources = secretStatements.map((s) => s.resource);
    expect(resources).toContainEqual(arn('newsalert/ops-slack'));
    expect(resources).toContainEqual([arn('newsalert/siem'), arn('newsalert/siem-signing')]);
    expect(secretStatements.every((s) => s.action === 'secretsmanager:GetSecretValue')).toBe(true);
    // Compare the roles: the Slack function's policy does not name the SIEM secrets.
    const slack = secretStatements.find((s) => JSON.stringify(s.resource).includes('ops-slack'));
    expect(JSON.stringify(slack?.resource)).not.toContain('siem');
  });

  it('retries twice, then sends the failed alert to an encrypted dead-letter queue, with an alarm', () => {
    const dlq = ref(built.stack, built.webhooks.deadLetterQueue);
    template.resourcePropertiesCountIs(
      'AWS::Lambda::EventInvokeConfig',
      {
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
      },
      2
    );
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('fails on a bad or repeated id and on a secret named by something else', () => {
    const build = (webhooks: WebhookDeliveryProps['webhooks']) => () =>
      testStack(makeApp(), {}, webhooks);
    expect(build([...WEBHOOKS, { id: 'siem', secretName: 'x' }])).toThrow(
      "webhook id 'siem' is used twice"
    );
    expect(build([{ id: '9 lives', secretName: 'x' }])).toThrow("got '9 lives'");
    expect(build([{ id: 'a', secretName: 'https://hooks.slack.com/services/T/B/X' }])).toThrow(
      "webhook 'a': a secret is named by its Secrets Manager name or ARN"
    );
  });
});

describe('Construct: Digest', () => {
  let built: TestStack;
  let template: Template;

  beforeAll(() => {
    built = testStack(makeApp());
    template = Template.fromStack(built.stack);
  });

  it('runs every day at 07:00 UTC by default, or on the given schedule', () => {
    const fn = ref(built.stack, built.digest.function.fn);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } })],
    });
    const other = Template.fromStack(
      testStack(makeApp(), { schedule: Schedule.cron({ minute: '30', hour: '18' }) }).stack
    );
    other.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 18 * * ? *)' });
  });

  it('passes the groups and the digest topic to the function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DIGEST_GROUPS: JSON.stringify([
            { id: 'everything' },
            { id: 'ukraine', minSeverity: 'high', countries: ['Ukraine'] },
          ]),
          TOPIC_ARN: { Ref: ref(built.stack, built.stack.node.findChild('DigestTopic')) },
        }),
      },
    });
  });

  it('may read alerts/ and its marks, write only its marks, and publish to the digest topic', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('DigestSender'))
      .flatMap(
        (p) =>
          p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>
      );
    const resourcesOf = (action: string) =>
      JSON.stringify(
        statements.filter((s) => JSON.stringify(s.Action).includes(action)).map((s) => s.Resource)
      );
    expect(resourcesOf('s3:GetObject')).toContain('/alerts/*');
    expect(resourcesOf('s3:PutObject')).toContain('/state/digests/*');
    expect(resourcesOf('s3:PutObject')).not.toContain('/alerts/*');
    expect(resourcesOf('sns:Publish')).toContain('DigestTopic');
    expect(resourcesOf('sns:Publish')).not.toContain('AlertTopic');
  });

  it('fails on no group or a bad one', () => {
    expect(() => testStack(makeApp(), { groups: [] })).toThrow('give at least one digest group');
    expect(() =>
      testStack(makeApp(), { groups: [{ id: 'a', minSeverity: 'urgent' as never }] })
    ).toThrow('minSeverity must be low, medium, high or critical');
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in either construct', () => {
    // Prepare
    const app = makeApp();
    const { stack, webhooks, digest } = testStack(app);
    const bucketId = ref(stack, stack.node.findChild('Bucket'));
    acknowledgeWebhookFindings(webhooks);
    acknowledgeDigestFindings(digest, bucketId);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act + Assess: synth throws on an unacknowledged finding; the test stack's own bucket and
    // topics are left out by acknowledging their findings here
    Validations.of(stack.node.findChild('Bucket')).acknowledge(
      { id: 'AwsSolutions-S1', reason: 'test bucket' },
      { id: 'AwsSolutions-S10', reason: 'test bucket' }
    );
    for (const id of ['AlertTopic', 'DigestTopic']) {
      Validations.of(stack.node.findChild(id)).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason: 'test topic',
      });
    }
    expect(() => app.synth()).not.toThrow();
  });

  it('wires the webhook and digest subscribers of the subscribers file, and stays clean', () => {
    // Prepare
    const app = makeApp();
    const stack = new NewsAlertsStack(app, 'NewsAlerts', {
      config: {
        ...appConfigFromContext(() => undefined),
        delivery: {
          subscriptions: [
            {
              channel: { type: 'webhook', secret: 'newsalert/desk' },
              id: 'a1b2c3',
              topic: 'alerts',
              filter: { severity: ['high', 'critical', 'test'] },
            },
            {
              channel: { type: 'email', address: 'desk@example.org' },
              id: 'd4e5f6',
              topic: 'digest',
              filter: { digestGroup: ['g1', 'test'] },
            },
          ],
          digestGroups: [{ id: 'g1', minSeverity: 'high' }],
        },
      },
    });
    acknowledgeNagFindings(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    const assembly = app.synth();

    // Assess
    const template = Template.fromStack(stack);
    template.hasOutput('WebhookDeadLetterQueueUrl', {});
    template.hasOutput('DigestLogGroup', {});
    template.hasOutput('LogGroupwebhooka1b2c3', {});
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      FilterPolicy: { severity: ['high', 'critical', 'test'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ DIGEST_GROUPS: Match.stringLikeRegexp('"g1"') }),
      },
    });
    expect(stack.digest).toBeDefined();
    expect(assembly.getStackByName('NewsAlerts')).toBeDefined();
  });
});

function never(): never {
  throw new Error('missing construct');
}
