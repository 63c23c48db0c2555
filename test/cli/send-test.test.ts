import { Readable } from 'node:stream';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sendTestCommand } from '../../cli/send-test.ts';
import { passesFilter, planDelivery } from '../../lambdas/core/delivery/delivery-plan.ts';

const ALERT_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:NewsAlerts-AlertsTopic-1A2B';
const DIGEST_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:NewsAlerts-AlertsDigestTopic-3C4D';
const NOW = new Date('2026-11-29T12:00:00Z');

const recordingIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (t: string) => void out.push(t),
      err: (t: string) => void err.push(t),
      stdin: Readable.from([]),
      stderrIsTty: false,
    },
    out,
    err,
  };
};

/** DescribeStacks' answer for a stack with these outputs. */
const stackWith = (name: string, outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: name,
      CreationTime: NOW,
      StackStatus: 'CREATE_COMPLETE' as const,
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
        OutputKey,
        OutputValue,
      })),
    },
  ],
});

describe('Command: send-test', () => {
  const cfn = mockClient(CloudFormationClient);
  const sns = mockClient(SNSClient);
  const clients = {
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
    sns: new SNSClient({ region: 'eu-west-1' }),
  };

  beforeEach(() => {
    cfn.reset();
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('finds the topics by the stack outputs and publishes a TEST alert and a TEST digest', async () => {
    // Prepare
    cfn
      .on(DescribeStacksCommand)
      .resolves(stackWith('Desk', { AlertTopicArn: ALERT_TOPIC, DigestTopicArn: DIGEST_TOPIC }));
    const { io, out } = recordingIo();

    // Act
    const code = await sendTestCommand(io, { stack: 'Desk' }, clients, NOW);

    // Assess
    expect(code).toBe(0);
    expect(cfn).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'Desk' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    const [alert, digest] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(alert?.TopicArn).toBe(ALERT_TOPIC);
    expect(alert?.Subject).toMatch(/^TEST /);
    expect(alert?.MessageStructure).toBe('json');
    const message = JSON.parse(alert?.Message ?? '{}');
    for (const rendering of ['default', 'email', 'sms']) expect(message[rendering]).toMatch(/TEST/);
    expect(alert?.MessageAttributes?.severity).toEqual({
      DataType: 'String',
      StringValue: 'critical',
    });
    expect(alert?.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'test' });
    expect(digest?.TopicArn).toBe(DIGEST_TOPIC);
    expect(digest?.Subject).toMatch(/^TEST /);
    expect(digest?.MessageAttributes?.digestGroup).toEqual({
      DataType: 'String',
      StringValue: 'test',
    });
    expect(out.join('')).toContain(`sent a TEST alert to ${ALERT_TOPIC}`);
  });

  it('sends attributes that pass every filter the subscribers file can give', async () => {
    cfn.on(DescribeStacksCommand).resolves(stackWith('NewsAlerts', { AlertTopicArn: ALERT_TOPIC }));
    await sendTestCommand(recordingIo().io, {}, clients, NOW);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const attributes = Object.fromEntries(
      Object.entries(input?.MessageAttributes ?? {}).map(([name, a]) => [
        name,
        a.DataType === 'String.Array'
          ? (JSON.parse(a.StringValue ?? '[]') as string[])
          : (a.StringValue ?? ''),
      ])
    );
    const plan = planDelivery(
      [
        {
          channel: { type: 'sms', number: '+15555550100' },
          countries: ['Syria'],
          categories: ['shelling'],
        },
        { channel: { type: 'email', address: 'a@example.org' }, minSeverity: 'critical' },
      ],
      'high'
    );
    for (const s of plan.subscriptions) expect(passesFilter(s.filter, attributes)).toBe(true);
  });

  it('fails clearly when the stack does not exist', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' })
      );
    const { io, err } = recordingIo();
    const code = await sendTestCommand(io, { stack: 'Nope', region: 'eu-west-1' }, clients, NOW);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/stack Nope not found in eu-west-1: deploy it first/);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('fails clearly when the stack has no topic output', async () => {
    cfn.on(DescribeStacksCommand).resolves(stackWith('Other', {}));
    const { io, err } = recordingIo();
    const code = await sendTestCommand(io, { stack: 'Other' }, clients, NOW);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/stack Other in eu-west-1 has no AlertTopicArn output/);
  });

  it('fails clearly when there are no credentials', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      })
    );
    const { io, err } = recordingIo();
    const code = await sendTestCommand(io, {}, clients, NOW);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/no AWS credentials found .*aws sso login/);
  });
});
