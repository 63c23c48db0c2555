/**
 * `newsalert send-test`: finds the deployed stack's topics by its outputs (CloudFormation
 * DescribeStacks) and publishes one alert marked TEST to the alert topic, and one to the digest
 * topic, so a deployer sees every channel deliver. Uses the default AWS credential chain.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type Output,
} from '@aws-sdk/client-cloudformation';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { errorMessage } from '../lambdas/core/common/errors.ts';
import {
  type TestMessage,
  testAlertMessage,
  testDigestMessage,
} from '../lambdas/core/delivery/test-alert.ts';
import type { Io } from './io.ts';

export const DEFAULT_STACK = 'NewsAlerts';

export interface SendTestOptions {
  readonly stack?: string;
  readonly region?: string;
}

export interface SendTestClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sns: SNSClient;
}

/** A send-test that cannot go on: exit status 1, the message says what to do. */
export class SendTestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SendTestError';
  }
}

const defaultClients = (region?: string): SendTestClients => ({
  cloudFormation: new CloudFormationClient(region ? { region } : {}),
  sns: new SNSClient(region ? { region } : {}),
});

/** The AWS failures a deployer can fix, said in a sentence that tells how. */
const explain = (err: unknown, stack: string, region: string): SendTestError => {
  const name = err instanceof Error ? err.name : '';
  const message = errorMessage(err);
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return new SendTestError(
      `no AWS credentials found (${message}): sign in as for cdk deploy (aws sso login, AWS_PROFILE=..., or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
      { cause: err }
    );
  }
  if (/region is missing/i.test(message)) {
    return new SendTestError(
      'no AWS region: give --region (the region the stack was deployed to), or set AWS_REGION',
      { cause: err }
    );
  }
  if (name === 'ValidationError' && /does not exist/i.test(message)) {
    return new SendTestError(
      `stack ${stack} not found in ${region}: deploy it first (npx cdk deploy), or give --stack NAME and --region REGION`,
      { cause: err }
    );
  }
  return new SendTestError(`send-test failed: ${message}`, { cause: err });
};

const outputValue = (outputs: readonly Output[], key: string): string | undefined =>
  outputs.find((o) => o.OutputKey === key)?.OutputValue;

/** Publishes the test alert (and the digest test) and prints where it went; returns the exit status. */
export const sendTestCommand = async (
  io: Io,
  opts: SendTestOptions,
  clients: SendTestClients = defaultClients(opts.region),
  now: Date = new Date()
): Promise<number> => {
  const stack = opts.stack ?? DEFAULT_STACK;
  const region = opts.region ?? (await regionOf(clients.cloudFormation));
  try {
    const described = await clients.cloudFormation
      .send(new DescribeStacksCommand({ StackName: stack }))
      .catch((err: unknown) => {
        throw explain(err, stack, region);
      });
    const outputs = described.Stacks?.[0]?.Outputs ?? [];
    const alertTopic = outputValue(outputs, 'AlertTopicArn');
    if (!alertTopic) {
      throw new SendTestError(
        `stack ${stack} in ${region} has no AlertTopicArn output: is it a newsalert stack? Deploy this version (npx cdk deploy) or give --stack NAME`
      );
    }
    const sends: Array<[string, string, TestMessage]> = [
      ['alert', alertTopic, testAlertMessage(now, stack)],
    ];
    const digestTopic = outputValue(outputs, 'DigestTopicArn');
    if (digestTopic) sends.push(['digest', digestTopic, testDigestMessage(now, stack)]);
    for (const [what, topicArn, test] of sends) {
      const sent = await clients.sns
        .send(
          new PublishCommand({
            TopicArn: topicArn,
            MessageStructure: 'json',
            Subject: test.subject,
            Message: JSON.stringify(test.message),
            MessageAttributes: test.attributes,
          })
        )
        .catch((err: unknown) => {
          throw explain(err, stack, region);
        });
      io.out(`sent a TEST ${what} to ${topicArn} (message ${sent.MessageId ?? '?'})\n`);
    }
    const subscribers = outputValue(outputs, 'Subscribers');
    io.err(
      `every subscriber should receive it within minutes${subscribers ? ` (subscribers: ${subscribers})` : ''}; email subscribers must have confirmed their subscription first, and SMS in the SMS sandbox reaches verified numbers only\n`
    );
    return 0;
  } catch (err) {
    if (!(err instanceof SendTestError)) throw err;
    io.err(`error: ${err.message}\n`);
    return 1;
  }
};

/** The region a client is set to (for messages), or `the default region` when it has none. */
const regionOf = async (client: CloudFormationClient): Promise<string> => {
  try {
    return await client.config.region();
  } catch {
    return 'the default region';
  }
};
