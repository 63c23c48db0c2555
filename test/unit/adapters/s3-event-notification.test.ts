import { describe, expect, it } from 'vitest';
import { createdObjectKeys, decodeS3Key } from '../../../lambdas/adapters/s3-event-notification.ts';

describe('Function: createdObjectKeys', () => {
  it('returns no keys for the s3:TestEvent sent when the notification is created', () => {
    const event = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-11-22T04:00:00.000Z',
      Bucket: 'newsalert-test-bucket',
      RequestId: 'R1',
      HostId: 'H1',
    };
    expect(createdObjectKeys(event)).toEqual([]);
  });

  it('returns every created key of a notification, decoded', () => {
    const event = {
      Records: [
        { eventName: 'ObjectCreated:Put', s3: { object: { key: 'items/a+b%2Bc.jsonl' } } },
        {
          eventName: 'ObjectCreated:CompleteMultipartUpload',
          s3: { object: { key: 'items/d.jsonl' } },
        },
        { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'items/gone.jsonl' } } },
      ],
    };
    expect(createdObjectKeys(event)).toEqual(['items/a b+c.jsonl', 'items/d.jsonl']);
  });

  it('fails with a readable message on an event that is not an S3 notification', () => {
    expect(() => createdObjectKeys({ source: 'aws.events' })).toThrow(
      /not an s3 event notification \(no Records\): \{"source":"aws.events"\}/
    );
    expect(() => createdObjectKeys(undefined)).toThrow(/not an s3 event notification/);
  });

  it('fails on a record without an object key', () => {
    expect(() => createdObjectKeys({ Records: [{ eventName: 'ObjectCreated:Put' }] })).toThrow(
      's3 event record has no object key'
    );
  });
});

describe('Function: decodeS3Key', () => {
  it('decodes + as a space and percent escapes', () => {
    expect(decodeS3Key('items/2024/11/29/a+b%3Ac.jsonl')).toBe('items/2024/11/29/a b:c.jsonl');
  });
});
