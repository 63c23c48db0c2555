import type { S3Event, S3EventRecord } from 'aws-lambda';

/** S3 writes keys in event notifications URL-encoded, with '+' for a space. */
const encodeS3Key = (key: string): string =>
  encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

/** The record of an S3 event notification for a created object, as S3 sends it. */
export const s3EventRecord = (key: string, bucket = 'newsalert-test-bucket'): S3EventRecord =>
  ({
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2024-11-29T17:59:00.000Z',
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'items',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeS3Key(key), size: 1, eTag: 'e', sequencer: '0' },
    },
  }) as S3EventRecord;

/**
 * The event S3 invokes the classifier with: one record per created object (S3 sends one; a
 * test may name several).
 */
export const s3Event = (bucket: string, keys: readonly string[]): S3Event => ({
  Records: keys.map((key) => s3EventRecord(key, bucket)),
});
