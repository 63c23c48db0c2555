import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NewsFunction } from './news-function.ts';
import { deadLetterAlarm, secureQueue } from './queues.ts';

/** One webhook subscriber: its secrets are named here, their values stay in Secrets Manager. */
export interface WebhookSubscriber {
  /** Names the function and its resources: letters, digits and '-', unique. */
  readonly id: string;
  /** The Secrets Manager secret (name or full ARN) holding the URL, or `{"url", "signingKey"?}`. */
  readonly secretName: string;
  /** A secret holding the HMAC signing key. @default - the key in the URL secret, if any */
  readonly signingSecretName?: string;
  /** The subscription's filter policy on the alert attributes. @default - every alert */
  readonly filterPolicy?: Readonly<Record<string, SubscriptionFilter>>;
}

export interface WebhookDeliveryProps {
  readonly topic: ITopic;
  readonly webhooks: readonly WebhookSubscriber[];
  /** Absolute path of lambdas/deliver-webhook/handler.ts. */
  readonly entry: string;
  readonly depsLockFilePath: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  /** Lambda's own retries of a failed delivery (after the function's in-call retries). @default 2 */
  readonly retryAttempts?: number;
  /** How long Lambda keeps retrying an alert before it goes to the queue. @default 6 hours */
  readonly maxEventAge?: Duration;
}

const WEBHOOK_ID = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/**
 * Alerts to HTTPS webhooks (Slack and Teams incoming webhooks, or any endpoint taking the alert
 * as signed JSON): one function per webhook, subscribed to the alert topic with that webhook's
 * filter policy, because an SNS invocation does not say which subscription made it. Each may
 * read its own secrets only (secretsmanager:GetSecretValue on them). A delivery that fails after
 * the function's retries and Lambda's goes to one dead-letter queue, with an alarm.
 */
export class WebhookDelivery extends Construct {
  readonly functions: Record<string, NewsFunction> = {};
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(`retryAttempts must be 0, 1 or 2, got ${retryAttempts}`);
    }
    const seen = new Set<string>();
    for (const webhook of props.webhooks) {
      if (!WEBHOOK_ID.test(webhook.id)) {
        throw new Error(
          `webhook id must start with a letter and have at most 40 letters, digits or '-', got '${webhook.id}'`
        );
      }
      if (seen.has(webhook.id)) throw new Error(`webhook id '${webhook.id}' is used twice`);
      seen.add(webhook.id);
      for (const name of [webhook.secretName, webhook.signingSecretName]) {
        if (name !== undefined && !SECRET_NAME.test(name) && !SECRET_ARN.test(name)) {
          throw new Error(
            `webhook '${webhook.id}': a secret is named by its Secrets Manager name or ARN, got '${name}'`
          );
        }
      }
    }

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    const stack = Stack.of(this);
    const secretArn = (name: string): string =>
      SECRET_ARN.test(name)
        ? name
        : stack.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            // Secrets Manager appends six random characters to the name in the ARN.
            resourceName: `${name}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });

    for (const webhook of props.webhooks) {
      const fn = new NewsFunction(this, webhook.id, {
        entry: props.entry,
        depsLockFilePath: props.depsLockFilePath,
        description: `newsalert: delivers alerts to the webhook ${webhook.id}`,
        timeout: Duration.seconds(60),
        memorySize: 256,
        serviceName: props.serviceName,
        metricsNamespace: props.metricsNamespace,
      });
      fn.fn.addEnvironment('WEBHOOK_ID', webhook.id);
      fn.fn.addEnvironment('WEBHOOK_SECRET_ID', webhook.secretName);
      if (webhook.signingSecretName) {
        fn.fn.addEnvironment('WEBHOOK_SIGNING_SECRET_ID', webhook.signingSecretName);
      }
      fn.fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [webhook.secretName, webhook.signingSecretName]
            .filter((name): name is string => name !== undefined)
            .map(secretArn),
        })
      );
      fn.fn.configureAsyncInvoke({
        retryAttempts,
        maxEventAge: props.maxEventAge ?? Duration.hours(6),
        onFailure: new SqsDestination(this.deadLetterQueue),
      });
      props.topic.addSubscription(
        new LambdaSubscription(fn.fn, {
          ...(webhook.filterPolicy ? { filterPolicy: { ...webhook.filterPolicy } } : {}),
        })
      );
      this.functions[webhook.id] = fn;
    }

    this.alarms = [
      deadLetterAlarm(this, this.deadLetterQueue, {
        description:
          'a webhook delivery failed after every retry and waits in the webhook dead-letter queue (the message holds the alert and the error): read the webhook function log, fix the endpoint or its secret, then send the alert again',
        period: Duration.minutes(5),
      }),
    ];
  }
}
