import type { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** An SQS queue with the project's defaults: encrypted with SQS-managed keys, TLS only. */
export const secureQueue = (scope: Construct, id: string, props: QueueProps = {}): Queue =>
  new Queue(scope, id, {
    ...props,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });

/**
 * The alarm every dead-letter queue gets: a message waits in it. Created in `scope` with the id
 * 'DeadLetterAlarm'.
 */
export const deadLetterAlarm = (
  scope: Construct,
  queue: Queue,
  props: { readonly description: string; readonly period: Duration }
): Alarm =>
  new Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: props.description,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: props.period,
      statistic: 'Maximum',
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
