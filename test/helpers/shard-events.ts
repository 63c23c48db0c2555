import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeShardMessage, type ShardRef } from '../../lambdas/core/feeds/shards.ts';

/** The SQS record the scheduler's queue delivers to a poller worker, with any body. */
export const shardRecord = (messageId: string, body: string): SQSRecord =>
  ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {} as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:NewsAlerts-PollQueue',
    awsRegion: 'us-east-1',
  }) as SQSRecord;

/**
 * A batch naming the given shards (all shards of `count` by default) for one tick, message ids
 * `shard-<count>-<index>`.
 */
export const shardEvent = (
  tick: Date,
  shards: readonly ShardRef[] = [{ count: 1, index: 0 }]
): SQSEvent => ({
  Records: shards.map((shard) =>
    shardRecord(`shard-${shard.count}-${shard.index}`, encodeShardMessage(shard, tick))
  ),
});

/** The tick `minutes` from now (the clock of tests that poll through the system clock). */
export const tickIn = (minutes: number, from = Date.now()): Date =>
  new Date(from + minutes * 60_000);
