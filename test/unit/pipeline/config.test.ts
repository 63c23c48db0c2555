import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFeedsConfig, readFeedsDocument } from '../../../cli/yaml/feeds-config.ts';
import { loadRules, parseRuleFile } from '../../../cli/yaml/rules.ts';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { silentLogger } from '../../../lambdas/adapters/stderr-logger.ts';
import { InvalidInputError } from '../../../lambdas/core/common/errors.ts';
import { ConfigCache, ConfigRejectedError } from '../../../lambdas/pipeline/config.ts';
import {
  FEEDS_KEY,
  LAST_GOOD_FEEDS_KEY,
  LAST_GOOD_RULES_KEY,
  RULES_KEY,
} from '../../../lambdas/pipeline/keys.ts';
import { TINY_RULES_YAML } from '../../fixtures/rules/tiny.ts';
import { FaultyStore } from '../../helpers/faulty-store.ts';

const FEEDS_YAML = `# two outlets
- { name: BBC World, url: "https://feeds.bbci.co.uk/news/world/rss.xml" }
- https://www.aljazeera.com/xml/rss/all.xml
`;

const RULES_YAML = TINY_RULES_YAML;

/** The JSON the CDK app uploads: the YAML front's parsed document. */
const deployedJson = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

describe('Class: ConfigCache', () => {
  let dir: string;
  let store: FaultyStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-config-cache-'));
    store = new FaultyStore(new FsObjectStore(dir));
    await store.put(FEEDS_KEY, deployedJson(readFeedsDocument(FEEDS_YAML, 'feeds.yaml')));
    await store.put(RULES_KEY, deployedJson(parseRuleFile(RULES_YAML, 'rules.yaml').document));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the deployed JSON into the same feeds and rules as the YAML it came from', async () => {
    // Prepare
    const cache = new ConfigCache(store);

    // Act
    const feeds = await cache.feeds();
    const rules = await cache.rules();

    // Assess
    expect(feeds).toEqual({ value: parseFeedsConfig(FEEDS_YAML, 'feeds.yaml') });
    expect(rules.value.spec).toEqual(loadRules(RULES_YAML, 'rules.yaml').spec);
    expect(rules.value.source).toBe(RULES_KEY);
    expect(rules.rejected).toBeUndefined();
  });

  it('parses again only when the ETag changes', async () => {
    // Prepare
    const cache = new ConfigCache(store);
    const first = (await cache.rules()).value;
    const getsAfterFirst = store.calls.get;

    // Act
    const again = (await cache.rules()).value;
    await store.put(
      RULES_KEY,
      deployedJson(parseRuleFile(RULES_YAML.replace('threshold: 4', 'threshold: 8'), 'r').document)
    );
    const edited = (await cache.rules()).value;

    // Assess: one GET each, plus one of the last good copy after the edit (to replace it)
    expect(again).toBe(first);
    expect(edited).not.toBe(first);
    expect(edited.threshold).toBe(8);
    expect(store.calls.get - getsAfterFirst).toBe(3);
  });

  it.each([
    [
      'rules',
      RULES_KEY,
      /^config\/rules\.json is not a valid rule file \(1 problem\): fix it and load it again\nconfig\/rules\.json: not valid JSON: /,
    ],
    ['feeds', FEEDS_KEY, /^config\/feeds\.json: not valid JSON: .+: fix it and load it again$/],
  ] as const)(
    'fails naming the key when the %s object is not JSON',
    async (what, key, expected) => {
      // Prepare: someone uploaded the YAML under the JSON key
      await store.put(key, what === 'rules' ? RULES_YAML : FEEDS_YAML);
      const cache = new ConfigCache(store);

      // Act
      const loading = what === 'rules' ? cache.rules() : cache.feeds();

      // Assess
      await expect(loading).rejects.toThrow(InvalidInputError);
      await expect(loading).rejects.toThrow(expected);
    }
  );

  it('fails naming the key and what to do when it is missing', async () => {
    // Prepare
    const cache = new ConfigCache(new FsObjectStore(join(dir, 'empty')));

    // Act / Assess
    await expect(cache.rules()).rejects.toThrow(ConfigRejectedError);
    await expect(cache.rules()).rejects.toThrow(
      'config/rules.json is missing from the bucket: deploy again or upload it'
    );
  });

  describe('Method: rules and feeds, after a broken upload', () => {
    it.each([
      ['rules', RULES_KEY, LAST_GOOD_RULES_KEY],
      ['feeds', FEEDS_KEY, LAST_GOOD_FEEDS_KEY],
    ] as const)(
      'keeps the %s that loaded in state/last-good/, once per change',
      async (what, key, lastGoodKey) => {
        // Prepare
        const cache = new ConfigCache(store);
        const load = () => (what === 'rules' ? cache.rules() : cache.feeds());

        // Act
        await load();
        await load();
        await new ConfigCache(store).rules(); // a cold start: the copy is the same, not written
        await new ConfigCache(store).feeds();

        // Assess
        expect((await store.get(lastGoodKey))?.body).toBe((await store.get(key))?.body);
        expect(store.puts.filter((k) => k === lastGoodKey)).toHaveLength(1);
      }
    );

    it('goes on with the last good rules when config/rules.json breaks, naming every problem', async () => {
      // Prepare
      const cache = new ConfigCache(store);
      const good = (await cache.rules()).value;
      await store.put(RULES_KEY, '{"version": 1, "rules": [{"name": 7}]}');

      // Act
      const loaded = await cache.rules();
      const cold = await new ConfigCache(store).rules();

      // Assess
      expect(loaded.value).toBe(good);
      expect(loaded.rejected).toMatchObject({ key: RULES_KEY, lastGoodKey: LAST_GOOD_RULES_KEY });
      expect(loaded.rejected?.problems.length).toBeGreaterThan(0);
      expect(loaded.rejected?.problems.every((p) => p.startsWith('config/rules.json'))).toBe(true);
      expect(cold.value.spec).toEqual(good.spec);
      expect(cold.rejected?.problems).toEqual(loaded.rejected?.problems);
      expect(store.puts.filter((k) => k === LAST_GOOD_RULES_KEY)).toHaveLength(1);
    });

    it('goes on with the last good feed list when config/feeds.json is deleted', async () => {
      // Prepare
      const good = (await new ConfigCache(store).feeds()).value;
      await rm(join(dir, 'config', 'feeds.json'));

      // Act
      const loaded = await new ConfigCache(store).feeds();

      // Assess
      expect(loaded).toEqual({
        value: good,
        rejected: {
          key: FEEDS_KEY,
          lastGoodKey: LAST_GOOD_FEEDS_KEY,
          problems: ['config/feeds.json is missing from the bucket: deploy again or upload it'],
        },
      });
    });

    it('takes the fixed file again as soon as it loads', async () => {
      // Prepare
      const cache = new ConfigCache(store);
      const original = (await store.get(RULES_KEY))?.body ?? '';
      await cache.rules();
      await store.put(RULES_KEY, 'not json');
      await cache.rules();
      const fixed = original.replace('"threshold": 4', '"threshold": 6');
      await store.put(RULES_KEY, fixed);

      // Act
      const loaded = await cache.rules();

      // Assess
      expect(loaded.rejected).toBeUndefined();
      expect(loaded.value.threshold).toBe(6);
      expect((await store.get(LAST_GOOD_RULES_KEY))?.body).toBe(fixed);
    });

    it('fails as before when no last good copy is kept yet, carrying the rejection', async () => {
      // Prepare: the first rules ever uploaded are broken
      await store.put(RULES_KEY, '{"rules": "none"}');
      const cache = new ConfigCache(store);

      // Act
      const error = await cache.rules().then(
        () => undefined,
        (err: unknown) => err
      );

      // Assess
      expect(error).toBeInstanceOf(ConfigRejectedError);
      expect((error as ConfigRejectedError).rejection.key).toBe(RULES_KEY);
      expect((error as ConfigRejectedError).message).toMatch(/^config\/rules\.json /);
      expect(await store.get(LAST_GOOD_RULES_KEY)).toBeUndefined();
    });

    it('goes on when the last good copy cannot be written, and says so', async () => {
      // Prepare
      store.failPuts('state/last-good/', 1);
      const warnings: string[] = [];
      const cache = new ConfigCache(store, {
        ...silentLogger,
        warn: (message) => warnings.push(message),
      });

      // Act
      const loaded = await cache.rules();

      // Assess
      expect(loaded.rejected).toBeUndefined();
      expect(warnings).toEqual(['could not keep config/rules.json as the last good copy']);
    });
  });
});
