import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, readConfigAsJson } from '../../bin/app.ts';
import { parseFeedsConfig } from '../../cli/yaml/feeds-config.ts';
import { loadRules } from '../../cli/yaml/rules.ts';
import { parseFeedsJson } from '../../lambdas/core/feeds/feeds-config.ts';
import { loadRulesJson } from '../../lambdas/core/rules/load-json.ts';
import type { NewsAlertsStack } from '../../lib/news-alerts-stack.ts';
import { normalizeTemplate } from '../helpers/normalize-template.ts';

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` does. */
const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

const makeApp = (context: Record<string, unknown> = {}): App =>
  new App({
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context },
  });

const stackOf = (app: App): NewsAlertsStack => app.node.findChild('NewsAlerts') as NewsAlertsStack;

const BUCKET_ID = 'StorageBucket5CB7C8EA';

const bucketArnWith = (suffix: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET_ID, 'Arn'] }, suffix]],
});

describe('Stack: NewsAlerts', () => {
  let app: App;
  let template: Template;

  beforeAll(() => {
    // Prepare
    app = buildApp(
      makeApp({
        alertEmails: 'ops@example.com, duty@example.org',
        alertPhones: '+15555550100,+447700900123',
      })
    );
    // Act: synth runs cdk-nag (AwsSolutionsChecks) and throws on any unacknowledged finding
    app.synth();
    template = Template.fromStack(stackOf(app));
  });

  describe('cdk-nag', () => {
    it('synthesizes with zero unacknowledged AwsSolutions findings', () => {
      // Assess: beforeAll would have thrown ValidationFailed; synth again to be explicit
      expect(() => app.synth({ force: true })).not.toThrow();
    });
  });

  describe('bucket', () => {
    it('blocks public access, encrypts with S3-managed keys, versions and logs access', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: {
            DestinationBucketName: { Ref: Match.stringLikeRegexp('^StorageAccessLogs') },
            LogFilePrefix: 'data-bucket/',
          },
        }),
      });
    });

    it('keeps the logical id of the data bucket stable (a change would replace the bucket)', () => {
      const buckets = template.findResources('AWS::S3::Bucket', {
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      });
      expect(Object.keys(buckets)).toEqual([BUCKET_ID]);
    });

    it('expires items/ and alerts/ and old versions of state/', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'items/', ExpirationInDays: 30, Status: 'Enabled' }),
            Match.objectLike({ Prefix: 'alerts/', ExpirationInDays: 365, Status: 'Enabled' }),
            Match.objectLike({
              Prefix: 'state/',
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            }),
          ]),
        },
      });
    });

    it('denies requests without TLS on both buckets', () => {
      const policies = template.findResources('AWS::S3::BucketPolicy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 's3:*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        },
      });
      expect(Object.keys(policies)).toHaveLength(2);
    });

    it('uploads config/ without pruning and keeps it when the stack is deleted', () => {
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: BUCKET_ID },
        DestinationBucketKeyPrefix: 'config/',
        Prune: false,
        RetainOnDelete: true,
      });
    });
  });

  describe('poller', () => {
    it('runs on Node.js 24, arm64, with reserved concurrency 1, explicit timeout and memory', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('polls the configured feeds'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        ReservedConcurrentExecutions: 1,
        Timeout: 270,
        MemorySize: 512,
        Environment: {
          Variables: Match.objectLike({
            BUCKET_NAME: { Ref: BUCKET_ID },
            POWERTOOLS_SERVICE_NAME: 'newsalert-poller',
            POWERTOOLS_METRICS_NAMESPACE: 'NewsAlert',
          }),
        },
      });
    });

    it('is invoked every 5 minutes by default, without retries that could stack polls', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PollPollerFunction'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 0 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 300,
      });
    });

    it('may read config/ and state/ and write state/ and items/ only', () => {
      const policy = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PollPollerFunctionServiceRole') }] },
      });
      const [doc] = Object.values(policy).map((p) => JSON.stringify(p));
      expect(doc).toBeDefined();
      expect(doc).not.toContain('/alerts/*');
      expect(doc).not.toContain('s3:DeleteObject');
      expect(doc).not.toContain('sns:Publish');
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^PollPollerFunctionServiceRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
              Resource: [
                { 'Fn::GetAtt': [BUCKET_ID, 'Arn'] },
                bucketArnWith('/config/*'),
                bucketArnWith('/state/*'),
              ],
            }),
            Match.objectLike({
              Action: Match.arrayWith(['s3:PutObject']),
              Resource: [bucketArnWith('/items/*'), bucketArnWith('/state/*')],
            }),
          ]),
        },
      });
    });
  });

  describe('classifier', () => {
    it('gets S3 ObjectCreated events for items/ only, through SQS', () => {
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: BUCKET_ID },
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'items/' }] } },
              QueueArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyQueue'), 'Arn'] },
            },
          ],
        },
      });
    });

    it('reads an encrypted queue with a dead-letter queue after 5 deliveries', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 360,
        RedrivePolicy: {
          deadLetterTargetArn: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyDeadLetterQueue'), 'Arn'],
          },
          maxReceiveCount: 5,
        },
      });
      template.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true }, 2);
      template.resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        },
        2
      );
    });

    it('reports partial batch failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyQueue'), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('runs on Node.js 24, arm64, with the bucket and topic in its environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('classifies new items'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 60,
        MemorySize: 512,
        Environment: {
          Variables: Match.objectLike({
            BUCKET_NAME: { Ref: BUCKET_ID },
            TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
          }),
        },
      });
    });

    it('may publish to the alert topic and write state/ and alerts/ only', () => {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^ClassifyClassifierFunctionServiceRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['s3:GetBucket*', 's3:GetObject*', 's3:List*'],
              Resource: [
                { 'Fn::GetAtt': [BUCKET_ID, 'Arn'] },
                bucketArnWith('/alerts/*'),
                bucketArnWith('/config/*'),
                bucketArnWith('/items/*'),
                bucketArnWith('/state/*'),
              ],
            }),
            Match.objectLike({
              Action: Match.arrayWith(['s3:PutObject']),
              Resource: [bucketArnWith('/alerts/*'), bucketArnWith('/state/*')],
            }),
            Match.objectLike({
              Action: 'sns:Publish',
              Resource: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
            }),
          ]),
        },
      });
    });
  });

  describe('alert topic', () => {
    it('is encrypted and accepts TLS only', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        DisplayName: 'NewsAlert',
        KmsMasterKeyId: { 'Fn::Join': ['', Match.arrayWith([':alias/aws/sns'])] },
      });
      template.resourcePropertiesCountIs(
        'AWS::SNS::TopicPolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        },
        2
      );
    });

    it('subscribes every email to every alert', () => {
      for (const email of ['ops@example.com', 'duty@example.org']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: email,
          TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
          FilterPolicy: Match.absent(),
        });
      }
    });

    it('subscribes every phone by SMS to high and critical alerts by default', () => {
      for (const phone of ['+15555550100', '+447700900123']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'sms',
          Endpoint: phone,
          TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
          FilterPolicy: { severity: ['high', 'critical'] },
        });
      }
    });
  });

  describe('alarms and logs', () => {
    it('alarms on function errors, the dead-letter queue, failing, stale and stalled polls, and backlog', () => {
      const actions = { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] };
      template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'StaleFeeds',
        Namespace: 'NewsAlert',
        Statistic: 'Maximum',
        Threshold: 1,
        ...actions,
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ STALE_AFTER_FAILURES: '12' }) },
      });
      template.resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1, ...actions },
        2
      );
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyDeadLetterQueue'), 'QueueName'],
            },
          },
        ],
        Threshold: 1,
        ...actions,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'errors / MAX([polled, 1])' }),
          Match.objectLike({
            Id: 'errors',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'FeedErrors', Namespace: 'NewsAlert' }),
            }),
          }),
        ]),
        EvaluationPeriods: 3,
        ...actions,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'FeedsPolled',
        Namespace: 'NewsAlert',
        Dimensions: [{ Name: 'service', Value: 'newsalert-poller' }],
        TreatMissingData: 'breaching',
        ComparisonOperator: 'LessThanThreshold',
        ...actions,
      });
    });

    it('sends alarms to the subscribed emails', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
      });
    });

    it('gives both functions their own log group with 30 days retention', () => {
      template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 2);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('polls'),
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^PollPollerLogs') } },
      });
    });
  });

  describe('snapshot', () => {
    it('matches the reviewed template (asset hashes normalised)', () => {
      expect(normalizeTemplate(template.toJSON())).toMatchSnapshot();
    });
  });
});

describe('Context: settings', () => {
  it('filters SMS from the given minimum severity', () => {
    // Prepare
    const app = buildApp(makeApp({ alertPhones: '+15555550100', smsMinSeverity: 'medium' }));
    // Act
    const template = Template.fromStack(stackOf(app));
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      FilterPolicy: { severity: ['medium', 'high', 'critical'] },
    });
  });

  it('takes the schedule in minutes and sizes the poll timeout and alarms to it', () => {
    const app = buildApp(makeApp({ schedule: '15' }));
    const template = Template.fromStack(stackOf(app));
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('polls'),
      Timeout: 300,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FeedsPolled',
      Period: 900,
    });
  });

  it('creates no subscriptions and still passes cdk-nag without subscribers', () => {
    const app = buildApp(makeApp());
    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stackOf(app)).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('leaves config/ in the bucket alone with uploadConfig=false', () => {
    const app = buildApp(makeApp({ uploadConfig: 'false' }));
    Template.fromStack(stackOf(app)).resourceCountIs('Custom::CDKBucketDeployment', 0);
  });

  it('sends alarms to alarmEmails when given, instead of the alert emails', () => {
    const app = buildApp(
      makeApp({ alertEmails: 'desk@example.com', alarmEmails: 'ops@example.com' })
    );
    const template = Template.fromStack(stackOf(app));
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
    });
    template.resourcePropertiesCountIs(
      'AWS::SNS::Subscription',
      { TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') } },
      1
    );
  });

  it('reserves no concurrency for the poller with reservePollerConcurrency=false', () => {
    const app = buildApp(makeApp({ reservePollerConcurrency: 'false' }));
    Template.fromStack(stackOf(app)).hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('polls'),
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('fails on a schedule slower than every 6 hours, naming it', () => {
    expect(() => buildApp(makeApp({ schedule: 'rate(1 day)' }))).toThrow(
      /schedule: 'rate\(1 day\)' is out of range/
    );
  });

  it('fails on a bad email address, naming it', () => {
    expect(() => buildApp(makeApp({ alertEmails: 'ops@example.com,ops.example.com' }))).toThrow(
      /alertEmails: 'ops\.example\.com' is not an email address/
    );
  });

  it('fails on a phone number not in E.164 form, naming it', () => {
    expect(() => buildApp(makeApp({ alertPhones: '+15555550100,555-0100' }))).toThrow(
      /alertPhones: '555-0100' is not an E\.164 phone number/
    );
  });

  it('fails on an unknown minimum severity, naming it', () => {
    expect(() => buildApp(makeApp({ smsMinSeverity: 'severe' }))).toThrow(/'severe'/);
  });

  it('fails on a schedule that is neither minutes nor an expression, naming it', () => {
    expect(() => buildApp(makeApp({ schedule: 'every hour' }))).toThrow(/schedule: 'every hour'/);
  });
});

describe('Config files', () => {
  const repoText = (path: string): string =>
    readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

  it('uploads JSON that the Lambdas read into the same feeds and rules as config/*.yaml', () => {
    // Act: what the stack deploys to config/ in the bucket, read as ConfigCache reads it
    const feedsJson = readConfigAsJson('feeds') ?? '';
    const rulesJson = readConfigAsJson('rules') ?? '';

    // Assess
    expect(parseFeedsJson(feedsJson, 'config/feeds.json')).toEqual(
      parseFeedsConfig(repoText('config/feeds.yaml'), 'config/feeds.yaml')
    );
    expect(loadRulesJson(rulesJson, 'config/rules.json').spec).toEqual(
      loadRules(repoText('config/rules.yaml'), 'config/rules.yaml').spec
    );
  });
});
