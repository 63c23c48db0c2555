import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type DigestGroup, SEVERITIES } from '../../lambdas/core/common/types.ts';
import { type BucketAccess, grantBucketAccess } from './bucket-access.ts';
import { functionErrorsAlarm, NewsFunction } from './news-function.ts';

/** The digest's part of the bucket: the recorded alerts, and its own marks of digests sent. */
export const DIGEST_ACCESS: BucketAccess = {
  read: ['alerts/*', 'state/digests/*'],
  write: ['state/digests/*'],
};

/** Lambda's environment holds 4 KB in all; the groups must leave room for the rest. */
const MAX_GROUPS_JSON = 3000;

export interface DigestProps {
  readonly bucket: IBucket;
  /** The topic the digest subscribers are subscribed to, each filtering on `digestGroup`. */
  readonly digestTopic: ITopic;
  readonly groups: readonly DigestGroup[];
  /** @default - every day at 07:00 UTC */
  readonly schedule?: Schedule;
  /** Absolute path of lambdas/send-digest/handler.ts. */
  readonly entry: string;
  readonly depsLockFilePath: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
}

/**
 * The daily digest: a schedule runs a function that reads the previous UTC day's alerts/ and
 * publishes one message per digest group to the digest topic (none for a group with no event).
 */
export class Digest extends Construct {
  readonly function: NewsFunction;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: DigestProps) {
    super(scope, id);
    if (props.groups.length === 0) throw new Error('give at least one digest group, got []');
    const ids = new Set<string>();
    for (const group of props.groups) {
      // The function checks the groups again when it starts (parseDigestGroups).
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(group.id) || ids.has(group.id)) {
        throw new Error(
          `digest group ids must be unique, 1 to 64 letters, digits, . _ or -, got '${group.id}'`
        );
      }
      if (group.minSeverity && !SEVERITIES.slice(1).includes(group.minSeverity)) {
        throw new Error(
          `digest group '${group.id}': minSeverity must be low, medium, high or critical, got '${group.minSeverity}'`
        );
      }
      ids.add(group.id);
    }
    const groupsJson = JSON.stringify(props.groups);
    if (groupsJson.length > MAX_GROUPS_JSON) {
      throw new Error(
        `the digest groups take ${groupsJson.length} characters of the function's environment, at most ${MAX_GROUPS_JSON}: merge groups with the same filters`
      );
    }

    this.function = new NewsFunction(this, 'Sender', {
      entry: props.entry,
      depsLockFilePath: props.depsLockFilePath,
      description: "newsalert: sends the daily digest of the previous day's events",
      timeout: Duration.seconds(120),
      memorySize: 512,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
    });
    const fn = this.function.fn;
    fn.addEnvironment('BUCKET_NAME', props.bucket.bucketName);
    fn.addEnvironment('TOPIC_ARN', props.digestTopic.topicArn);
    fn.addEnvironment('DIGEST_GROUPS', groupsJson);
    grantBucketAccess(props.bucket, fn, DIGEST_ACCESS);
    props.digestTopic.grantPublish(fn);
    // A retry skips the groups already sent (state/digests/), so Lambda may retry a failed run.
    fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    new Rule(this, 'Schedule', {
      description: 'newsalert: the daily digest',
      schedule: props.schedule ?? Schedule.cron({ minute: '0', hour: '7' }),
      targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
    });
    this.alarms = [
      functionErrorsAlarm(
        this,
        this.function,
        'the digest function failed (Lambda retries it twice; groups already sent are skipped): read its log group',
        Duration.minutes(5)
      ),
    ];
  }
}
