import { errorMessage, InvalidInputError } from '../core/common/errors.ts';
import type { FeedConfig } from '../core/common/types.ts';
import { parseFeedsJson } from '../core/feeds/feeds-config.ts';
import { loadRulesJson } from '../core/rules/load-json.ts';
import type { RuleSet } from '../core/rules/ruleset.ts';
import type { Logger, ObjectStore } from '../ports.ts';
import { FEEDS_KEY, LAST_GOOD_FEEDS_KEY, LAST_GOOD_RULES_KEY, RULES_KEY } from './keys.ts';

/** A config object that could not be used: missing or invalid. */
export interface ConfigRejection {
  /** The key rejected (config/rules.json). */
  readonly key: string;
  /** Every problem found, each naming where it is. */
  readonly problems: readonly string[];
}

/** What a load gave: the config to use and, when the current object was rejected, why. */
export interface LoadedConfig<T> {
  readonly value: T;
  /** Set when the current object was rejected and `value` is the last good copy. */
  readonly rejected?: ConfigRejection & {
    /** Where `value` came from instead (state/last-good/...). */
    readonly lastGoodKey: string;
  };
}

/**
 * The current config object was rejected and there is no usable last good copy: nothing to run
 * with. The message is the rejection's (the first problem); `rejection` has them all.
 */
export class ConfigRejectedError extends InvalidInputError {
  constructor(
    readonly rejection: ConfigRejection,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, rejection.problems, options);
    this.name = 'ConfigRejectedError';
  }
}

type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly body: string }
  | { readonly ok: false; readonly error: Error; readonly problems: readonly string[] };

const failedOutcome = (err: unknown): Outcome<never> => {
  const error = err instanceof Error ? err : new Error(String(err));
  const problems =
    err instanceof InvalidInputError && err.problems.length > 0
      ? err.problems
      : [errorMessage(err)];
  return { ok: false, error, problems };
};

/**
 * The feed list and rules as stored under config/, parsed once and kept until their ETag changes,
 * so a warm Lambda re-parses nothing while users can still edit them without a redeploy. They are
 * JSON (bin/app.ts converts config/*.yaml and validates it the same way), read through the JSON
 * fronts: no YAML parser in the Lambda bundles.
 *
 * A broken upload does not stop the pipeline: every object that loads is copied to
 * state/last-good/ (when it differs from the copy there), and while the current one is missing
 * or invalid the last good copy is used and the load says so (`rejected`), for the handler to
 * log and count. With no last good copy the load throws ConfigRejectedError.
 */
export class ConfigCache {
  private readonly cache = new Map<string, { etag: string; outcome: Outcome<unknown> }>();
  /** Per key, the value that last loaded in this process: the last good copy, already parsed. */
  private readonly loaded = new Map<string, unknown>();

  /** @param logger where a failed copy to state/last-good/ is reported (the load goes on) */
  constructor(
    private readonly store: ObjectStore,
    private readonly logger?: Logger
  ) {}

  /** The object at `key` parsed, or why not; `changed` when it was not the one cached. */
  private async read<T>(
    key: string,
    parse: (text: string, source: string) => T
  ): Promise<{ outcome: Outcome<T>; changed: boolean }> {
    const stored = await this.store.get(key);
    if (!stored) {
      this.cache.delete(key);
      const missing = new InvalidInputError(
        `${key} is missing from the bucket: deploy again or upload it`
      );
      return { outcome: failedOutcome(missing), changed: true };
    }
    const cached = this.cache.get(key);
    if (cached?.etag === stored.etag)
      return { outcome: cached.outcome as Outcome<T>, changed: false };
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: parse(stored.body, key), body: stored.body };
    } catch (err) {
      outcome = failedOutcome(err);
    }
    this.cache.set(key, { etag: stored.etag, outcome });
    return { outcome, changed: true };
  }

  /** Copies a config that loaded to its last-good key, unless the copy there is the same. */
  private async keepLastGood(key: string, lastGoodKey: string, body: string): Promise<void> {
    try {
      if ((await this.store.get(lastGoodKey))?.body === body) return;
      await this.store.put(lastGoodKey, body, { contentType: 'application/json' });
    } catch (err) {
      this.logger?.warn(`could not keep ${key} as the last good copy`, {
        key: lastGoodKey,
        error: errorMessage(err),
      });
    }
  }

  private async load<T>(
    key: string,
    lastGoodKey: string,
    parse: (text: string, source: string) => T
  ): Promise<LoadedConfig<T>> {
    const current = await this.read(key, parse);
    if (current.outcome.ok) {
      this.loaded.set(key, current.outcome.value);
      if (current.changed) await this.keepLastGood(key, lastGoodKey, current.outcome.body);
      return { value: current.outcome.value };
    }
    const rejected = { key, problems: current.outcome.problems, lastGoodKey };
    if (this.loaded.has(key)) return { value: this.loaded.get(key) as T, rejected };
    const lastGood = (await this.read(lastGoodKey, parse)).outcome;
    if (lastGood.ok) {
      this.loaded.set(key, lastGood.value);
      return { value: lastGood.value, rejected };
    }
    const rejection = { key, problems: current.outcome.problems };
    throw new ConfigRejectedError(rejection, current.outcome.error.message, {
      cause: current.outcome.error,
    });
  }

  feeds(key = FEEDS_KEY, lastGoodKey = LAST_GOOD_FEEDS_KEY): Promise<LoadedConfig<FeedConfig[]>> {
    return this.load(key, lastGoodKey, parseFeedsJson);
  }

  rules(key = RULES_KEY, lastGoodKey = LAST_GOOD_RULES_KEY): Promise<LoadedConfig<RuleSet>> {
    return this.load(key, lastGoodKey, loadRulesJson);
  }
}

/**
 * Loads a config file through the cache and logs a rejection with its problems: `going` says how
 * the run goes on with the last good copy ("polling the last good feed list"), `stopped` what
 * happens while none is kept ("nothing is polled until it is fixed"). `onNoLastGood` runs before
 * the ConfigRejectedError is thrown again (a handler counts and flushes it there).
 */
export const loadLogged = async <T>(
  load: () => Promise<LoadedConfig<T>>,
  logger: Logger,
  words: { readonly going: string; readonly stopped: string },
  onNoLastGood?: () => void
): Promise<LoadedConfig<T>> => {
  try {
    const loaded = await load();
    if (loaded.rejected) {
      logger.error(
        `${loaded.rejected.key} rejected; ${words.going} (${loaded.rejected.lastGoodKey}): fix the file and upload it again`,
        { key: loaded.rejected.key, problems: loaded.rejected.problems }
      );
    }
    return loaded;
  } catch (err) {
    if (err instanceof ConfigRejectedError) {
      logger.error(`${err.rejection.key} rejected and ${words.stopped}`, {
        key: err.rejection.key,
        problems: err.rejection.problems,
      });
      onNoLastGood?.();
    }
    throw err;
  }
};
