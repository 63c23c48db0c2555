import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STACK_ALARMS } from '../../bench/cost-section.ts';
import { buildApp, readConfigAsJson } from '../../bin/app.ts';
import { parseFeedsConfig } from '../../cli/yaml/feeds-config.ts';
import { loadRules } from '../../cli/yaml/rules.ts';
import { stateKey } from '../../lambdas/core/feeds/feed-state.ts';
import { parseFeedsJson } from '../../lambdas/core/feeds/feeds-config.ts';
import { shardStateKey } from '../../lambdas/core/feeds/shards.ts';
import { loadRulesJson } from '../../lambdas/core/rules/load-json.ts';
import {
  alertKey,
  alertsDayPrefix,
  EVENTS_KEY,
  FEEDS_KEY,
  failedAlertKey,
  itemsKey,
  LAST_GOOD_FEEDS_KEY,
  LAST_GOOD_RULES_KEY,
  LATEST_REPORT_KEY,
  MUTES_KEY,
  RULES_KEY,
} from '../../lambdas/pipeline/keys.ts';
import { CLASSIFY_METRICS, POLL_METRICS } from '../../lambdas/shared/metric-names.ts';
import { makeApp, stackOf } from '../helpers/cdk-app.ts';
import { normalizeTemplate } from '../helpers/normalize-template.ts';

const BUCKET_ID = 'StorageBucket5CB7C8EA';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const isBucketArn = (value: unknown): boolean =>
  JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [BUCKET_ID, 'Arn'] });

/** A resource as a reviewer reads it: `bucket/<key pattern>`, `bucket`, `alert-topic`. */
const readableResource = (resource: unknown): unknown => {
  if (isBucketArn(resource)) return 'bucket';
  const { 'Fn::Join': join, Ref: ref } = resource as { 'Fn::Join'?: unknown[]; Ref?: unknown };
  const [separator, [arn, suffix] = []] = (join ?? []) as [string, unknown[]];
  if (separator === '' && isBucketArn(arn) && typeof suffix === 'string') return `bucket${suffix}`;
  if (typeof ref === 'string' && ref.startsWith('AlertsTopic')) return 'alert-topic';
  return resource;
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The inline statements (resources made readable) and managed policies of a function's role. */
const rolePolicy = (template: Template, rolePrefix: string) => {
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${rolePrefix}`) }] },
    })
  );
  expect(policies).toHaveLength(1);
  const document = policies[0]?.Properties.PolicyDocument as { Statement: Statement[] };
  const statements = document.Statement.map((statement) => ({
    ...statement,
    Resource: Array.isArray(statement.Resource)
      ? statement.Resource.map(readableResource)
      : readableResource(statement.Resource),
  }));
  const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) =>
    id.startsWith(rolePrefix)
  );
  expect(roles).toHaveLength(1);
  const managed = ((roles[0]?.[1].Properties.ManagedPolicyArns ?? []) as unknown[]).map((arn) =>
    JSON.stringify(arn).replace(/^.*:iam::aws:policy\/([^"]+)".*$/, '$1')
  );
  return { statements, managed };
};

const globMatches = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(value);

/** Whether an Allow statement grants `action` on the object `key` of the bucket. */
const allows = (statements: readonly Statement[], action: string, key: string): boolean =>
  statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Action].flat().some((a) => globMatches(a, action)) &&
      [s.Resource].flat().some((r) => typeof r === 'string' && globMatches(r, `bucket/${key}`))
  );

/** Whether an Allow statement lets the function list the bucket under `prefix`. */
const mayList = (statements: readonly Statement[], prefix: string): boolean =>
  statements.some((s) => {
    const condition = s.Condition as { StringLikeIfExists?: { 's3:prefix'?: string[] } };
    return (
      s.Effect === 'Allow' &&
      s.Action === 's3:ListBucket' &&
      (condition?.StringLikeIfExists?.['s3:prefix'] ?? []).some((p) => globMatches(p, prefix))
    );
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
              NoncurrentVersionExpiration: { NoncurrentDays: 14 },
            }),
          ]),
        },
      });
    });

    it('keeps the previous versions of state/ for 14 days, to restore a damaged or deleted state/events.json', () => {
      const [bucket] = Object.values(
        template.findResources('AWS::S3::Bucket', {
          Properties: { VersioningConfiguration: { Status: 'Enabled' } },
        })
      );
      const rules = bucket?.Properties.LifecycleConfiguration.Rules as Array<{
        Prefix?: string;
        Status: string;
        NoncurrentVersionExpiration?: { NoncurrentDays: number };
      }>;
      // Every enabled rule that reaches state/events.json and expires old versions
      const applying = rules.filter(
        (rule) =>
          rule.Status === 'Enabled' &&
          EVENTS_KEY.startsWith(rule.Prefix ?? '') &&
          rule.NoncurrentVersionExpiration
      );
      expect(applying.length).toBeGreaterThan(0);
      expect(
        Math.min(...applying.map((rule) => rule.NoncurrentVersionExpiration?.NoncurrentDays ?? 0))
      ).toBe(14);
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

  describe('poll fan-out', () => {
    const queueArn = (prefix: string) => ({
      'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'Arn'],
    });

    it('runs the scheduler every 5 minutes by default, without retries that could send shards twice', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: queueArn('ScheduleSchedulerFunction'),
            RetryPolicy: { MaximumRetryAttempts: 0 },
          }),
        ],
      });
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp('^ScheduleSchedulerFunction') },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 300,
      });
    });

    it('gives the scheduler the poll queue and the bucket, and lets it send to that queue only', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('splits the feed list into shards'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        ReservedConcurrentExecutions: Match.absent(),
        Environment: {
          Variables: Match.objectLike({
            BUCKET_NAME: { Ref: BUCKET_ID },
            POLL_QUEUE_URL: { Ref: Match.stringLikeRegexp('^PollQueue') },
            POWERTOOLS_SERVICE_NAME: 'newsalert-scheduler',
            FEEDS_PER_SHARD: Match.absent(),
          }),
        },
      });
      const policy = rolePolicy(template, 'ScheduleSchedulerFunctionServiceRole');
      expect(policy.statements).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: ['bucket/config/feeds.json', 'bucket/state/last-good/feeds.json'],
        },
        { Effect: 'Allow', Action: 's3:PutObject', Resource: 'bucket/state/last-good/feeds.json' },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'bucket',
          Condition: {
            StringLikeIfExists: {
              's3:prefix': ['config/feeds.json', 'state/last-good/feeds.json'],
            },
          },
        },
        {
          Effect: 'Allow',
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Resource: {
            'Fn::GetAtt': [expect.stringMatching(/^PollQueue[0-9A-F]+$/), 'Arn'],
          },
        },
      ]);
      expect(policy.managed).toEqual(['service-role/AWSLambdaBasicExecutionRole']);
    });

    it('queues shards on an encrypted, TLS-only queue with a dead-letter queue after 3 deliveries', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        // twice the worker's timeout (270 s)
        VisibilityTimeout: 540,
        MessageRetentionPeriod: 86400,
        RedrivePolicy: {
          deadLetterTargetArn: queueArn('PollDeadLetterQueue'),
          maxReceiveCount: 3,
        },
      });
      // the poll queue, its dead-letter queue and the classifier's dead-letter queue
      template.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true }, 3);
      template.resourceCountIs('AWS::SQS::Queue', 3);
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
        3
      );
    });

    it('hands the worker one shard at a time, reports partial batch failures, and bounds the workers', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: queueArn('PollQueue'),
        FunctionName: { Ref: Match.stringLikeRegexp('^PollPollerFunction') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: 10 },
      });
      // the poll queue is the only event source: nothing polls a queue for the classifier
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    });

    it('runs the worker on Node.js 24, arm64, without reserved concurrency, with a timeout under the visibility timeout', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('polls the feeds of one shard'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        ReservedConcurrentExecutions: Match.absent(),
        Timeout: 270,
        MemorySize: 256,
        Environment: {
          Variables: Match.objectLike({
            BUCKET_NAME: { Ref: BUCKET_ID },
            POWERTOOLS_SERVICE_NAME: 'newsalert-poller',
            POWERTOOLS_METRICS_NAMESPACE: 'NewsAlert',
          }),
        },
      });
    });

    it('alarms on the poll dead-letter queue, the worker errors and a backlog of shards', () => {
      const actions = { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] };
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PollDeadLetterQueue'), 'QueueName'] },
          },
        ],
        Threshold: 1,
        ...actions,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^PollPollerFunction') } },
        ],
        ...actions,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PollQueue'), 'QueueName'] },
          },
        ],
        Threshold: 600,
        ...actions,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ShardSendFailures',
        Dimensions: [{ Name: 'service', Value: 'newsalert-scheduler' }],
        ...actions,
      });
    });

    it('lets the worker read the feed list, its shards and the legacy feed state, and write shards and items/: nothing else', () => {
      const policy = rolePolicy(template, 'PollPollerFunctionServiceRole');
      const readable = [
        'config/feeds.json',
        'state/shards/*',
        'state/feeds/*',
        'state/last-good/feeds.json',
      ];
      expect(policy.statements).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'sqs:ChangeMessageVisibility',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
            'sqs:GetQueueUrl',
            'sqs:ReceiveMessage',
          ],
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PollQueue[0-9A-F]+$/), 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [
            'bucket/config/feeds.json',
            'bucket/state/feeds/*',
            'bucket/state/last-good/feeds.json',
            'bucket/state/shards/*',
          ],
        },
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: [
            'bucket/items/*',
            'bucket/state/last-good/feeds.json',
            'bucket/state/shards/*',
          ],
        },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'bucket',
          Condition: { StringLikeIfExists: { 's3:prefix': readable } },
        },
      ]);
      expect(policy.managed).toEqual(['service-role/AWSLambdaBasicExecutionRole']);
    });

    it('may write the keys the worker writes and not state/events.json, alerts/, config/ or the legacy feed state', () => {
      const { statements } = rolePolicy(template, 'PollPollerFunctionServiceRole');
      const at = new Date('2025-01-02T03:04:05.678Z');
      const shard = shardStateKey({ count: 256, index: 17 });
      for (const key of [shard, itemsKey(at, 'https://a.b/'), LAST_GOOD_FEEDS_KEY]) {
        expect(allows(statements, 's3:PutObject', key), key).toBe(true);
      }
      for (const key of [shard, FEEDS_KEY, stateKey('https://example.com/feed.xml')]) {
        expect(allows(statements, 's3:GetObject', key), key).toBe(true);
      }
      for (const key of [
        EVENTS_KEY,
        alertKey('a1', at),
        failedAlertKey('a1'),
        FEEDS_KEY,
        RULES_KEY,
        LAST_GOOD_RULES_KEY,
        stateKey('https://example.com/feed.xml'),
      ]) {
        expect(allows(statements, 's3:PutObject', key), key).toBe(false);
      }
      for (const key of [EVENTS_KEY, RULES_KEY, LAST_GOOD_RULES_KEY, alertKey('a1', at)]) {
        expect(allows(statements, 's3:GetObject', key), key).toBe(false);
      }
    });
  });

  describe('classifier', () => {
    it('is invoked by S3 ObjectCreated events for items/ only, directly (no queue to poll)', () => {
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: BUCKET_ID },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'items/' }] } },
              LambdaFunctionArn: {
                'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyClassifierFunction'), 'Arn'],
              },
            },
          ],
          QueueConfigurations: Match.absent(),
        },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        FunctionName: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyClassifierFunction'), 'Arn'],
        },
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: { 'Fn::GetAtt': [BUCKET_ID, 'Arn'] },
      });
      template.resourcePropertiesCountIs(
        'AWS::Lambda::EventSourceMapping',
        { FunctionName: { Ref: Match.stringLikeRegexp('^ClassifyClassifierFunction') } },
        0
      );
    });

    it('retries a failed event twice, keeps throttled events 6 hours, then sends it to its dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp('^ClassifyClassifierFunction') },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: {
          OnFailure: {
            Destination: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^ClassifyDeadLetterQueue'), 'Arn'],
            },
          },
        },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86400,
        RedrivePolicy: Match.absent(),
      });
    });

    it('alarms on its dead-letter queue and on events waiting over 30 minutes', () => {
      const actions = { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] };
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
        MetricName: 'AsyncEventAge',
        Namespace: 'AWS/Lambda',
        Statistic: 'Maximum',
        Threshold: 30 * 60 * 1000,
        ...actions,
      });
    });

    it('runs on Node.js 24, arm64, 1 reserved execution, with the bucket and topic in its environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('classifies new items'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 60,
        MemorySize: 512,
        ReservedConcurrentExecutions: 1,
        Environment: {
          Variables: Match.objectLike({
            BUCKET_NAME: { Ref: BUCKET_ID },
            TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
          }),
        },
      });
    });

    it('may read items/, the rules, its state and the mutes, write its state, alerts/ and reports/, publish alerts: nothing else', () => {
      const policy = rolePolicy(template, 'ClassifyClassifierFunctionServiceRole');
      const readable = [
        'config/rules.json',
        'items/*',
        'state/events.json',
        'state/events/*',
        'state/mutes.json',
        'state/failed-alerts/*',
        'state/last-good/rules.json',
        'alerts/*',
      ];
      expect(policy.statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Resource: {
            'Fn::GetAtt': [expect.stringMatching(/^ClassifyDeadLetterQueue[0-9A-F]+$/), 'Arn'],
          },
        },
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [
            'bucket/alerts/*',
            'bucket/config/rules.json',
            'bucket/items/*',
            'bucket/state/events.json',
            'bucket/state/events/*',
            'bucket/state/failed-alerts/*',
            'bucket/state/last-good/rules.json',
            'bucket/state/mutes.json',
          ],
        },
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: [
            'bucket/alerts/*',
            'bucket/reports/*',
            'bucket/state/events.json',
            'bucket/state/events/*',
            'bucket/state/failed-alerts/*',
            'bucket/state/last-good/rules.json',
          ],
        },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'bucket',
          Condition: { StringLikeIfExists: { 's3:prefix': readable } },
        },
        { Effect: 'Allow', Action: 'sns:Publish', Resource: 'alert-topic' },
        {
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: expect.anything(),
          Condition: {
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/aws/sns' },
          },
        },
      ]);
      expect(policy.managed).toEqual(['service-role/AWSLambdaBasicExecutionRole']);
    });

    it('may write the keys the classifier writes and not items/, config/ or the feeds state', () => {
      const { statements } = rolePolicy(template, 'ClassifyClassifierFunctionServiceRole');
      const at = new Date('2025-01-02T03:04:05.678Z');
      for (const key of [
        EVENTS_KEY,
        alertKey('a:1', at),
        failedAlertKey('a:1'),
        LAST_GOOD_RULES_KEY,
      ]) {
        expect(allows(statements, 's3:PutObject', key), key).toBe(true);
        expect(allows(statements, 's3:GetObject', key), key).toBe(true);
      }
      expect(allows(statements, 's3:GetObject', RULES_KEY)).toBe(true);
      expect(allows(statements, 's3:GetObject', itemsKey(at, 'https://a.b/'))).toBe(true);
      // the analysts' mutes: read (a missing one answers 404), never written by the classifier
      expect(allows(statements, 's3:GetObject', MUTES_KEY)).toBe(true);
      expect(mayList(statements, MUTES_KEY)).toBe(true);
      expect(allows(statements, 's3:PutObject', MUTES_KEY)).toBe(false);
      expect(allows(statements, 's3:PutObject', LATEST_REPORT_KEY)).toBe(true);
      const feedState = stateKey('https://example.com/feed.xml');
      for (const key of [
        itemsKey(at, 'https://a.b/'),
        RULES_KEY,
        FEEDS_KEY,
        feedState,
        LAST_GOOD_FEEDS_KEY,
      ]) {
        expect(allows(statements, 's3:PutObject', key), key).toBe(false);
      }
      for (const key of [FEEDS_KEY, feedState, LAST_GOOD_FEEDS_KEY]) {
        expect(allows(statements, 's3:GetObject', key), key).toBe(false);
      }
      // a missing state/events.json is checked against the alerts recorded in the last days
      expect(mayList(statements, alertsDayPrefix(at))).toBe(true);
    });
  });

  describe('alert topic', () => {
    it('is encrypted and accepts TLS only, as is the digest topic', () => {
      for (const name of ['NewsAlert', 'NewsAlert digest']) {
        template.hasResourceProperties('AWS::SNS::Topic', {
          DisplayName: name,
          KmsMasterKeyId: { 'Fn::Join': ['', Match.arrayWith([':alias/aws/sns'])] },
        });
      }
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
        3
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

    it('subscribes every phone by SMS to high and critical alerts by default, but not to updates held from SMS', () => {
      for (const phone of ['+15555550100', '+447700900123']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'sms',
          Endpoint: phone,
          TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
          FilterPolicy: Match.exact({ sms: ['send'], severity: ['high', 'critical'] }),
        });
      }
    });
  });

  describe('alarms and logs', () => {
    it('alarms on function errors, the dead-letter queues, failing, stale and stalled polls, and backlogs', () => {
      const actions = { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] };
      // scheduler 2, poller 8, classifier 6, alert topic 1: the cost model charges each a month
      template.resourceCountIs('AWS::CloudWatch::Alarm', STACK_ALARMS);
      expect(STACK_ALARMS).toBe(17);
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
        3
      );
      template.resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ...actions },
        2
      );
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

    it('alarms within a poll on records failed, alerts parked and rules or feeds rejected', () => {
      const within = (metricName: string, service: string) =>
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metricName,
          Namespace: 'NewsAlert',
          Dimensions: [{ Name: 'service', Value: service }],
          Statistic: 'Sum',
          Period: 60,
          // one breaching minute fires it; it looks back over the 5-minute poll and a minute
          EvaluationPeriods: 6,
          DatapointsToAlarm: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
        });
      within(CLASSIFY_METRICS.recordsFailed, 'newsalert-classifier');
      within(CLASSIFY_METRICS.alertsParked, 'newsalert-classifier');
      within(CLASSIFY_METRICS.rulesRejected, 'newsalert-classifier');
      within(POLL_METRICS.feedsConfigRejected, 'newsalert-poller');
    });

    it('alarms when SNS fails to deliver alerts (SMS or email)', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'NumberOfNotificationsFailed',
        Namespace: 'AWS/SNS',
        Dimensions: [
          {
            Name: 'TopicName',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsTopic'), 'TopicName'] },
          },
        ],
        Statistic: 'Sum',
        Threshold: 1,
        EvaluationPeriods: 1,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      });
    });

    it('gives our three functions and the bucket-notifications handler a log group with 30 days retention', () => {
      template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 4);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('polls'),
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^PollPollerLogs') } },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('Custom::S3BucketNotifications'),
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^BucketNotificationsLogs') } },
      });
      // every function of the stack logs to a group with a retention
      const groups = template.findResources('AWS::Logs::LogGroup');
      for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        const logGroup = fn.Properties.LoggingConfig?.LogGroup;
        const explicit = Object.entries(groups).some(
          ([groupId, group]) =>
            group.Properties.RetentionInDays !== undefined &&
            (JSON.stringify(logGroup) === JSON.stringify({ Ref: groupId }) ||
              (JSON.stringify(group.Properties.LogGroupName) ?? '').includes(
                JSON.stringify({ Ref: id })
              ))
        );
        expect(explicit, id).toBe(true);
      }
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
      FilterPolicy: Match.exact({ sms: ['send'], severity: ['medium', 'high', 'critical'] }),
    });
  });

  it('takes the schedule in minutes and sizes the poll timeout, visibility and alarms to it', () => {
    const app = buildApp(makeApp({ schedule: '15' }));
    const template = Template.fromStack(stackOf(app));
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('polls'),
      Timeout: 300,
    });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 600 });
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

  it('reserves no concurrency for the classifier with reserveConcurrency=false', () => {
    const app = buildApp(makeApp({ reserveConcurrency: 'false' }));
    const template = Template.fromStack(stackOf(app));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('classifies new items'),
      ReservedConcurrentExecutions: Match.absent(),
    });
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { ReservedConcurrentExecutions: Match.anyValue() },
      0
    );
  });

  it('takes feedsPerShard to the scheduler and pollerMaxConcurrency to the poll event source', () => {
    const app = buildApp(makeApp({ feedsPerShard: '100', pollerMaxConcurrency: '50' }));
    const template = Template.fromStack(stackOf(app));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('splits the feed list'),
      Environment: { Variables: Match.objectLike({ FEEDS_PER_SHARD: '100' }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 50 },
    });
  });

  it('fails on a feedsPerShard or pollerMaxConcurrency out of range, naming it', () => {
    expect(() => buildApp(makeApp({ feedsPerShard: '0' }))).toThrow(
      /feedsPerShard: '0' is not a whole number from 1 to 5000/
    );
    expect(() => buildApp(makeApp({ feedsPerShard: '2.5' }))).toThrow(/feedsPerShard: '2\.5'/);
    expect(() => buildApp(makeApp({ pollerMaxConcurrency: '1' }))).toThrow(
      /pollerMaxConcurrency: '1' is not a whole number from 2 to 1000/
    );
  });

  it('names the old reservePollerConcurrency setting as unknown, pointing to reserveConcurrency', () => {
    expect(() => buildApp(makeApp({ reservePollerConcurrency: 'false' }))).toThrow(
      /reservePollerConcurrency: did you mean reserveConcurrency\?/
    );
  });

  it('fails on a schedule slower than every 6 hours, naming it', () => {
    expect(() => buildApp(makeApp({ schedule: 'rate(1 day)' }))).toThrow(
      /schedule: 'rate\(1 day\)' is out of range/
    );
  });

  it('fails on a context key that is no setting, naming the nearest one', () => {
    expect(() => buildApp(makeApp({ alertEmail: 'a@example.org' }))).toThrow(
      /unknown context alertEmail: did you mean alertEmails\?/
    );
    expect(() => buildApp(makeApp({ colour: 'blue' }))).toThrow(/colour: not a setting/);
  });

  it('warns loudly when the stack has no subscriber, and not when it has one', () => {
    const alone = Annotations.fromStack(stackOf(buildApp(makeApp())));
    const subscribed = Annotations.fromStack(
      stackOf(buildApp(makeApp({ alertEmails: 'ops@example.org' })))
    );

    alone.hasWarning('/NewsAlerts', Match.stringLikeRegexp('NO SUBSCRIBERS'));
    subscribed.hasNoWarning('/NewsAlerts', Match.stringLikeRegexp('NO SUBSCRIBERS'));
  });

  it('names the queues, the dead-letter queues and the log group of each function in its outputs', () => {
    const template = Template.fromStack(stackOf(buildApp(makeApp())));

    template.hasOutput('PollQueueUrl', { Value: { Ref: Match.stringLikeRegexp('^PollQueue') } });
    template.hasOutput('PollDeadLetterQueueUrl', {
      Value: { Ref: Match.stringLikeRegexp('^PollDeadLetterQueue') },
    });
    template.hasOutput('ClassifierDeadLetterQueueUrl', {
      Value: { Ref: Match.stringLikeRegexp('^ClassifyDeadLetterQueue') },
    });
    template.hasOutput('ClassifierFunctionName', {
      Value: { Ref: Match.stringLikeRegexp('^ClassifyClassifierFunction') },
    });
    template.hasOutput('SchedulerLogGroup', {
      Value: { Ref: Match.stringLikeRegexp('^ScheduleSchedulerLogs') },
    });
    template.hasOutput('PollerLogGroup', {
      Value: { Ref: Match.stringLikeRegexp('^PollPollerLogs') },
    });
    template.hasOutput('ClassifierLogGroup', {
      Value: { Ref: Match.stringLikeRegexp('^ClassifyClassifierLogs') },
    });
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

  it('deploys a rule file given with -c rules=FILE, merged with the default rules when it extends them', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'newsalert-rules-'));
    const file = join(dir, 'my-rules.yaml');
    const text =
      'version: 2\nextend: default\ndisable: [shelling]\nrules:\n  - id: grid-attack\n    category: air-strike\n    weight: 4\n    any: [substation~]\n    with: [attack~]\n';
    writeFileSync(file, text);

    // Act
    const rulesJson = readConfigAsJson('rules', file) ?? '';
    const app = buildApp(makeApp({ rules: file }));

    // Assess: the Lambdas read the full rules, without extend
    const deployed = loadRulesJson(rulesJson, 'config/rules.json');
    expect(JSON.parse(rulesJson)).not.toHaveProperty('extend');
    expect(deployed.spec).toEqual(loadRules(text, file).spec);
    expect(deployed.spec.rules.length).toBe(
      loadRules(repoText('config/rules.yaml'), 'd').spec.rules.length
    );
    expect(deployed.spec.rules.at(-1)?.id).toBe('grid-attack');
    expect(stackOf(app)).toBeDefined();
    rmSync(dir, { recursive: true, force: true });
  });
});
