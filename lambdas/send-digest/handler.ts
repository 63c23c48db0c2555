/**
 * The daily digest Lambda, run on a schedule: reads the alerts recorded for the previous UTC day
 * and publishes one digest per group to the digest topic (attribute `digestGroup`), none for a
 * group with no event. Thin: the flow is lambdas/pipeline/digest.ts, the wording
 * lambdas/core/delivery/digest.ts.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { powertoolsLogger } from '../adapters/powertools.ts';
import { S3ObjectStore } from '../adapters/s3-store.ts';
import { SnsDigestPublisher } from '../adapters/sns-publisher.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { parseDigestGroups } from '../core/delivery/digest.ts';
import { type DigestDeps, type DigestSummary, sendDigests } from '../pipeline/digest.ts';
import { getRequiredEnv } from '../shared/env.ts';

export interface DigestHandlerDeps extends DigestDeps {
  readonly onInvocation?: (context: Context) => void;
}

export const makeHandler =
  (deps: DigestHandlerDeps) =>
  async (_event: unknown, context?: Context): Promise<DigestSummary> => {
    if (context) deps.onInvocation?.(context);
    const summary = await sendDigests(deps);
    deps.logger.info('digests sent', { ...summary });
    return summary;
  };

export const defaultDeps = (env: NodeJS.ProcessEnv = process.env): DigestHandlerDeps => {
  const logger = new PowertoolsLogger();
  return {
    store: new S3ObjectStore(new S3Client({}), getRequiredEnv('BUCKET_NAME', env)),
    publisher: new SnsDigestPublisher(new SNSClient({}), getRequiredEnv('TOPIC_ARN', env)),
    clock: systemClock,
    logger: powertoolsLogger(logger),
    onInvocation: (context) => logger.addContext(context),
    groups: parseDigestGroups(getRequiredEnv('DIGEST_GROUPS', env)),
  };
};

export const handler = makeHandler(defaultDeps());
