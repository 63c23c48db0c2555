import type { FeedConfig } from '../core/common/types.ts';
import { parseFeedsJson } from '../core/feeds/feeds-config.ts';
import { loadRulesJson } from '../core/rules/load-json.ts';
import type { RuleSet } from '../core/rules/ruleset.ts';
import type { ObjectStore } from '../ports.ts';
import { FEEDS_KEY, RULES_KEY } from './keys.ts';

/**
 * The feed list and rules as stored under config/, parsed once and kept until their ETag changes,
 * so a warm Lambda re-parses nothing while users can still edit them without a redeploy. They are
 * JSON (bin/app.ts converts config/*.yaml and validates it the same way), read through the JSON
 * fronts: no YAML parser in the Lambda bundles.
 */
export class ConfigCache {
  private readonly cache = new Map<string, { etag: string; value: unknown }>();

  constructor(private readonly store: ObjectStore) {}

  private async load<T>(key: string, parse: (text: string, source: string) => T): Promise<T> {
    const stored = await this.store.get(key);
    if (!stored) throw new Error(`${key} is missing from the bucket: deploy again or upload it`);
    const cached = this.cache.get(key);
    if (cached?.etag === stored.etag) return cached.value as T;
    const value = parse(stored.body, key);
    this.cache.set(key, { etag: stored.etag, value });
    return value;
  }

  feeds(key = FEEDS_KEY): Promise<FeedConfig[]> {
    return this.load(key, parseFeedsJson);
  }

  rules(key = RULES_KEY): Promise<RuleSet> {
    return this.load(key, loadRulesJson);
  }
}
