import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** S3 writes keys in event notifications URL-encoded, with '+' for a space. */
const encodeS3Key = (key: string): string =>
  encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

/** The SQS record that S3 -> SQS delivers for a created object. */
export const s3NotificationRecord = (
  messageId: string,
  key: string,
  bucket = 'newsalert-test-bucket'
): SQSRecord =>
  ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventName: 'ObjectCreated:Put',
          s3: {
            s3SchemaVersion: '1.0',
            bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
            object: { key: encodeS3Key(key), size: 1 },
          },
        },
      ],
    }),
    attributes: {} as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:NewsAlerts-ClassifyQueue',
    awsRegion: 'us-east-1',
  }) as SQSRecord;

/** A batch of notifications, one record per key (message ids `msg-<i>-<key>`). */
export const s3NotificationBatch = (bucket: string, keys: readonly string[]): SQSEvent => ({
  Records: keys.map((key, i) => s3NotificationRecord(`msg-${i}-${key}`, key, bucket)),
});
