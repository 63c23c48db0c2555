/**
 * The app's settings and their validation. bin/app.ts reads the CDK context and calls
 * `appConfigFromContext`; constructs receive the typed result and never read context themselves.
 */
import { closest, distance } from 'fastest-levenshtein';
import { type DeliveryPlan, SEVERITIES, type Severity } from '../lambdas/core/common/types.ts';

export interface AppConfig {
  /** Email addresses subscribed to every alert. */
  readonly alertEmails: string[];
  /** Email addresses notified when an alarm fires (default: alertEmails). */
  readonly alarmEmails: string[];
  /** E.164 phone numbers subscribed to SMS alerts at or above `smsMinSeverity`. */
  readonly alertPhones: string[];
  readonly smsMinSeverity: Severity;
  /** An EventBridge schedule expression: `rate(5 minutes)` or `cron(...)`. */
  readonly schedule: string;
  /** Minutes between polls, used to size the alarm periods (60 for cron schedules). */
  readonly pollMinutes: number;
  /** Upload the repo's config/ to the bucket on deploy (overwrites edits made in the bucket). */
  readonly uploadConfig: boolean;
  /**
   * Reserve concurrent executions for the classifier (a few, so their conditional writes of the
   * event state rarely conflict). Accounts whose concurrency quota is 10 cannot reserve any.
   */
  readonly reserveConcurrency: boolean;
  /** Feeds per shard: one message and one worker run poll this many. Unset: the Lambda's default. */
  readonly feedsPerShard?: number;
  /** Poller workers running at once at most (the poll queue's event source). */
  readonly pollerMaxConcurrency: number;
  /** The subscribers file (`-c subscribers=FILE`, YAML or JSON), read by bin/app.ts. */
  readonly subscribersFile?: string;
  /**
   * Who receives what: the subscribers file and the alertEmails/alertPhones shorthands, each
   * subscription with its filter policy, and the digest groups (planned by bin/app.ts). Webhook
   * entries are listed here for the webhook delivery function to subscribe.
   * @default - no subscriptions
   */
  readonly delivery?: DeliveryPlan;
}

/** A context value that cannot be used; the message names the setting and the bad value. */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

export const DEFAULTS = {
  smsMinSeverity: 'high' as Severity,
  scheduleMinutes: 5,
  pollerMaxConcurrency: 10,
};

/** Bounds of the numeric settings: Lambda's own for the event source's maximum concurrency. */
export const LIMITS = {
  feedsPerShard: { min: 1, max: 5000 },
  pollerMaxConcurrency: { min: 2, max: 1000 },
} as const;

// Deliberately plain: one @, no spaces, a dot in the domain. SNS does the final check by
// sending a confirmation mail.
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
/** E.164: '+', a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

const splitList = (value: unknown, name: string): string[] => {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((v) => splitList(v, name));
  if (typeof value !== 'string') {
    throw new ContextError(
      `context ${name} must be a comma-separated string, got ${JSON.stringify(value)}`
    );
  }
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
};

export const parseEmails = (value: unknown, name = 'alertEmails'): string[] => {
  const emails = splitList(value, name);
  for (const email of emails) {
    if (!EMAIL.test(email)) {
      throw new ContextError(
        `${name}: '${email}' is not an email address; pass -c ${name}=a@example.com,b@example.com`
      );
    }
  }
  return [...new Set(emails)];
};

export const parsePhones = (value: unknown): string[] => {
  const phones = splitList(value, 'alertPhones');
  for (const phone of phones) {
    if (!E164.test(phone)) {
      throw new ContextError(
        `alertPhones: '${phone}' is not an E.164 phone number; write it as + country code and number, digits only, e.g. +15555550100`
      );
    }
  }
  return [...new Set(phones)];
};

export const parseSeverity = (value: unknown): Severity => {
  if (value === undefined || value === null || value === '') return DEFAULTS.smsMinSeverity;
  const severity = String(value).trim().toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity) || severity === 'none') {
    throw new ContextError(
      `smsMinSeverity: '${String(value)}' is not one of low, medium, high, critical`
    );
  }
  return severity as Severity;
};

/** Polls further apart than this make no sense for alerts (and exceed the alarm windows). */
export const MAX_SCHEDULE_MINUTES = 360;

/**
 * The poll schedule: a number of minutes (`-c schedule=10`) or an EventBridge expression
 * (`rate(1 hour)`, `cron(0/15 * * * ? *)`).
 */
export const parseSchedule = (value: unknown): { expression: string; minutes: number } => {
  if (value === undefined || value === null || value === '') {
    return { expression: `rate(${DEFAULTS.scheduleMinutes} minutes)`, minutes: 5 };
  }
  const text = String(value).trim();
  if (/^\d+$/.test(text)) {
    const minutes = Number(text);
    if (minutes < 1 || minutes > MAX_SCHEDULE_MINUTES) {
      throw new ContextError(
        `schedule: '${text}' minutes is out of range; use 1 to ${MAX_SCHEDULE_MINUTES}`
      );
    }
    return { expression: minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`, minutes };
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2] ?? 'minutes';
    const minutes = n * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440);
    if (minutes < 1 || minutes > MAX_SCHEDULE_MINUTES) {
      throw new ContextError(
        `schedule: '${text}' is out of range; poll at least every ${MAX_SCHEDULE_MINUTES / 60} hours`
      );
    }
    return { expression: text, minutes };
  }
  if (/^cron\([^)]+\)$/.test(text)) return { expression: text, minutes: 60 };
  throw new ContextError(
    `schedule: '${text}' is not a number of minutes, rate(...) or cron(...) expression; e.g. -c schedule=10`
  );
};

const parseBoolean = (value: unknown, name: string, fallback: boolean): boolean => {
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(`${name}: '${String(value)}' is not true or false`);
};

const subscribersFile = (value: unknown): { subscribersFile?: string } => {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string') {
    throw new ContextError(`subscribers: give a file path, e.g. -c subscribers=subscribers.yaml`);
  }
  return { subscribersFile: value.trim() };
};

/** A whole number setting within `LIMITS[name]`, or undefined when not given. */
const parseWholeNumber = (value: unknown, name: keyof typeof LIMITS): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  const { min, max } = LIMITS[name];
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new ContextError(
      `${name}: '${String(value)}' is not a whole number from ${min} to ${max}`
    );
  }
  return n;
};

/** The settings a deployer gives with `-c key=value`, as appConfigFromContext reads them. */
export const SETTINGS = [
  'alertEmails',
  'alarmEmails',
  'alertPhones',
  'smsMinSeverity',
  'schedule',
  'uploadConfig',
  'reserveConcurrency',
  'feedsPerShard',
  'pollerMaxConcurrency',
  /** A rule file to deploy instead of config/rules.yaml (bin/app.ts reads it; may extend it). */
  'rules',
  'subscribers',
] as const;

/**
 * Context keys the CDK and its CLI set themselves: feature flags (`@aws-cdk/...`), `aws:` keys,
 * and the CLI's own settings of cdk.json.
 */
const TOOL_KEY = /^(@|aws:|aws-cdk:|cdk[-:])|^(cli-telemetry|acknowledged-issue-numbers)$/;

/**
 * Refuses context keys that are no setting, naming the nearest one ("alertEmail: did you mean
 * alertEmails?"): a mistyped key would otherwise deploy a stack that alerts nobody.
 */
export const checkContextKeys = (keys: readonly string[]): void => {
  const unknown = keys.filter(
    (key) => !TOOL_KEY.test(key) && !(SETTINGS as readonly string[]).includes(key)
  );
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    const near = closest(key, [...SETTINGS]);
    return distance(key, near) <= Math.max(2, Math.floor(near.length / 3))
      ? `${key}: did you mean ${near}?`
      : `${key}: not a setting`;
  });
  throw new ContextError(
    `unknown context ${described.join('; ')} (the settings are ${SETTINGS.join(', ')})`
  );
};

/** Builds the AppConfig from context values (`app.node.tryGetContext`), validating each. */
export const appConfigFromContext = (get: (key: string) => unknown): AppConfig => {
  const schedule = parseSchedule(get('schedule'));
  const alertEmails = parseEmails(get('alertEmails'));
  const alarmEmails = get('alarmEmails');
  const feedsPerShard = parseWholeNumber(get('feedsPerShard'), 'feedsPerShard');
  return {
    alertEmails,
    alarmEmails: alarmEmails === undefined ? alertEmails : parseEmails(alarmEmails, 'alarmEmails'),
    alertPhones: parsePhones(get('alertPhones')),
    smsMinSeverity: parseSeverity(get('smsMinSeverity')),
    schedule: schedule.expression,
    pollMinutes: schedule.minutes,
    uploadConfig: parseBoolean(get('uploadConfig'), 'uploadConfig', true),
    reserveConcurrency: parseBoolean(get('reserveConcurrency'), 'reserveConcurrency', true),
    ...(feedsPerShard !== undefined ? { feedsPerShard } : {}),
    pollerMaxConcurrency:
      parseWholeNumber(get('pollerMaxConcurrency'), 'pollerMaxConcurrency') ??
      DEFAULTS.pollerMaxConcurrency,
    ...subscribersFile(get('subscribers')),
  };
};
