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
 * Who receives which daily digest: the digest subscribers with the same filters. Given to the
 * digest function as JSON; each group's subscriptions filter on its id (`digestGroup`).
 */
export interface DigestGroup {
  /** The `digestGroup` message attribute: 1 to 64 letters, digits, '.', '_' or '-'. */
  readonly id: string;
  readonly minSeverity?: Severity;
  /** Matched against the alert's places (which carry the country of every place). */
  readonly countries?: readonly string[];
  readonly categories?: readonly string[];
}
