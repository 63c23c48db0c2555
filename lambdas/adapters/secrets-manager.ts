import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { Clock, SecretReader } from '../ports.ts';

/** The part of SecretsManagerClient this adapter uses (a fake in tests). */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
}

/** @default 10 minutes: a rotated webhook URL is picked up within that, without a deploy. */
export const SECRET_CACHE_MS = 10 * 60 * 1000;

/**
 * Secrets Manager secrets read once per container and kept for `ttlMs`: one GetSecretValue per
 * secret per warm container and period, not per alert. A failed read is not cached. The value
 * never appears in an error message.
 */
export class CachedSecretReader implements SecretReader {
  private readonly cache = new Map<string, { value: Promise<string>; at: number }>();

  constructor(
    private readonly client: SecretsClient,
    private readonly clock: Clock,
    private readonly ttlMs = SECRET_CACHE_MS
  ) {}

  get(id: string): Promise<string> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(id);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const value = this.read(id);
    this.cache.set(id, { value, at: now });
    value.catch(() => {
      if (this.cache.get(id)?.value === value) this.cache.delete(id);
    });
    return value;
  }

  private async read(id: string): Promise<string> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: id }));
    if (typeof out.SecretString === 'string' && out.SecretString !== '') return out.SecretString;
    if (out.SecretBinary) return Buffer.from(out.SecretBinary).toString('utf8');
    throw new Error(`secret ${id} has no value: store the text with put-secret-value`);
  }
}
