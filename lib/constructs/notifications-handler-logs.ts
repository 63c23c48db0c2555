import { CfnResource, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The id aws-cdk-lib gives the stack's one bucket-notifications handler function. */
export const BUCKET_NOTIFICATIONS_HANDLER_ID =
  'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * Gives the function aws-cdk-lib creates to configure bucket notifications (it runs during deploys
 * only) a log group with a retention, instead of the default /aws/lambda/ group that keeps its logs
 * forever. The group has a generated name, so a stack whose handler already wrote to the default
 * group updates without a name clash. Call it after the last `addEventNotification`; without
 * notifications there is no handler and nothing to do.
 */
export const retainBucketNotificationsLogs = (
  stack: Stack,
  retention: RetentionDays = RetentionDays.ONE_MONTH
): LogGroup | undefined => {
  const handler = stack.node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
  const fn = handler?.node.tryFindChild('Resource');
  if (!(fn instanceof CfnResource)) return undefined;
  const logGroup = new LogGroup(stack, 'BucketNotificationsLogs', {
    retention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  fn.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  return logGroup;
};
