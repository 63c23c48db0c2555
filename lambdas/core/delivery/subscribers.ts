/**
 * The subscribers file (`cdk deploy -c subscribers=FILE`): who receives which alerts, on which
 * channel: the validation of the parsed value, every problem with its entry and field (what
 * each subscriber then receives is planned in delivery-plan.ts). Pure: the file is read by
 * cli/yaml/subscribers.ts.
 */
import { nearestName } from '../common/nearest.ts';
import { placeKey } from '../common/places.ts';
import {
  SEVERITIES,
  type Severity,
  type Subscriber,
  type SubscriberChannel,
} from '../common/types.ts';
import {
  audienceFilter,
  channelLabel,
  filterCombinations,
  MAX_FILTER_COMBINATIONS,
} from './delivery-plan.ts';

// Deliberately plain: one @, no spaces, a dot in the domain. SNS does the final check by
// sending a confirmation mail.
export const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
/** E.164: '+', a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** The severities a subscriber may ask for as a minimum. */
export const MIN_SEVERITIES = SEVERITIES.filter((s) => s !== 'none') as Exclude<Severity, 'none'>[];

/** Where a value is in the parsed file: list indexes and keys, e.g. `[3, 'countries', 1]`. */
export type SubscriberPath = readonly (string | number)[];

export interface SubscriberVocabulary {
  /**
   * The gazetteer's countries: folded name or alias -> canonical name. Watchlists are checked
   * against it and written in canonical form. @default - any name accepted as written
   */
  readonly countries?: ReadonlyMap<string, string>;
  /** The rule file's category ids. @default - any category accepted */
  readonly categories?: readonly string[];
}

export interface SubscriberCheck {
  readonly subscribers: Subscriber[];
  /** Each `where: entry N (channel): message`, empty when the file is valid. */
  readonly problems: string[];
}

const CHANNELS = ['email', 'sms', 'webhook', 'slack', 'teams'] as const;
const AUDIENCE_KEYS = ['minSeverity', 'countries', 'categories', 'digest'] as const;
const ENTRY_KEYS: readonly string[] = [...CHANNELS, ...AUDIENCE_KEYS];
/** Secrets Manager names (letters, digits, /_+=.@-), or a secret's ARN. */
const SECRET_NAME = /^(?:arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Case- and diacritic-insensitive form of a name. */
const fold = placeKey;

/** "; did you mean X?" when a candidate is close to the word, else "". */
export const didYouMean = (word: string, candidates: readonly string[]): string => {
  const near = nearestName(word, candidates, fold);
  return near !== undefined ? `; did you mean ${near}?` : '';
};

const describe = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'string'
        ? JSON.stringify(value)
        : `${typeof value} ${JSON.stringify(value)}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const URL_ADVICE =
  'a webhook URL is a secret and never goes in this file: store it in AWS Secrets Manager (aws secretsmanager create-secret --name newsalert/desk-webhook --secret-string "https://...") and write webhook: {secret: newsalert/desk-webhook}';

/**
 * Validates the parsed subscribers file: a list of entries, each naming one channel (`email`,
 * `sms`, `webhook`, `slack`, `teams`) with optional `minSeverity`, `countries`, `categories` and
 * `digest: daily`. `locate` turns a path into a location for messages (`subscribers.yaml:3:5`).
 */
export const validateSubscribers = (
  value: unknown,
  locate: (path: SubscriberPath) => string,
  vocabulary: SubscriberVocabulary = {}
): SubscriberCheck => {
  const problems: string[] = [];
  if (value === undefined || value === null) {
    problems.push(
      `${locate([])}: the file is empty: list subscribers like - email: desk@example.org`
    );
    return { subscribers: [], problems };
  }
  const entries = isRecord(value) && Array.isArray(value.subscribers) ? value.subscribers : value;
  const base: SubscriberPath = entries === value ? [] : ['subscribers'];
  if (!Array.isArray(entries)) {
    problems.push(
      `${locate([])}: expected a list of subscribers like - email: desk@example.org, got ${describe(value)}`
    );
    return { subscribers: [], problems };
  }
  const subscribers: Subscriber[] = [];
  entries.forEach((entry, index) => {
    const at = [...base, index];
    const checked = validateEntry(entry, at, index, locate, vocabulary, problems);
    if (checked) subscribers.push(checked);
  });
  const seen = new Map<string, number>();
  subscribers.forEach((s, index) => {
    const key = `${channelLabel(s.channel)} ${s.digest ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        `${locate([...base, index])}: entry ${index + 1} (${channelLabel(s.channel)}): the same channel as entry ${first + 1}; merge them into one entry`
      );
    } else seen.set(key, index);
  });
  return { subscribers, problems };
};

const validateEntry = (
  entry: unknown,
  at: SubscriberPath,
  index: number,
  locate: (path: SubscriberPath) => string,
  vocabulary: SubscriberVocabulary,
  problems: string[]
): Subscriber | undefined => {
  const owner = `entry ${index + 1}`;
  if (!isRecord(entry)) {
    problems.push(
      `${locate(at)}: ${owner}: expected a mapping like email: desk@example.org, got ${describe(entry)}`
    );
    return undefined;
  }
  const named = CHANNELS.filter((c) => entry[c] !== undefined);
  let failed = false;
  const fail = (path: SubscriberPath, message: string, who = owner): void => {
    problems.push(`${locate(path)}: ${who}: ${message}`);
    failed = true;
  };
  if (named.length !== 1) {
    fail(
      at,
      named.length === 0
        ? `names no channel: give one of ${CHANNELS.join(', ')}`
        : `names ${named.join(' and ')}: give one channel per entry`
    );
    return undefined;
  }
  const type = named[0] as (typeof CHANNELS)[number];
  const channel = validateChannel(type, entry[type], [...at, type], (path, message) =>
    fail(path, message)
  );
  const who = channel ? `${owner} (${channelLabel(channel)})` : owner;
  const field = (key: string, message: string) => fail([...at, key], message, who);
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.includes(key)) field(key, `unknown key '${key}'${didYouMean(key, ENTRY_KEYS)}`);
  }

  let minSeverity: Exclude<Severity, 'none'> | undefined;
  if (entry.minSeverity !== undefined) {
    const text =
      typeof entry.minSeverity === 'string' ? entry.minSeverity.trim().toLowerCase() : '';
    if ((MIN_SEVERITIES as string[]).includes(text)) {
      minSeverity = text as Exclude<Severity, 'none'>;
    } else {
      field(
        'minSeverity',
        `minSeverity ${JSON.stringify(entry.minSeverity)} is not one of ${MIN_SEVERITIES.join(', ')}${typeof entry.minSeverity === 'string' ? didYouMean(entry.minSeverity, MIN_SEVERITIES) : ''}`
      );
    }
  }
  const countries = nameList(entry, 'countries', at, field, (name, path) => {
    if (!vocabulary.countries) return name;
    const canonical = vocabulary.countries.get(fold(name));
    if (canonical) return canonical;
    fail(
      path,
      `'${name}' is not a country of the gazetteer (config/rules.yaml, places)${didYouMean(name, [...new Set(vocabulary.countries.values())])}`,
      who
    );
    return undefined;
  });
  const categories = nameList(entry, 'categories', at, field, (name, path) => {
    if (!vocabulary.categories || vocabulary.categories.includes(name)) return name;
    fail(
      path,
      `'${name}' is not a category of the rules (config/rules.yaml, categories)${didYouMean(name, vocabulary.categories)}`,
      who
    );
    return undefined;
  });
  let digest: 'daily' | undefined;
  if (entry.digest !== undefined) {
    if (entry.digest === 'daily') digest = 'daily';
    else field('digest', `digest ${JSON.stringify(entry.digest)} is not 'daily' (the only digest)`);
    if (type === 'sms') {
      field('digest', 'a daily digest does not fit an SMS: give it to an email entry');
    }
    if (type === 'webhook') {
      field(
        'digest',
        'webhooks receive each alert, not the daily digest: remove digest, or give the digest to an email entry'
      );
    }
  }
  const chat = type === 'slack' || type === 'teams';
  for (const key of AUDIENCE_KEYS) {
    if (chat && entry[key] !== undefined) {
      field(
        key,
        `a chat channel receives every alert (AWS Chatbot subscribes it without a filter): remove ${key}, or use a webhook entry with the channel's incoming webhook`
      );
    }
  }
  if (failed || !channel) return undefined;
  const subscriber: Subscriber = {
    channel,
    ...(minSeverity ? { minSeverity } : {}),
    ...(countries ? { countries } : {}),
    ...(categories ? { categories } : {}),
    ...(digest ? { digest } : {}),
  };
  const combinations = filterCombinations(audienceFilter(subscriber));
  if (!digest && combinations > MAX_FILTER_COMBINATIONS) {
    fail(
      at,
      `its filter has ${combinations} combinations of severities, countries and categories and SNS allows ${MAX_FILTER_COMBINATIONS}: list fewer, or split it into two entries`,
      who
    );
    return undefined;
  }
  return subscriber;
};

const nameList = (
  entry: Record<string, unknown>,
  key: 'countries' | 'categories',
  at: SubscriberPath,
  field: (key: string, message: string) => void,
  check: (name: string, path: SubscriberPath) => string | undefined
): string[] | undefined => {
  const value = entry[key];
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    field(key, `${key} must be a non-empty list of names, got ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  list.forEach((item, i) => {
    const name = typeof item === 'string' ? item.trim() : '';
    if (name === '') {
      field(key, `${key}[${i}] must be a name, got ${describe(item)}`);
      return;
    }
    const checked = check(name, typeof value === 'string' ? [...at, key] : [...at, key, i]);
    if (checked !== undefined && !out.includes(checked)) out.push(checked);
  });
  return out;
};

const validateChannel = (
  type: (typeof CHANNELS)[number],
  value: unknown,
  at: SubscriberPath,
  fail: (path: SubscriberPath, message: string) => void
): SubscriberChannel | undefined => {
  switch (type) {
    case 'email': {
      const address = typeof value === 'string' ? value.trim() : '';
      if (EMAIL.test(address)) return { type, address };
      fail(at, `email ${describe(value)} is not an email address, e.g. desk@example.org`);
      return undefined;
    }
    case 'sms': {
      if (typeof value === 'number') {
        fail(
          at,
          `sms ${value} was read as a number (YAML drops the +): quote it, e.g. sms: "+15555550100"`
        );
        return undefined;
      }
      const phone = typeof value === 'string' ? value.trim() : '';
      if (E164.test(phone)) return { type, number: phone };
      fail(
        at,
        `sms ${describe(value)} is not an E.164 phone number; write it as + country code and number, digits only, in quotes, e.g. "+15555550100"`
      );
      return undefined;
    }
    case 'webhook': {
      const spec = typeof value === 'string' ? { secret: value } : value;
      if (!isRecord(spec)) {
        fail(at, `webhook must name a secret, e.g. webhook: {secret: newsalert/desk-webhook}`);
        return undefined;
      }
      for (const key of Object.keys(spec)) {
        if (key !== 'secret' && key !== 'signingSecret') {
          fail([...at, key], `unknown key '${key}'${didYouMean(key, ['secret', 'signingSecret'])}`);
        }
      }
      const secret = secretName(
        spec.secret,
        typeof value === 'string' ? at : [...at, 'secret'],
        fail
      );
      const signing =
        spec.signingSecret === undefined
          ? undefined
          : secretName(spec.signingSecret, [...at, 'signingSecret'], fail, 'signingSecret');
      if (secret === undefined || (spec.signingSecret !== undefined && signing === undefined)) {
        return undefined;
      }
      return { type, secret, ...(signing ? { signingSecret: signing } : {}) };
    }
    case 'slack':
      return chatChannel(type, value, at, fail, {
        workspaceId: /^[A-Z0-9]{8,12}$/,
        channelId: /^[A-Z0-9]{8,12}$/,
      });
    case 'teams':
      // The channel id as Teams shows it (19:...@thread.tacv2), URL-encoded as Chatbot takes it.
      return chatChannel(
        type,
        isRecord(value) && typeof value.channelId === 'string'
          ? {
              ...value,
              channelId: value.channelId.trim().replace(/:/g, '%3A').replace(/@/g, '%40'),
            }
          : value,
        at,
        fail,
        {
          teamId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
          channelId: /^[\w\-=+/.,]*%3A[\w\-=+/.,]*%40[\w\-=+/.,]*$/,
          tenantId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        }
      );
  }
};

const secretName = (
  value: unknown,
  at: SubscriberPath,
  fail: (path: SubscriberPath, message: string) => void,
  key = 'secret'
): string | undefined => {
  const name = typeof value === 'string' ? value.trim() : '';
  if (URL_LIKE.test(name)) {
    fail(at, URL_ADVICE);
    return undefined;
  }
  if (SECRET_NAME.test(name)) return name;
  fail(
    at,
    `webhook ${key} ${describe(value)} is not the name or ARN of a secret in AWS Secrets Manager, e.g. newsalert/desk-webhook`
  );
  return undefined;
};

const chatChannel = <T extends 'slack' | 'teams'>(
  type: T,
  value: unknown,
  at: SubscriberPath,
  fail: (path: SubscriberPath, message: string) => void,
  fields: Record<string, RegExp>
): SubscriberChannel | undefined => {
  const example = Object.keys(fields)
    .map((k) => `${k}: ...`)
    .join(', ');
  if (!isRecord(value)) {
    fail(
      at,
      `${type} must give ${example} (from the channel configured in AWS Chatbot), got ${describe(value)}`
    );
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!(key in fields)) {
      fail([...at, key], `unknown key '${key}'${didYouMean(key, Object.keys(fields))}`);
      ok = false;
    }
  }
  for (const [key, pattern] of Object.entries(fields)) {
    const v = value[key];
    const text = typeof v === 'string' ? v.trim() : '';
    if (pattern.test(text)) out[key] = text;
    else {
      fail(
        v === undefined ? at : [...at, key],
        v === undefined
          ? `${type} needs ${key}`
          : `${type} ${key} ${describe(v)} does not look like an id of ${type === 'slack' ? 'Slack' : 'Microsoft Teams'}`
      );
      ok = false;
    }
  }
  return ok ? ({ type, ...out } as SubscriberChannel) : undefined;
};
