import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { STACK_ALARMS } from '../../bench/cost-section.ts';
import { buildApp } from '../../bin/app.ts';
import { AlarmTopic } from '../../lib/constructs/alert-topic.ts';

/**
 * Every alarm action must reach someone. An SNS topic policy replaces the default one, so a topic
 * whose policy does not let `cloudwatch.amazonaws.com` publish silently drops every alarm (the
 * failure shows only in the alarm's history); and CloudWatch itself must be able to use the key of
 * an encrypted topic. This walks the synthesized template, alarm -> action -> topic -> topic policy
 * (-> key policy), evaluating the policies for a publish by CloudWatch over TLS on behalf of that
 * alarm of this account.
 */

type Json = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties?: Json }>;

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const list = (value: unknown): unknown[] => (value === undefined ? [] : [value].flat());

const statementsOf = (document: unknown): Json[] =>
  list((document as { Statement?: unknown } | undefined)?.Statement) as Json[];

const glob = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i'
  ).test(value);

const coversPrincipal = (principal: unknown): boolean => {
  if (principal === '*') return true;
  const { Service, AWS } = (principal ?? {}) as { Service?: unknown; AWS?: unknown };
  return list(Service).includes(CLOUDWATCH) || list(AWS).includes('*');
};

const coversAction = (statement: Json, action: string): boolean =>
  list(statement.Action).some((a) => typeof a === 'string' && glob(a, action));

/** The request context of CloudWatch publishing for `alarmId`; anything else is unknown. */
const contextValue = (key: string, alarmId: string): unknown => {
  switch (key.toLowerCase()) {
    case 'aws:sourceaccount':
      return { Ref: 'AWS::AccountId' };
    case 'aws:sourcearn':
      return { 'Fn::GetAtt': [alarmId, 'Arn'] };
    case 'aws:securetransport':
      return 'true';
    default:
      return undefined;
  }
};

/**
 * Whether a statement's conditions hold for that request: true, false, or undefined when they
 * use an operator or key this check does not model (treated as "may not hold" for an Allow and
 * "may hold" for a Deny, so an unknown condition never passes the check by accident).
 */
const conditionsHold = (condition: unknown, alarmId: string): boolean | undefined => {
  let result: boolean | undefined = true;
  for (const [operator, entries] of Object.entries((condition ?? {}) as Json)) {
    for (const [key, expected] of Object.entries(entries as Json)) {
      const actual = contextValue(key, alarmId);
      if (actual === undefined) return undefined;
      const values = list(expected);
      let holds: boolean;
      if (['StringEquals', 'ArnEquals', 'ArnLike', 'Bool'].includes(operator)) {
        holds = values.some((v) => same(v, actual) || same(String(v), actual));
      } else {
        return undefined;
      }
      if (!holds) result = false;
    }
  }
  return result;
};

const appliesTo = (statement: Json, resourceRef: unknown): boolean =>
  list(statement.Resource).some((r) => r === '*' || same(r, resourceRef));

/** What stops CloudWatch from publishing to `topicId` for `alarmId`, if anything. */
const publishProblems = (resources: Resources, topicId: string, alarmId: string): string[] => {
  const topicRef = { Ref: topicId };
  const policies = Object.entries(resources).filter(
    ([, r]) =>
      r.Type === 'AWS::SNS::TopicPolicy' &&
      list(r.Properties?.Topics).some((t) => same(t, topicRef))
  );
  const problems: string[] = [];
  if (policies.length > 1) problems.push(`${topicId} has ${policies.length} topic policies`);
  const [policy] = policies;
  if (policy) {
    const statements = statementsOf(policy[1].Properties?.PolicyDocument);
    const relevant = statements.filter(
      (s) =>
        coversPrincipal(s.Principal) && coversAction(s, 'sns:Publish') && appliesTo(s, topicRef)
    );
    if (!relevant.some((s) => s.Effect === 'Allow' && conditionsHold(s.Condition, alarmId))) {
      problems.push(`the policy of ${topicId} does not let CloudWatch publish for ${alarmId}`);
    }
    for (const deny of relevant.filter((s) => s.Effect === 'Deny')) {
      if (conditionsHold(deny.Condition, alarmId) !== false) {
        problems.push(`the policy of ${topicId} denies CloudWatch's publish for ${alarmId}`);
      }
    }
  }
  // Without a topic policy SNS's default one lets principals of the account publish.
  return [...problems, ...keyProblems(resources, topicId)];
};

/** An encrypted topic: CloudWatch must be allowed to use its key (the AWS-managed one cannot). */
const keyProblems = (resources: Resources, topicId: string): string[] => {
  const keyRef = resources[topicId]?.Properties?.KmsMasterKeyId;
  if (keyRef === undefined) return [];
  const keyId = Object.keys(resources).find(
    (id) =>
      resources[id]?.Type === 'AWS::KMS::Key' &&
      (same(keyRef, { Ref: id }) || same(keyRef, { 'Fn::GetAtt': [id, 'Arn'] }))
  );
  if (!keyId) {
    return [`${topicId} is encrypted with a key whose policy CloudWatch cannot be granted`];
  }
  const statements = statementsOf(resources[keyId]?.Properties?.KeyPolicy);
  const allowed = (action: string) =>
    statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        list(s.Principal && (s.Principal as Json).Service).includes(CLOUDWATCH) &&
        coversAction(s, action)
    );
  return ['kms:Decrypt', 'kms:GenerateDataKey'].flatMap((action) =>
    allowed(action) ? [] : [`the key ${keyId} of ${topicId} does not allow CloudWatch ${action}`]
  );
};

/** Every action of every alarm, each with what keeps it from reaching its topic. */
const alarmDelivery = (template: Template) => {
  const resources = template.toJSON().Resources as Resources;
  const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
  const problems: string[] = [];
  let actions = 0;
  for (const [alarmId, alarm] of alarms) {
    const targets = ['AlarmActions', 'OKActions', 'InsufficientDataActions'].flatMap((name) =>
      list(alarm.Properties?.[name])
    );
    if (targets.length === 0) problems.push(`${alarmId} notifies nobody`);
    for (const target of targets) {
      actions += 1;
      const topicId = (target as { Ref?: string }).Ref;
      if (!topicId || resources[topicId]?.Type !== 'AWS::SNS::Topic') {
        problems.push(`${alarmId} acts on ${JSON.stringify(target)}, not a topic of this stack`);
        continue;
      }
      problems.push(...publishProblems(resources, topicId, alarmId));
    }
  }
  return { alarms: alarms.length, actions, problems };
};

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

/** A stack with one alarm notifying a topic set up by `topic`. */
const oneAlarm = (topic: (stack: Stack) => Topic): Template => {
  const stack = new Stack(new App(), 'T');
  const alarm = new Alarm(stack, 'A', {
    metric: new Metric({ namespace: 'N', metricName: 'M' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  alarm.addAlarmAction(new SnsAction(topic(stack)));
  return Template.fromStack(stack);
};

const cloudWatchKey = (stack: Stack): Key => {
  const key = new Key(stack, 'K');
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(CLOUDWATCH)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    })
  );
  return key;
};

describe('Alarm delivery', () => {
  it('lets CloudWatch publish every action of every alarm of the stack to its topic', () => {
    // Prepare
    const app = buildApp(
      new App({
        context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], alertEmails: 'a@example.com' },
      })
    );

    // Act
    const delivery = alarmDelivery(Template.fromStack(app.node.findChild('NewsAlerts') as Stack));

    // Assess
    expect(delivery.problems).toEqual([]);
    expect(delivery.alarms).toBe(STACK_ALARMS);
    expect(delivery.actions).toBe(STACK_ALARMS);
  });

  it('scopes the permission to this account and these alarms, and keeps TLS enforced', () => {
    const stack = new Stack(new App(), 'T');
    const topic = new AlarmTopic(stack, 'Alarms');
    const metric = new Metric({ namespace: 'N', metricName: 'M' });
    const alarm = new Alarm(stack, 'A', { metric, threshold: 1, evaluationPeriods: 1 });
    topic.notify(alarm);
    const other = new Alarm(stack, 'B', { metric, threshold: 1, evaluationPeriods: 1 });
    other.addAlarmAction(new SnsAction(topic.topic));

    const delivery = alarmDelivery(Template.fromStack(stack));

    // B was given the action without notify(): the policy does not name it
    expect(delivery.problems).toEqual([
      expect.stringMatching(/^the policy of AlarmsTopic\w+ does not let CloudWatch publish for B/),
    ]);
    const [policy] = Object.values(
      Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy')
    ) as Json[];
    expect(policy).toMatchObject({
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: { Ref: expect.stringMatching(/^AlarmsTopic/) },
              Sid: 'AllowPublishThroughSSLOnly',
            },
            {
              Effect: 'Allow',
              Principal: { Service: CLOUDWATCH },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnEquals: {
                  'aws:SourceArn': [{ 'Fn::GetAtt': [expect.stringMatching(/^A/), 'Arn'] }],
                },
              },
              Resource: { Ref: expect.stringMatching(/^AlarmsTopic/) },
              Sid: 'AllowThisStacksAlarmsToPublish',
            },
          ],
        },
      },
    });
  });

  describe('the check itself', () => {
    it('finds the fault of a topic whose policy only enforces TLS (the stack before the fix)', () => {
      const template = oneAlarm((stack) => new Topic(stack, 'Topic', { enforceSSL: true }));
      expect(alarmDelivery(template).problems).toEqual([
        expect.stringMatching(/does not let CloudWatch publish for A\w+$/),
      ]);
    });

    it('accepts a topic without a policy (SNS default policy) and finds a Deny that applies', () => {
      expect(alarmDelivery(oneAlarm((stack) => new Topic(stack, 'Topic'))).problems).toEqual([]);
      const denied = oneAlarm((stack) => {
        const topic = new Topic(stack, 'Topic');
        topic.addToResourcePolicy(
          new PolicyStatement({
            effect: Effect.DENY,
            principals: [new ServicePrincipal(CLOUDWATCH)],
            actions: ['sns:*'],
            resources: [topic.topicArn],
          })
        );
        return topic;
      });
      expect(alarmDelivery(denied).problems).toEqual([
        expect.stringMatching(/does not let CloudWatch publish/),
        expect.stringMatching(/denies CloudWatch's publish/),
      ]);
    });

    it('finds a topic encrypted with the AWS-managed key, or with a key CloudWatch may not use', () => {
      const managed = oneAlarm(
        (stack) =>
          new Topic(stack, 'Topic', { masterKey: Alias.fromAliasName(stack, 'S', 'alias/aws/sns') })
      );
      expect(alarmDelivery(managed).problems).toEqual([
        expect.stringMatching(/encrypted with a key whose policy CloudWatch cannot be granted/),
      ]);
      const withoutGrant = oneAlarm(
        (stack) => new Topic(stack, 'Topic', { masterKey: new Key(stack, 'K') })
      );
      expect(alarmDelivery(withoutGrant).problems).toEqual([
        expect.stringMatching(/does not allow CloudWatch kms:Decrypt$/),
        expect.stringMatching(/does not allow CloudWatch kms:GenerateDataKey$/),
      ]);
      const granted = oneAlarm(
        (stack) => new Topic(stack, 'Topic', { masterKey: cloudWatchKey(stack) })
      );
      expect(alarmDelivery(granted).problems).toEqual([]);
    });

    it('finds an alarm that notifies nobody', () => {
      const stack = new Stack(new App(), 'T');
      new Alarm(stack, 'A', {
        metric: new Metric({ namespace: 'N', metricName: 'M' }),
        threshold: 1,
        evaluationPeriods: 1,
      });
      expect(alarmDelivery(Template.fromStack(stack)).problems).toEqual([
        expect.stringMatching(/^A\w* notifies nobody$/),
      ]);
    });
  });
});
