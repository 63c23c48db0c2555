/**
 * The shapes shared by every part of newsalert (docs/ARCHITECTURE.md, "Shapes").
 * Pure data: no behaviour, no I/O.
 */

/** A normalised news item: the unit stored under items/ and the input of classify. */
export interface Item {
  /** Stable across polls: guid, else link, else a hash of title and date. */
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  readonly content?: string;
  /** Absolute http(s) URL. */
  readonly link?: string;
  /** ISO-8601. */
  readonly published?: string;
  /** The outlet, usually the feed's name. */
  readonly source?: string;
  /** The feed URL exactly as configured. */
  readonly feed?: string;
}

export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** One matched term or phrase, located in a field of the item. */
export interface RuleMatch {
  readonly rule: string;
  readonly text: string;
  /** 'title' | 'summary' | 'content' */
  readonly field: string;
  readonly start: number;
  readonly end: number;
}

export interface Casualties {
  readonly killed?: number;
  readonly injured?: number;
}

/** The output of classify: one per input item, same order. */
export interface Classification {
  readonly id: string;
  /** True exactly when the item would raise or update an alert under the active rules. */
  readonly escalation: boolean;
  readonly severity: Severity;
  readonly score: number;
  readonly categories: string[];
  /** Canonical place names, most specific first (e.g. "Aleppo", "Syria"). */
  readonly places: string[];
  readonly casualties?: Casualties;
  readonly matches: RuleMatch[];
  /** Named armed actors, where the rules extract them. */
  readonly actors?: string[];
}

/** A feed as configured by the user. */
export interface FeedConfig {
  /** http(s) URL, file:// URL or local path, exactly as configured. */
  readonly url: string;
  readonly name?: string;
}

export type AlertKind = 'new' | 'update';

export interface AlertSource {
  /** The outlet's name. */
  readonly outlet: string;
  readonly title: string;
  readonly link?: string;
  /** ISO-8601: when the outlet published it, else when we first saw it. */
  readonly time: string;
  readonly itemId: string;
  /** Set when this report is a near-identical copy of another source's (a wire story): its item id. */
  readonly copyOf?: string;
}

/** Figures as reported, with the spread between sources. */
export interface CasualtyFigures {
  readonly killed?: { readonly min: number; readonly max: number };
  readonly injured?: { readonly min: number; readonly max: number };
}

/** What is published to subscribers and recorded under alerts/. */
export interface Alert {
  /** Unique and deterministic: `${eventId}:${sequence}`. */
  readonly id: string;
  readonly kind: AlertKind;
  /** The event cluster this alert is about. */
  readonly eventId: string;
  readonly severity: Severity;
  readonly headline: string;
  readonly summary: string;
  readonly categories: string[];
  readonly places: string[];
  /**
   * The countries of its places (the gazetteer's names), set when the alert is queued; alerts
   * recorded before it existed lack it, and their country-named places stand in.
   */
  readonly countries?: string[];
  readonly casualties: CasualtyFigures;
  readonly sources: AlertSource[];
  /** Names of the rules that matched, across all reports of the event. */
  readonly rules: string[];
  /** Why an update was sent (empty for a new alert). */
  readonly reasons: string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  /**
   * Set on an update that is not sent by SMS: the event already reached SMS as often as an hour
   * allows (its email and other channels still carry it).
   */
  readonly smsHeld?: true;
  /**
   * Set on an update sent while its event is muted: only a higher severity gets through a mute.
   * `until` is when the mute ends; `note` what the analyst gave when muting.
   */
  readonly muted?: { readonly until: string; readonly note?: string };
}

/**
 * A subscription filter policy as data: the values each SNS message attribute may take (an
 * allowlist per attribute); an attribute not named is not filtered.
 */
export type AttributeFilter = Readonly<Record<string, readonly string[]>>;

/** Where a subscriber receives alerts (the subscribers file, docs/ARCHITECTURE.md "Delivery"). */
export type SubscriberChannel =
  | { readonly type: 'email'; readonly address: string }
  /** E.164. */
  | { readonly type: 'sms'; readonly number: string }
  /** Names of secrets in AWS Secrets Manager (name or ARN), never the URL or key itself. */
  | { readonly type: 'webhook'; readonly secret: string; readonly signingSecret?: string }
  | { readonly type: 'slack'; readonly workspaceId: string; readonly channelId: string }
  | {
      readonly type: 'teams';
      readonly teamId: string;
      readonly channelId: string;
      readonly tenantId: string;
    };

/** Which alerts a subscriber wants: every condition given must hold; none given means all. */
export interface Audience {
  readonly minSeverity?: Exclude<Severity, 'none'>;
  /** Canonical gazetteer country names, matched against the countries of the alert's places. */
  readonly countries?: readonly string[];
  readonly categories?: readonly string[];
}

/** One entry of the subscribers file, validated. */
export interface Subscriber extends Audience {
  readonly channel: SubscriberChannel;
  /** A daily summary instead of each alert. */
  readonly digest?: 'daily';
}

/**
 * Digest subscribers who want the same alerts: the digest function (given the groups as JSON)
 * sends one message per group, and each group's subscriptions filter on its id (`digestGroup`).
 */
export interface DigestGroup extends Audience {
  /** Short and stable (a hash of the audience): the `digestGroup` message attribute. */
  readonly id: string;
}

/** A subscription to make: on the alert topic, or on the digest topic for digest subscribers. */
export interface PlannedSubscription {
  readonly channel: SubscriberChannel;
  /** Short and stable (a hash of the channel and the topic): a construct id part. */
  readonly id: string;
  readonly topic: 'alerts' | 'digest';
  readonly filter: AttributeFilter;
}

/** Who receives what: the subscriptions and the digest groups. */
export interface DeliveryPlan {
  readonly subscriptions: readonly PlannedSubscription[];
  readonly digestGroups: readonly DigestGroup[];
}
