import { describe, expect, it, vi } from 'vitest';

// The handler module builds its default dependencies at import: give it its environment first.
vi.hoisted(() => {
  process.env.BUCKET_NAME = 'newsalert-test-bucket';
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:digests';
  process.env.DIGEST_GROUPS = '[{"id":"everything"}]';
  process.env.AWS_REGION = 'us-east-1';
});

import { readFileSync } from 'node:fs';
import { MemoryObjectStore } from '../../../lambdas/adapters/memory-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import type { Alert } from '../../../lambdas/core/common/types.ts';
import type { RenderedDigest } from '../../../lambdas/core/delivery/digest.ts';
import { alertKey } from '../../../lambdas/pipeline/keys.ts';
import { defaultDeps, makeHandler } from '../../../lambdas/send-digest/handler.ts';
import { fixturePath } from '../../helpers/fixtures.ts';

describe('Handler: send-digest', () => {
  it('sends the digest of the previous day and returns what it did', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const body = readFileSync(fixturePath('alerts/kharkiv-new.json'), 'utf8');
    const alert = JSON.parse(body) as Alert;
    await store.put(alertKey(alert.id, new Date(alert.lastSeen)), body);
    const sent: Array<[string, RenderedDigest]> = [];

    // Act
    const summary = await makeHandler({
      store,
      publisher: { publish: async (group, digest) => void sent.push([group, digest]) },
      clock: { now: () => new Date('2026-11-23T07:00:00Z') },
      logger: silentLogger,
      groups: [{ id: 'everything' }],
    })({ 'detail-type': 'Scheduled Event' });

    // Assess
    expect(summary).toMatchObject({ day: '2026-11-22', alerts: 1, sent: { everything: 1 } });
    expect(sent.map(([group]) => group)).toEqual(['everything']);
  });

  it('reads its groups from the environment and refuses bad ones at start', () => {
    expect(defaultDeps().groups).toEqual([{ id: 'everything' }]);
    expect(() => defaultDeps({ ...process.env, DIGEST_GROUPS: '[{"id": ""}]' })).toThrow(
      'bad digest groups: group 1: id must be 1 to 64 letters'
    );
    expect(() => defaultDeps({ ...process.env, DIGEST_GROUPS: '' })).toThrow(
      'DIGEST_GROUPS environment variable is not set'
    );
  });
});
