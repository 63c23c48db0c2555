/**
 * Who receives what, from the subscribers validated: the filter policy each subscription needs
 * (on the alert attributes `severity`, `kind`, `places`, `countries`, `categories`, `sms`), the
 * digest groups, and the shorthands `alertEmails`/`alertPhones`. Pure: bin/app.ts plans, and
 * lib/constructs/alert-topic.ts makes the subscriptions.
 */
import { createHash } from 'node:crypto';
import {
  type AttributeFilter,
  type Audience,
  type DeliveryPlan,
  type DigestGroup,
  type PlannedSubscription,
  SEVERITIES,
  type Severity,
  type Subscriber,
  type SubscriberChannel,
} from '../common/types.ts';

/**
 * The value a test alert (`newsalert send-test`) carries in `countries`, `categories` and
 * `digestGroup`; every filter on those attributes accepts it, so a test reaches every channel.
 */
export const TEST_VALUE = 'test';

/** The `countries` and `categories` value of an alert that has none, so filters still match. */
export const NO_VALUE = 'none';

/** SNS refuses a filter policy whose allowlists multiply to more than this. */
export const MAX_FILTER_COMBINATIONS = 150;

/** The severities from `min` up. */
export const severitiesFrom = (min: Severity): Severity[] =>
  SEVERITIES.slice(SEVERITIES.indexOf(min));

/** The channel as people wrote it: `email desk@example.org`, `slack T0123/C0456`. */
export const channelLabel = (channel: SubscriberChannel): string => {
  switch (channel.type) {
    case 'email':
      return `email ${channel.address}`;
    case 'sms':
      return `sms ${channel.number}`;
    case 'webhook':
      return `webhook ${channel.secret}`;
    case 'slack':
      return `slack ${channel.workspaceId}/${channel.channelId}`;
    case 'teams':
      return `teams ${channel.teamId}/${channel.channelId}`;
  }
};

/** The subscribers `-c alertEmails=...` and `-c alertPhones=...` stand for. */
export const shorthandSubscribers = (
  emails: readonly string[],
  phones: readonly string[],
  smsMinSeverity: Exclude<Severity, 'none'>
): Subscriber[] => [
  ...emails.map((address): Subscriber => ({ channel: { type: 'email', address } })),
  ...phones.map(
    (number): Subscriber => ({ channel: { type: 'sms', number }, minSeverity: smsMinSeverity })
  ),
];

/**
 * The filter on the alert attributes an audience needs: `severity` from its minimum up,
 * `countries` and `categories` its lists (each with TEST_VALUE, so a test alert passes).
 */
export const audienceFilter = (audience: Audience): AttributeFilter => ({
  ...(audience.minSeverity ? { severity: severitiesFrom(audience.minSeverity) } : {}),
  ...(audience.countries ? { countries: [...audience.countries, TEST_VALUE] } : {}),
  ...(audience.categories ? { categories: [...audience.categories, TEST_VALUE] } : {}),
});

/** How many value combinations SNS counts for a filter (the product of its allowlists). */
export const filterCombinations = (filter: AttributeFilter): number =>
  Object.values(filter).reduce((n, values) => n * Math.max(1, values.length), 1);

/** True when message attributes pass a filter (as SNS matches string and string-array ones). */
export const passesFilter = (
  filter: AttributeFilter,
  attributes: Readonly<Record<string, string | readonly string[]>>
): boolean =>
  Object.entries(filter).every(([name, allowed]) => {
    const value = attributes[name];
    const values = value === undefined ? [] : typeof value === 'string' ? [value] : value;
    return values.some((v) => allowed.includes(v));
  });

const shortHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 10);

/** The audience in one canonical form (sorted lists), so equal audiences hash alike. */
const audienceKey = (a: Audience): string =>
  JSON.stringify([
    a.minSeverity ?? null,
    a.countries ? [...a.countries].sort() : null,
    a.categories ? [...a.categories].sort() : null,
  ]);

const sameAudience = (a: Audience): Audience => ({
  ...(a.minSeverity ? { minSeverity: a.minSeverity } : {}),
  ...(a.countries ? { countries: [...a.countries].sort() } : {}),
  ...(a.categories ? { categories: [...a.categories].sort() } : {}),
});

/**
 * The distinct audiences of the `digest: daily` subscribers, each with a short stable id: the
 * digest sends one message per group with the message attribute `digestGroup = <id>`.
 */
export const digestGroups = (subscribers: readonly Subscriber[]): DigestGroup[] => {
  const groups = new Map<string, DigestGroup>();
  for (const s of subscribers) {
    if (s.digest !== 'daily') continue;
    const key = audienceKey(s);
    if (!groups.has(key)) groups.set(key, { id: shortHash(key), ...sameAudience(s) });
  }
  return [...groups.values()];
};

/** The filter a digest subscriber needs on the digest topic: its group (or a test). */
export const digestFilter = (subscriber: Audience): AttributeFilter => ({
  digestGroup: [shortHash(audienceKey(subscriber)), TEST_VALUE],
});

/**
 * The subscriptions to make: each subscriber on the alert topic with its audience's filter, or
 * on the digest topic with its group's filter. SMS also takes only `sms = send` (updates held
 * from SMS carry `held`), from `smsMinSeverity` up unless the entry gives its own minimum.
 */
export const planDelivery = (
  subscribers: readonly Subscriber[],
  smsMinSeverity: Exclude<Severity, 'none'>
): DeliveryPlan => ({
  subscriptions: subscribers.map((s): PlannedSubscription => {
    const topic = s.digest === 'daily' ? 'digest' : 'alerts';
    const sms = s.channel.type === 'sms';
    const filter =
      topic === 'digest'
        ? digestFilter(s)
        : {
            ...(sms ? { sms: ['send'] } : {}),
            ...audienceFilter(sms ? { minSeverity: smsMinSeverity, ...s } : s),
          };
    return {
      channel: s.channel,
      id: shortHash(`${topic} ${channelLabel(s.channel)}`),
      topic,
      filter,
    };
  }),
  digestGroups: digestGroups(subscribers),
});

/**
 * The subscribers of the file, then the shorthands (`alertEmails`, `alertPhones`) for channels
 * the file does not list already.
 */
export const withShorthands = (
  fromFile: readonly Subscriber[],
  shorthands: readonly Subscriber[]
): Subscriber[] => {
  const listed = new Set(fromFile.map((s) => channelLabel(s.channel)));
  return [...fromFile, ...shorthands.filter((s) => !listed.has(channelLabel(s.channel)))];
};
