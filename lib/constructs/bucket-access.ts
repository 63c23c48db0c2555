import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * What one function may do in the data bucket: keys (`config/rules.json`) or key prefixes
 * (`items/*`), nothing more. Each function's table lives next to it (FeedPoller, ItemClassifier).
 */
export interface BucketAccess {
  /** Objects it may read (s3:GetObject). */
  readonly read: readonly string[];
  /** Objects it may write (s3:PutObject only: no delete, legal hold, retention, ACL or tags). */
  readonly write: readonly string[];
}

/**
 * Grants exactly `access`: GetObject and PutObject on those keys, and ListBucket only for those
 * prefixes. The listing is what makes S3 answer 404 rather than 403 for a key that does not exist
 * yet (a new feed's state, an alert not yet recorded), which the store reads as "missing". That
 * check runs on a GetObject request, which carries no `s3:prefix`, hence `IfExists`: a list
 * request that names a prefix must name one of these; key names are all a listing reveals.
 */
export const grantBucketAccess = (
  bucket: IBucket,
  grantee: IGrantable,
  access: BucketAccess
): void => {
  const objects = (keys: readonly string[]) => keys.map((key) => bucket.arnForObjects(key));
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: objects(access.read),
    })
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:PutObject'],
      resources: objects(access.write),
    })
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLikeIfExists: { 's3:prefix': [...access.read] } },
    })
  );
};
