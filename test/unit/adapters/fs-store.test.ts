import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { PreconditionFailedError } from '../../../lambdas/core/common/errors.ts';

describe('Class: FsObjectStore', () => {
  let dir: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-store-'));
    store = new FsObjectStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('returns undefined for a missing key and the body with an etag after a put', async () => {
    // Act
    const missing = await store.get('state/x.json');
    const { etag } = await store.put('state/x.json', '{"a":1}');
    const found = await store.get('state/x.json');

    // Assess
    expect(missing).toBeUndefined();
    expect(found).toEqual({ body: '{"a":1}', etag });
  });

  it('lists keys under a prefix, sorted, with / separators', async () => {
    // Prepare
    await store.put('items/2024/11/29/b.jsonl', 'b');
    await store.put('items/2024/11/29/a.jsonl', 'a');
    await store.put('state/events.json', '{}');

    // Act
    const keys = await store.list('items/');

    // Assess
    expect(keys).toEqual(['items/2024/11/29/a.jsonl', 'items/2024/11/29/b.jsonl']);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('fails a conditional write when the object changed since it was read', async () => {
    // Prepare
    const first = await store.put('state/events.json', 'v1');
    await store.put('state/events.json', 'v2', { ifMatch: first.etag });

    // Act
    const stale = store.put('state/events.json', 'v3', { ifMatch: first.etag });

    // Assess
    await expect(stale).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.get('state/events.json'))?.body).toBe('v2');
  });

  it('fails a create-only write when the object exists', async () => {
    // Prepare
    await store.put('alerts/a.json', 'sent');

    // Act
    const again = store.put('alerts/a.json', 'sent again', { ifNoneMatch: '*' });

    // Assess
    await expect(again).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(store.put('alerts/b.json', 'new', { ifNoneMatch: '*' })).resolves.toHaveProperty(
      'etag'
    );
  });

  it.each(['../escape.json', '/abs.json', 'a//b', ''])(
    'fails on the unsafe key %j',
    async (key) => {
      await expect(store.put(key, 'x')).rejects.toThrow(/invalid store key/);
    }
  );
});

describe('Class: FsObjectStore, concurrent writers', () => {
  it('lets exactly one of two racing conditional writes win', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'newsalert-store-'));
    const store = new FsObjectStore(dir);
    const { etag } = await store.put('state/events.json', 'v1');

    // Act
    const outcomes = await Promise.allSettled([
      store.put('state/events.json', 'a', { ifMatch: etag }),
      store.put('state/events.json', 'b', { ifMatch: etag }),
    ]);

    // Assess
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    await rm(dir, { recursive: true, force: true });
  });
});
