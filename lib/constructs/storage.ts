import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface StorageProps {
  /**
   * Files uploaded under config/ at deploy, file name -> content (e.g. `feeds.json`).
   * @default - nothing uploaded (config/ is left as it is in the bucket)
   */
  readonly configFiles?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly itemsRetentionDays?: number;
  /** @default 365 */
  readonly alertsRetentionDays?: number;
  /** @default 90 */
  readonly accessLogsRetentionDays?: number;
}

/**
 * The one data bucket (config/, state/, items/, alerts/: docs/ARCHITECTURE.md, "The bucket"), its
 * access-log bucket, and the upload of the repo's config/.
 */
export class Storage extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const items = props.itemsRetentionDays ?? 30;
    const alerts = props.alertsRetentionDays ?? 365;
    for (const [name, days] of Object.entries({
      itemsRetentionDays: items,
      alertsRetentionDays: alerts,
    })) {
      if (!Number.isInteger(days) || days < 1) {
        throw new Error(`${name} must be a positive whole number of days, got ${days}`);
      }
    }

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogsRetentionDays ?? 90) }],
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        { id: 'expire-items', prefix: 'items/', expiration: Duration.days(items) },
        { id: 'expire-alerts', prefix: 'alerts/', expiration: Duration.days(alerts) },
        // Previous versions of state/ are how a damaged or deleted state/events.json (its
        // outbox of unsent alerts, its memory of what was sent) or feed state is restored:
        // kept 14 days.
        {
          id: 'state-old-versions',
          prefix: 'state/',
          noncurrentVersionExpiration: Duration.days(14),
        },
        {
          id: 'old-versions-and-uploads',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    // The upload runs when the files' content (the asset hash) changes, so edits made in the
    // bucket survive redeploys until the repo's config/ changes; then the repo wins (versioning
    // keeps the edited copy for 30 days). uploadConfig=false (bin/app.ts) never uploads.
    if (props.configFiles && Object.keys(props.configFiles).length > 0) {
      new BucketDeployment(this, 'Config', {
        sources: Object.entries(props.configFiles).map(([name, text]) => Source.data(name, text)),
        destinationBucket: this.bucket,
        destinationKeyPrefix: 'config/',
        // Never delete objects the repo does not have (user-added files, state/, items/).
        prune: false,
        retainOnDelete: true,
        memoryLimit: 256,
      });
    }
  }
}
