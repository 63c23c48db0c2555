/**
 * The webhook delivery Lambda: subscribed to the alert topic (one function per webhook, with
 * that subscriber's filter policy), it POSTs each alert to the webhook's URL: the alert as JSON
 * with an HMAC signature, or a Slack or Teams message. The URL and the signing key are read from
 * Secrets Manager (cached per container) and never logged. A delivery that fails after its
 * retries throws: Lambda retries the event, then sends it to the on-failure queue. Thin: the
 * bodies and signatures live in lambdas/core/delivery/webhook.ts.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SNSEvent } from 'aws-lambda';
import { powertoolsLogger } from '../adapters/powertools.ts';
import { CachedSecretReader } from '../adapters/secrets-manager.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { httpWebhookPoster } from '../adapters/webhook-poster.ts';
import { parseAlertJson } from '../core/common/alert-json.ts';
import { errorMessage } from '../core/common/errors.ts';
import { hostOf, parseWebhookSecret, webhookRequest } from '../core/delivery/webhook.ts';
import type { Clock, Logger, SecretReader, WebhookPoster } from '../ports.ts';
import { getRequiredEnv } from '../shared/env.ts';

export interface WebhookHandlerDeps {
  readonly secrets: SecretReader;
  readonly poster: WebhookPoster;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The secret holding the URL (or `{"url", "signingKey"?}`). */
  readonly secretId: string;
  /** A separate secret holding the signing key. @default - the key in the URL secret, if any */
  readonly signingSecretId?: string;
  /** Accept http:// URLs (tests against a loopback server). @default false: https only */
  readonly allowHttp?: boolean;
  readonly onInvocation?: (context: Context) => void;
}

export const makeHandler =
  (deps: WebhookHandlerDeps) =>
  async (event: SNSEvent, context?: Context): Promise<void> => {
    if (context) deps.onInvocation?.(context);
    for (const record of event.Records) {
      const alert = parseAlertJson(record.Sns.Message);
      const target = parseWebhookSecret(await deps.secrets.get(deps.secretId), deps.allowHttp);
      const signingKey = deps.signingSecretId
        ? (await deps.secrets.get(deps.signingSecretId)).trim()
        : target.signingKey;
      const request = webhookRequest(
        alert,
        signingKey ? { url: target.url, signingKey } : { url: target.url },
        Math.floor(deps.clock.now().getTime() / 1000)
      );
      // The host only: the path of a chat webhook URL is its credential.
      const where = { alert: alert.id, host: hostOf(target.url), flavour: request.flavour };
      try {
        const result = await deps.poster.post(target.url, request);
        deps.logger.info('webhook delivered', { ...where, ...result });
      } catch (err) {
        deps.logger.error('webhook delivery failed; lambda retries the event, then queues it', {
          ...where,
          error: errorMessage(err),
        });
        throw err;
      }
    }
  };

const secretsClient = new SecretsManagerClient({});

export const defaultDeps = (env: NodeJS.ProcessEnv = process.env): WebhookHandlerDeps => {
  const logger = new PowertoolsLogger({ persistentKeys: { webhook: env.WEBHOOK_ID ?? '' } });
  const signingSecretId = env.WEBHOOK_SIGNING_SECRET_ID?.trim();
  return {
    secrets: new CachedSecretReader(secretsClient, systemClock),
    poster: httpWebhookPoster(),
    clock: systemClock,
    logger: powertoolsLogger(logger),
    onInvocation: (context) => logger.addContext(context),
    secretId: getRequiredEnv('WEBHOOK_SECRET_ID', env),
    ...(signingSecretId ? { signingSecretId } : {}),
  };
};

export const handler = makeHandler(defaultDeps());
