/**
 * The rule file format: the shapes a validated rule file takes (validate.ts checks a parsed
 * document and builds them; ruleset.ts compiles them).
 *
 * Top-level keys:
 *   name        string                      the rule set's name
 *   version     2 (or 1, the default)       how a rule's `with` reads (below)
 *   extend      default                     add to the bundled default rules (cli/rules-extend.ts
 *                                           merges them before validation; with `disable: [id]`
 *                                           and `override: [rule or guard]`)
 *   threshold   number > 0                  score at or above which an item escalates
 *   lexicons    { name: [term, ...] }       reusable term lists, referenced as "@name" in any list
 *   categories  { id: { label, severity } } severity = the category's base tier
 *   rules       [ { id, category, weight, any, with? | all?, within?, unless?, fields?, note? } ]
 *               any: the anchor terms. version 2: `with: [a, b]` needs any ONE of its terms
 *               within range of the anchor; `all: [[a, b], c]` needs EACH entry (one term of a
 *               list, the term itself, or one term of a "@lexicon"). version 1: `with` is read
 *               as `all` (each entry required), which `rules check` warns about.
 *   guards      [ { id, kind, terms, unless?, scope, effect?, fields?, rules?, categories?, except?, note? } ]
 *   severity    { killed: {n: tier}, injured: {n: tier}, massCasualties: n, broadScale: n }
 *   places      { Country: { aliases?: [...], places?: { Place: [alias, ...] } } }
 *   actors      { Name: [alias, ...] }
 *   grouping    { windowHours?, retainHours?, joinThreshold?, maxAgeHours?, smsUpdatesPerHour?,
 *                 casualtySteps?, minorCategories? }   how reports are grouped into events (optional)
 *
 * A term is one or more words separated by spaces. A word ending in "~" is inflected by the
 * documented stemmer (see inflect.ts: strike~ -> strike, strikes, striked, striking ...;
 * irregular forms such as "struck" are listed explicitly). "<num>" matches any number token and
 * "<year>" any year 1900..2099. Matching is by whole words after folding (case, diacritics, quotes).
 */
import type { Severity } from '../common/types.ts';

export const FIELDS = ['title', 'summary', 'content'] as const;
export type Field = (typeof FIELDS)[number];

export const GUARD_KINDS = [
  'negation',
  'modality',
  'historical',
  'deescalation',
  'false-friend',
  'discard',
] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];

export type Scope =
  | { readonly kind: 'before' | 'after' | 'around'; readonly words: number }
  | { readonly kind: 'sentence' }
  | { readonly kind: 'item' };

export interface CategorySpec {
  readonly id: string;
  readonly label: string;
  readonly severity: Severity;
}

export interface RuleSpec {
  readonly id: string;
  readonly category: string;
  readonly weight: number;
  /** The anchor group: any of these terms. */
  readonly any: readonly string[];
  /** Further groups: each needs one of its terms within `within` of the anchor. */
  readonly with: readonly (readonly string[])[];
  /** Words between anchor and each `with` term, or the same sentence. */
  readonly within: number | 'sentence';
  /** None of these in the anchor's sentence. */
  readonly unless: readonly string[];
  readonly fields: readonly Field[];
  readonly note?: string;
}

export interface GuardSpec {
  readonly id: string;
  readonly kind: GuardKind;
  readonly terms: readonly string[];
  /** A cue does not count when one of these is in the cue's sentence. */
  readonly unless: readonly string[];
  readonly scope: Scope;
  /** drop: the matched occurrence does not count; veto: the whole item cannot escalate. */
  readonly effect: 'drop' | 'veto';
  /** Where a cue counts (e.g. only the title, for headline frames); undefined: every field. */
  readonly fields?: readonly Field[];
  readonly rules?: readonly string[];
  readonly categories?: readonly string[];
  readonly except?: readonly string[];
  readonly note?: string;
}

export interface SeveritySpec {
  readonly killed: readonly (readonly [number, Severity])[];
  readonly injured: readonly (readonly [number, Severity])[];
  /** Killed at or above this adds the mass-casualties category. */
  readonly massCasualties: number;
  /** This many distinct categories raise the tier by one. */
  readonly broadScale: number;
}

export interface PlaceSpec {
  readonly name: string;
  /** Undefined for a country. */
  readonly country?: string;
  readonly aliases: readonly string[];
}

export interface ActorSpec {
  readonly name: string;
  readonly aliases: readonly string[];
}

/**
 * How reports are grouped into events and when they alert (the `grouping` section; every key
 * optional, the defaults those of events/cluster-options.ts; docs/ARCHITECTURE.md explains each).
 * The events room reads it as its options.
 */
export interface GroupingSpec {
  readonly windowHours?: number;
  readonly retainHours?: number;
  readonly joinThreshold?: number;
  readonly maxAgeHours?: number;
  readonly smsUpdatesPerHour?: number;
  readonly casualtySteps?: readonly number[];
  readonly minorCategories?: readonly string[];
}

export interface RuleFileSpec {
  readonly name: string;
  readonly threshold: number;
  readonly categories: readonly CategorySpec[];
  readonly rules: readonly RuleSpec[];
  readonly guards: readonly GuardSpec[];
  readonly severity: SeveritySpec;
  readonly places: readonly PlaceSpec[];
  readonly actors: readonly ActorSpec[];
  readonly grouping: GroupingSpec;
}

/** Where a value is in the parsed document: keys and list indexes, e.g. `['rules', 3, 'any']`. */
export type DataPath = readonly (string | number)[];

/**
 * Names where the value at a path is, for messages: `rules.yaml:12:5` (the YAML front) or
 * `rules.json: rules[3].any` (the JSON front). The empty path is the document as a whole.
 */
export type Locate = (path: DataPath) => string;

/** A parsed rule file (the value JSON.parse or the YAML parser gave) and where its paths are. */
export interface RuleDocument {
  readonly root: unknown;
  readonly locate: Locate;
}

/**
 * A validated rule file: the spec when there were no problems, the problems, and the warnings
 * (valid forms likely not meant; `rules check` prints them, loading does not).
 */
export interface RuleFileCheck {
  readonly spec?: RuleFileSpec;
  readonly problems: readonly string[];
  readonly warnings?: readonly string[];
}
