import { describe, expect, it } from 'vitest';
import { getIntEnv, getRequiredEnv } from '../../../lambdas/shared/env.ts';

describe('Function: getRequiredEnv', () => {
  it('returns the value when set', () => {
    expect(getRequiredEnv('BUCKET_NAME', { BUCKET_NAME: 'newsalerts-storagebucket-1x2y3z' })).toBe(
      'newsalerts-storagebucket-1x2y3z'
    );
  });

  it.each([[{}], [{ TOPIC_ARN: '' }], [{ TOPIC_ARN: '  ' }]])(
    'fails naming the variable when it is missing or blank (%j)',
    (env) => {
      expect(() => getRequiredEnv('TOPIC_ARN', env)).toThrow(
        /^TOPIC_ARN environment variable is not set/
      );
    }
  );
});

describe('Function: getIntEnv', () => {
  it('returns the fallback when unset and the number when set', () => {
    expect(getIntEnv('POLL_CONCURRENCY', 16, {})).toBe(16);
    expect(getIntEnv('POLL_CONCURRENCY', 16, { POLL_CONCURRENCY: '32' })).toBe(32);
  });

  it('fails naming the variable and the bad value', () => {
    expect(() => getIntEnv('POLL_CONCURRENCY', 16, { POLL_CONCURRENCY: 'lots' })).toThrow(
      "POLL_CONCURRENCY must be a positive integer, got 'lots'"
    );
  });
});
