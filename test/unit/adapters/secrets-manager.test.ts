import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  CachedSecretReader,
  SECRET_CACHE_MS,
  type SecretsClient,
} from '../../../lambdas/adapters/secrets-manager.ts';
import { rejected } from '../../helpers/thrown.ts';

/** A Secrets Manager client that answers from a table and records the ids asked for. */
const fakeClient = (
  answer: (id: string) => GetSecretValueCommandOutput | Error
): SecretsClient & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    send: async (command: GetSecretValueCommand) => {
      expect(command).toBeInstanceOf(GetSecretValueCommand);
      const id = command.input.SecretId ?? '';
      asked.push(id);
      const out = answer(id);
      if (out instanceof Error) throw out;
      return out;
    },
  };
};

const ok = (value: Partial<GetSecretValueCommandOutput>): GetSecretValueCommandOutput => ({
  $metadata: {},
  ...value,
});

describe('Class: CachedSecretReader', () => {
  it('reads a secret once per container and period, then again after it', async () => {
    // Prepare
    let now = new Date('2026-11-22T00:00:00Z');
    const client = fakeClient(() => ok({ SecretString: 'https://hooks.example/x' }));
    const secrets = new CachedSecretReader(client, { now: () => now });

    // Act
    const first = await secrets.get('newsalert/ops');
    const second = await secrets.get('newsalert/ops');
    now = new Date(now.getTime() + SECRET_CACHE_MS);
    await secrets.get('newsalert/ops');

    // Assess
    expect(first).toBe('https://hooks.example/x');
    expect(second).toBe(first);
    expect(client.asked).toEqual(['newsalert/ops', 'newsalert/ops']);
  });

  it('reads a binary secret as UTF-8 text', async () => {
    const client = fakeClient(() => ok({ SecretBinary: new TextEncoder().encode('k3y') }));
    const secrets = new CachedSecretReader(client, { now: () => new Date(0) });
    expect(await secrets.get('key')).toBe('k3y');
  });

  it('does not keep a failed read: the next call asks again', async () => {
    // Prepare
    let fail = true;
    const client = fakeClient(() =>
      fail ? new Error('AccessDeniedException: not authorized') : ok({ SecretString: 'v' })
    );
    const secrets = new CachedSecretReader(client, { now: () => new Date(0) });

    // Act
    const err = await rejected(() => secrets.get('s'));
    fail = false;
    const value = await secrets.get('s');

    // Assess
    expect(String(err)).toContain('AccessDeniedException');
    expect(value).toBe('v');
    expect(client.asked).toHaveLength(2);
  });

  it('fails with the id, not a value, on an empty secret', async () => {
    const secrets = new CachedSecretReader(
      fakeClient(() => ok({ SecretString: '' })),
      { now: () => new Date(0) }
    );
    expect(String(await rejected(() => secrets.get('newsalert/empty')))).toContain(
      'secret newsalert/empty has no value'
    );
  });
});
