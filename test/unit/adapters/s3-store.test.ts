import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../../lambdas/adapters/s3-store.ts';
import { PreconditionFailedError } from '../../../lambdas/core/common/errors.ts';
import { type LocalS3, startS3 } from '../../helpers/s3-server.ts';

describe('Class: S3ObjectStore', () => {
  describe('against a local S3 server (s3rver)', () => {
    let s3: LocalS3;
    let store: S3ObjectStore;

    beforeAll(async () => {
      s3 = await startS3();
      store = new S3ObjectStore(s3.client(), s3.bucket);
    });
    afterAll(async () => {
      await s3.stop();
    });

    it('returns undefined for a key that does not exist', async () => {
      // Act
      const got = await store.get('state/feeds/never-written.json');
      // Assess
      expect(got).toBeUndefined();
    });

    it('reads back what it wrote, with the ETag the write returned', async () => {
      // Prepare
      const body = '{"id":"bbc-1","title":"Shelling reported near Kharkiv — 3 killed"}\n';
      // Act
      const { etag } = await store.put('items/2026/11/22/041500000-abc.jsonl', body, {
        contentType: 'application/x-ndjson',
      });
      const got = await store.get('items/2026/11/22/041500000-abc.jsonl');
      // Assess
      expect(got).toEqual({ body, etag });
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    });

    it('changes the ETag when the content changes', async () => {
      const first = await store.put('state/events.json', '{"v":1}');
      const second = await store.put('state/events.json', '{"v":2}');
      expect(second.etag).not.toBe(first.etag);
      expect((await store.get('state/events.json'))?.body).toBe('{"v":2}');
    });

    it('lists every key under a prefix, sorted', async () => {
      // Prepare (pagination is tested with the mock below: s3rver fails on truncated listings)
      const keys = Array.from(
        { length: 25 },
        (_, i) => `alerts/2026/11/22/a-${String(i).padStart(2, '0')}.json`
      );
      await Promise.all([...keys].reverse().map((k) => store.put(k, '{}')));
      await store.put('alertsx/not-under-prefix.json', '{}');
      // Act
      const listed = await store.list('alerts/');
      // Assess
      expect(listed).toEqual(keys);
    });

    it('returns an empty list for an empty prefix', async () => {
      expect(await store.list('nothing-here/')).toEqual([]);
    });
  });

  describe('with a mocked client (conditional writes and errors)', () => {
    // Mock this one client instance only: the s3rver tests above use real clients.
    const client = new S3Client({ region: 'us-east-1' });
    const s3Mock = mockClient(client);
    const store = new S3ObjectStore(client, 'data-bucket');

    beforeEach(() => {
      s3Mock.reset();
    });

    const s3Error = (name: string, status: number) =>
      new S3ServiceException({
        name,
        $fault: 'client',
        $metadata: { httpStatusCode: status },
        message: name,
      });

    it('passes IfMatch and IfNoneMatch to PutObject', async () => {
      // Prepare
      s3Mock.on(PutObjectCommand).resolves({ ETag: '"e2"' });
      // Act
      await store.put('state/events.json', '{}', {
        ifMatch: '"e1"',
        contentType: 'application/json',
      });
      await store.put('alerts/2026/11/22/x.json', '{}', { ifNoneMatch: '*' });
      // Assess
      expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: 'data-bucket',
        Key: 'state/events.json',
        IfMatch: '"e1"',
        ContentType: 'application/json',
      });
      expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
        Key: 'alerts/2026/11/22/x.json',
        IfNoneMatch: '*',
      });
    });

    it('sends no condition headers on a plain put', async () => {
      s3Mock.on(PutObjectCommand).resolves({ ETag: '"e1"' });
      await store.put('items/a.jsonl', '{}');
      const input = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
      expect(input).not.toHaveProperty('IfMatch');
      expect(input).not.toHaveProperty('IfNoneMatch');
    });

    it.each([
      ['PreconditionFailed', 412],
      ['ConditionalRequestConflict', 409],
    ])('maps %s (%i) to PreconditionFailedError naming the key', async (name, status) => {
      // Prepare
      s3Mock.on(PutObjectCommand).rejects(s3Error(name, status));
      // Act
      const put = store.put('state/events.json', '{}', { ifMatch: '"old"' });
      // Assess
      await expect(put).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(put).rejects.toThrow(/state\/events\.json changed since it was read/);
    });

    it('rethrows other write errors unchanged', async () => {
      const denied = s3Error('AccessDenied', 403);
      s3Mock.on(PutObjectCommand).rejects(denied);
      await expect(store.put('config/feeds.json', '[]')).rejects.toBe(denied);
    });

    it('returns undefined on NoSuchKey and rethrows other read errors', async () => {
      s3Mock
        .on(GetObjectCommand, { Key: 'state/missing.json' })
        .rejects(s3Error('NoSuchKey', 404))
        .on(GetObjectCommand, { Key: 'state/forbidden.json' })
        .rejects(s3Error('AccessDenied', 403));
      await expect(store.get('state/missing.json')).resolves.toBeUndefined();
      await expect(store.get('state/forbidden.json')).rejects.toThrow('AccessDenied');
    });

    it('follows continuation tokens when listing', async () => {
      s3Mock
        .on(ListObjectsV2Command, { ContinuationToken: undefined })
        .resolves({
          Contents: [{ Key: 'items/b' }],
          IsTruncated: true,
          NextContinuationToken: 't1',
        })
        .on(ListObjectsV2Command, { ContinuationToken: 't1' })
        .resolves({ Contents: [{ Key: 'items/a' }], IsTruncated: false });
      expect(await store.list('items/')).toEqual(['items/a', 'items/b']);
      expect(s3Mock).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    });
  });
});
