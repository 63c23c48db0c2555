import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { PreconditionFailedError } from '../core/common/errors.ts';
import type { ObjectStore, PutOptions, StoredObject } from '../ports.ts';

const statusOf = (err: unknown): number | undefined =>
  err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;

const nameOf = (err: unknown): string | undefined => (err instanceof Error ? err.name : undefined);

const isNotFound = (err: unknown): boolean =>
  nameOf(err) === 'NoSuchKey' || nameOf(err) === 'NotFound' || statusOf(err) === 404;

/** 412: the ETag or existence condition did not hold; 409: a concurrent conditional write won. */
const isConditionFailure = (err: unknown): boolean =>
  nameOf(err) === 'PreconditionFailed' ||
  nameOf(err) === 'ConditionalRequestConflict' ||
  statusOf(err) === 412 ||
  statusOf(err) === 409;

/**
 * The object store on S3. Conditional writes use S3's If-Match / If-None-Match on PutObject,
 * so two workers racing on one state object cannot both win.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string
  ) {}

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = (await out.Body?.transformToString('utf-8')) ?? '';
      if (!out.ETag) throw new Error(`s3 returned no etag for s3://${this.bucket}/${key}`);
      return { body, etag: out.ETag };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async put(key: string, body: string, options: PutOptions = {}): Promise<{ etag: string }> {
    try {
      const out = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType ?? 'application/octet-stream',
          ...(options.ifMatch !== undefined ? { IfMatch: options.ifMatch } : {}),
          ...(options.ifNoneMatch !== undefined ? { IfNoneMatch: options.ifNoneMatch } : {}),
        })
      );
      if (!out.ETag) throw new Error(`s3 returned no etag for s3://${this.bucket}/${key}`);
      return { etag: out.ETag };
    } catch (err) {
      if (isConditionFailure(err)) throw new PreconditionFailedError(key, { cause: err });
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        })
      );
      for (const object of out.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
