/**
 * The subscribers file at synth (`-c subscribers=FILE`): the subscriptions and filter policies it
 * gives, the digest topic, chat channels, webhook entries left for their construct, and its problems
 * reported with their lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/app.ts';
import type { NewsAlertsStack } from '../../lib/news-alerts-stack.ts';
import { makeApp, stackOf } from '../helpers/cdk-app.ts';
import { projectPath } from '../helpers/fixtures.ts';

const DESK = projectPath('test/fixtures/subscribers/desk.yaml');
const BROKEN = projectPath('test/fixtures/subscribers/broken.yaml');

describe('Subscribers file', () => {
  let stack: NewsAlertsStack;
  let template: Template;

  beforeAll(() => {
    // Prepare, Act
    stack = stackOf(buildApp(makeApp({ subscribers: DESK, alertEmails: 'ops@example.com' })));
    template = Template.fromStack(stack);
  });

  it('filters an email watchlist by severity and country (a test alert passing too)', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'mideast@example.org',
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
      FilterPolicy: Match.exact({
        severity: ['medium', 'high', 'critical'],
        countries: ['Syria', 'Lebanon', 'test'],
      }),
    });
  });

  it('keeps SMS to sms=send and smsMinSeverity, writing an alias as the gazetteer names it', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+15555550100',
      FilterPolicy: Match.exact({
        sms: ['send'],
        severity: ['high', 'critical'],
        countries: ['Syria', 'test'],
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+447700900123',
      FilterPolicy: Match.exact({ sms: ['send'], severity: ['critical'] }),
    });
  });

  it('keeps the alertEmails shorthand: every alert, no filter', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
      FilterPolicy: Match.absent(),
    });
  });

  it('subscribes digest readers of one audience to the digest topic, filtered by their group', () => {
    // Assess: editor and chief share one audience, so one group
    expect(stack.digestGroups).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{10}$/), countries: ['Ukraine'] },
    ]);
    const id = stack.digestGroups[0]?.id ?? '';
    for (const email of ['editor@example.org', 'chief@example.org']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: Match.stringLikeRegexp('^AlertsDigestTopic') },
        FilterPolicy: Match.exact({ digestGroup: [id, 'test'] }),
      });
    }
    template.hasOutput('DigestTopicArn', {
      Value: { Ref: Match.stringLikeRegexp('^AlertsDigestTopic') },
    });
  });

  it('subscribes each webhook through its own delivery function, with its filter (secret names, never URLs)', () => {
    expect(stack.alerts.others).toEqual([
      {
        channel: {
          type: 'webhook',
          secret: 'newsalert/desk-webhook',
          signingSecret: 'newsalert/desk-signing',
        },
        id: expect.any(String),
        topic: 'alerts',
        filter: { categories: ['air-strike', 'shelling', 'test'] },
      },
    ]);
    expect(stack.webhooks).toBeDefined();
    // Assess: 4 emails, 2 SMS and the webhook's function on the alert topic
    template.resourcePropertiesCountIs(
      'AWS::SNS::Subscription',
      { TopicArn: { Ref: Match.stringLikeRegexp('^Alerts') } },
      7
    );
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      FilterPolicy: { categories: ['air-strike', 'shelling', 'test'] },
    });
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/https:\/\/hooks/);
  });

  it('posts to Slack and Teams channels through AWS Chatbot, subscribed to the alert topic', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0456DEFGH',
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
    });
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamId: '1b2c3d4e-1111-2222-3333-444455556666',
      TeamsChannelId: '19%3Aabc%40thread.tacv2',
      TeamsTenantId: '9b2c3d4e-1111-2222-3333-444455556666',
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
    });
  });

  it('names who receives alerts in the outputs cdk deploy prints', () => {
    template.hasOutput('Subscribers', {
      Value: '4 email, 2 sms, 1 webhook, 1 slack, 1 teams (2 daily digest)',
    });
  });

  it('passes cdk-nag with every kind of subscriber', () => {
    // Act: synth runs cdk-nag (AwsSolutionsChecks) and throws on any unacknowledged finding
    expect(() => (stack.node.root as App).synth({ force: true })).not.toThrow();
  });

  it('fails naming the line of every problem, and a webhook URL with where it belongs', () => {
    // Act
    const run = () => buildApp(makeApp({ subscribers: BROKEN }));

    // Assess
    expect(run).toThrow(/broken\.yaml: 6 problems in the subscribers file/);
    const message = (() => {
      try {
        run();
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain(
      'broken.yaml:1:10: entry 1: email "desk.example.org" is not an email address'
    );
    expect(message).toContain('broken.yaml:2:8: entry 2: sms 15555550100 was read as a number');
    expect(message).toMatch(
      /broken\.yaml:3:12: entry 3: a webhook URL is a secret .*\(aws secretsmanager create-secret/
    );
    expect(message).toContain(
      "broken.yaml:5:15: entry 4 (email ops@example.org): unknown key 'minSeverty'; did you mean minSeverity?"
    );
    expect(message).toContain(
      "broken.yaml:7:15: entry 5 (email watch@example.org): 'Syira' is not a country of the gazetteer"
    );
    expect(message).toContain("'airstrike' is not a category of the rules");
    expect(message).toContain('did you mean air-strike?');
  });

  it('fails on a subscribers file that does not exist, naming it', () => {
    expect(() => buildApp(makeApp({ subscribers: 'no-such-file.yaml' }))).toThrow(
      /subscribers: no file no-such-file\.yaml/
    );
  });

  it('warns NO SUBSCRIBERS at synth and in the outputs when nobody receives alerts', () => {
    const app = buildApp(makeApp());
    Annotations.fromStack(stackOf(app)).hasWarning(
      '/NewsAlerts',
      Match.stringLikeRegexp('NO SUBSCRIBERS')
    );
    Template.fromStack(stackOf(app)).hasOutput('Subscribers', {
      Value: Match.stringLikeRegexp('^NONE'),
    });
  });
});

describe('Subscribers file against the deployed rules', () => {
  it('accepts a category that only the rule file deployed with -c rules=FILE defines', () => {
    // Prepare: a rule file extending the defaults with one category, and a watchlist on it
    const dir = mkdtempSync(join(tmpdir(), 'newsalert-subs-'));
    const rules = join(dir, 'rules.yaml');
    writeFileSync(
      rules,
      'version: 2\nextend: default\ncategories:\n  drone-swarm: { label: drone swarm, severity: medium }\n'
    );
    const subscribers = join(dir, 'subscribers.yaml');
    writeFileSync(subscribers, '- email: desk@example.org\n  categories: [drone-swarm]\n');

    // Act
    const template = Template.fromStack(stackOf(buildApp(makeApp({ subscribers, rules }))));

    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'desk@example.org',
      FilterPolicy: Match.exact({ categories: ['drone-swarm', 'test'] }),
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
