import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFeedsConfig, readFeedsDocument } from '../../../cli/yaml/feeds-config.ts';
import { loadRules, parseRuleFile } from '../../../cli/yaml/rules.ts';
import { FsObjectStore } from '../../../lambdas/adapters/fs-store.ts';
import { InvalidInputError } from '../../../lambdas/core/common/errors.ts';
import { ConfigCache } from '../../../lambdas/pipeline/config.ts';
import { FEEDS_KEY, RULES_KEY } from '../../../lambdas/pipeline/keys.ts';
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
    expect(feeds).toEqual(parseFeedsConfig(FEEDS_YAML, 'feeds.yaml'));
    expect(rules.spec).toEqual(loadRules(RULES_YAML, 'rules.yaml').spec);
    expect(rules.source).toBe(RULES_KEY);
  });

  it('parses again only when the ETag changes', async () => {
    // Prepare
    const cache = new ConfigCache(store);
    const first = await cache.rules();

    // Act
    const again = await cache.rules();
    await store.put(
      RULES_KEY,
      deployedJson(parseRuleFile(RULES_YAML.replace('threshold: 4', 'threshold: 8'), 'r').document)
    );
    const edited = await cache.rules();

    // Assess
    expect(again).toBe(first);
    expect(edited).not.toBe(first);
    expect(edited.threshold).toBe(8);
    expect(store.calls.get).toBe(3);
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
    await expect(cache.rules()).rejects.toThrow(
      'config/rules.json is missing from the bucket: deploy again or upload it'
    );
  });
});
