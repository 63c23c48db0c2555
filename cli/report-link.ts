/**
 * A time-limited link to the report the classifier keeps in the bucket (reports/latest.html),
 * signed with the user's own AWS credentials: whoever has the link can open the page until it
 * expires, without credentials. Signing is done locally; nothing is sent to AWS.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LATEST_REPORT_KEY } from '../lambdas/pipeline/keys.ts';

export const reportLink = (
  bucket: string,
  expiresInSeconds: number,
  client: S3Client = new S3Client({})
): Promise<string> =>
  getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: bucket,
      Key: LATEST_REPORT_KEY,
      ResponseContentType: 'text/html; charset=utf-8',
    }),
    { expiresIn: expiresInSeconds }
  );
