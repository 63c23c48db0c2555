/** Compiling a validated rule file into a RuleSet: one matcher for every term, plus lookup tables. */
import { InvalidInputError } from '../errors.ts';
import { Matcher, RefType } from './matcher.ts';
import { FIELDS, type Field, type RuleFileCheck, type RuleFileSpec } from './schema.ts';

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
 * A compiled rule set: build once (loadRules in load-yaml.ts, loadRulesJson in load-json.ts),
 * reuse for every item. Opaque to callers.
 */
export class RuleSet {
  readonly name: string;
  readonly threshold: number;
  readonly source: string;
  /** @internal */ readonly spec: RuleFileSpec;
  /** @internal */ readonly matcher = new Matcher();
  /** @internal */ readonly rules: CompiledRule[];
  /** @internal */ readonly guards: CompiledGuard[];
  /** @internal vetoRules[ruleIndex]: some veto guard applies to the rule. */
  readonly vetoRules: boolean[];

  constructor(spec: RuleFileSpec, source: string) {
    this.spec = spec;
    this.name = spec.name;
    this.threshold = spec.threshold;
    this.source = source;
    this.rules = spec.rules.map((r, i) => {
      r.any.forEach((t) => {
        this.matcher.add(t, { type: RefType.RuleGroup, index: i, group: 0 });
      });
      r.with.forEach((g, gi) => {
        for (const t of g)
          this.matcher.add(t, { type: RefType.RuleGroup, index: i, group: gi + 1 });
      });
      for (const t of r.unless)
        this.matcher.add(t, { type: RefType.RuleUnless, index: i, group: 0 });
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
    this.guards = spec.guards.map((g, gi) => {
      for (const t of g.terms) this.matcher.add(t, { type: RefType.GuardCue, index: gi, group: 0 });
      for (const t of g.unless)
        this.matcher.add(t, { type: RefType.GuardUnless, index: gi, group: 0 });
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
    spec.places.forEach((p, pi) => {
      this.matcher.add(p.name, { type: RefType.Place, index: pi, group: 0 });
      for (const a of p.aliases) this.matcher.add(a, { type: RefType.Place, index: pi, group: 0 });
    });
    spec.actors.forEach((a, ai) => {
      this.matcher.add(a.name, { type: RefType.Actor, index: ai, group: 0 });
      for (const al of a.aliases)
        this.matcher.add(al, { type: RefType.Actor, index: ai, group: 0 });
    });
  }

  /** Number of distinct token sequences in the matcher (after inflection). */
  get termCount(): number {
    return this.matcher.termCount;
  }
}

/**
 * Compiles a validated rule file (from either front); `source` names the file in messages.
 * @throws InvalidInputError listing every problem when the file has any.
 */
export function compileRuleFile(checked: RuleFileCheck, source: string): RuleSet {
  const { spec, problems } = checked;
  if (!spec || problems.length > 0) {
    throw new InvalidInputError(
      `${source} is not a valid rule file (${problems.length} problem${problems.length === 1 ? '' : 's'}): fix it and load it again\n${problems.join('\n')}`,
      problems
    );
  }
  return new RuleSet(spec, source);
}
