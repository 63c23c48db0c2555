import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

export interface OccurrenceAlarmProps {
  readonly namespace: string;
  readonly metricName: string;
  /** The Powertools service name: the `service` dimension the handler emits with. */
  readonly serviceName: string;
  /** Minutes between polls. */
  readonly pollMinutes: number;
  readonly description: string;
}

/**
 * An alarm on a count that should stay at zero (records failed, alerts parked, config rejected):
 * it fires on the first occurrence, within a minute or two of it (one-minute datapoints, one
 * breaching datapoint is enough), so well within one poll period; and it stays in alarm while the
 * cause recurs every poll (it looks back over one poll period and a minute), so a lasting fault
 * sends one notification, not one per poll.
 */
export const occurrenceAlarm = (scope: Construct, id: string, props: OccurrenceAlarmProps): Alarm =>
  new Alarm(scope, id, {
    alarmDescription: props.description,
    metric: new Metric({
      namespace: props.namespace,
      metricName: props.metricName,
      dimensionsMap: { service: props.serviceName },
      statistic: 'Sum',
      period: Duration.minutes(1),
    }),
    threshold: 1,
    evaluationPeriods: props.pollMinutes + 1,
    datapointsToAlarm: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
