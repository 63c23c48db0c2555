/** Compiling a validated rule file into a RuleSet: one matcher for every term, plus lookup tables. */
import { InvalidInputError } from '../common/errors.ts';
import { countriesOfPlaces, placeCountryMap } from './gazetteer.ts';
import { Matcher } from './matcher.ts';
import { RefType } from './refs.ts';
import {
  FIELDS,
  type Field,
  type GroupingSpec,
  type RuleFileCheck,
  type RuleFileSpec,
} from './schema.ts';

export interface CompiledRule {
  readonly id: string;
  readonly category: string;
  readonly weight: number;
  readonly groups: number;
  readonly within: number;
  readonly sameSentenceOnly: boolean;
  readonly fields: readonly Field[];
  readonly fieldMask: number;
}

export interface CompiledGuard {
  readonly spec: RuleFileSpec['guards'][number];
  /** applies[ruleIndex] */
  readonly applies: readonly boolean[];
}

/**
 * A compiled rule set: build once (loadRules in cli/yaml/rules.ts, loadRulesJson in load-json.ts),
 * reuse for every item. Opaque to callers.
 */
export class RuleSet {
  readonly name: string;
  readonly threshold: number;
  readonly source: string;
  /** How the rule file groups reports into events and when they alert (its `grouping` section). */
  readonly grouping: GroupingSpec;
  /** @internal */ readonly spec: RuleFileSpec;
  /** @internal */ readonly matcher: Matcher;
  /** @internal */ readonly rules: CompiledRule[];
  /** @internal */ readonly guards: CompiledGuard[];
  /** @internal vetoRules[ruleIndex]: some veto guard applies to the rule. */
  readonly vetoRules: boolean[];

  /**
   * `matcher`: the matcher of this very rule file restored from a snapshot (see
   * Matcher.snapshot); without it every term is added to a new one.
   */
  constructor(spec: RuleFileSpec, source: string, matcher?: Matcher) {
    this.spec = spec;
    this.name = spec.name;
    this.threshold = spec.threshold;
    this.source = source;
    this.grouping = spec.grouping;
    this.matcher = matcher ?? termsOf(spec);
    this.rules = spec.rules.map((r) => {
      let mask = 0;
      for (const f of r.fields) mask |= 1 << FIELDS.indexOf(f);
      return {
        id: r.id,
        category: r.category,
        weight: r.weight,
        groups: 1 + r.with.length,
        within: r.within === 'sentence' ? Number.POSITIVE_INFINITY : r.within,
        sameSentenceOnly: true,
        fields: r.fields,
        fieldMask: mask,
      };
    });
    this.guards = spec.guards.map((g) => {
      const applies = spec.rules.map((r) => {
        let on = !g.rules && !g.categories;
        if (g.rules?.includes(r.id)) on = true;
        if (g.categories?.includes(r.category)) on = true;
        if (g.except?.includes(r.id) || g.except?.includes(r.category)) on = false;
        return on;
      });
      return { spec: g, applies };
    });
    this.vetoRules = this.rules.map((_, ri) =>
      this.guards.some((g) => g.spec.effect === 'veto' && g.applies[ri] === true)
    );
  }

  private countryOf?: ReadonlyMap<string, string>;

  /** The countries of places by the rule file's gazetteer, in their order, each once. */
  countriesOf(places: readonly string[]): string[] {
    this.countryOf ??= placeCountryMap(this.spec.places);
    return countriesOfPlaces(places, this.countryOf);
  }

  /** Number of distinct token sequences in the matcher (after inflection). */
  get termCount(): number {
    return this.matcher.termCount;
  }
}

/** A matcher holding every term of the rule file: rules, guards, places, actors. */
function termsOf(spec: RuleFileSpec): Matcher {
  const m = new Matcher();
  spec.rules.forEach((r, i) => {
    for (const t of r.any) m.add(t, { type: RefType.RuleGroup, index: i, group: 0 });
    r.with.forEach((g, gi) => {
      for (const t of g) m.add(t, { type: RefType.RuleGroup, index: i, group: gi + 1 });
    });
    for (const t of r.unless) m.add(t, { type: RefType.RuleUnless, index: i, group: 0 });
  });
  spec.guards.forEach((g, gi) => {
    for (const t of g.terms) m.add(t, { type: RefType.GuardCue, index: gi, group: 0 });
    for (const t of g.unless) m.add(t, { type: RefType.GuardUnless, index: gi, group: 0 });
  });
  spec.places.forEach((p, pi) => {
    m.add(p.name, { type: RefType.Place, index: pi, group: 0 });
    for (const a of p.aliases) m.add(a, { type: RefType.Place, index: pi, group: 0 });
  });
  spec.actors.forEach((a, ai) => {
    m.add(a.name, { type: RefType.Actor, index: ai, group: 0 });
    for (const al of a.aliases) m.add(al, { type: RefType.Actor, index: ai, group: 0 });
  });
  return m;
}

/**
 * Compiles a validated rule file (from either front); `source` names the file in messages;
 * `matcher` as for the RuleSet constructor.
 * @throws InvalidInputError listing every problem when the file has any.
 */
export function compileRuleFile(
  checked: RuleFileCheck,
  source: string,
  matcher?: Matcher
): RuleSet {
  const { spec, problems } = checked;
  if (!spec || problems.length > 0) {
    throw new InvalidInputError(
      `${source} is not a valid rule file (${problems.length} problem${problems.length === 1 ? '' : 's'}): fix it and load it again\n${problems.join('\n')}`,
      problems
    );
  }
  return new RuleSet(spec, source, matcher);
}
