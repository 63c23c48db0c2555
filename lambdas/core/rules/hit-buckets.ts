/**
 * The hits of one item sorted by what uses them: per rule its groups and its unless hits, per
 * guard its cues and unless hits, and the place and actor mentions.
 */
import type { Hit } from './matcher.ts';
import { RefType } from './refs.ts';
import type { RuleSet } from './ruleset.ts';

export interface Located {
  readonly index: number;
  readonly hit: Hit;
}

/** Guard cues and guards' `unless` hits, by guard index. */
export interface GuardBuckets {
  readonly cues: (Hit[] | undefined)[];
  /** Guards in order of their first cue in the text. */
  readonly cued: number[];
  readonly unless: (Hit[] | undefined)[];
}

/** Per rule: 1 when the item holds one of its anchors (reused by every item: classification is synchronous). */
let anchored = new Uint8Array(0);

/**
 * The hits of one item sorted by what uses them (arrays by rule or guard index). Guard hits are
 * sorted on first need: most items have no rule occurrence for a guard to judge.
 */
export class Buckets {
  /** Per rule: one list of hits per group (anchor group first). */
  readonly ruleGroups: (Hit[][] | undefined)[];
  /** Rules in order of their first hit in the text (deterministic for a given item). */
  readonly ruleOrder: number[] = [];
  readonly ruleUnless: (Hit[] | undefined)[];
  readonly placeHits: Located[] = [];
  readonly actorHits: Located[] = [];
  private guardBuckets: GuardBuckets | undefined;

  constructor(
    private readonly rules: RuleSet,
    private readonly hits: readonly Hit[]
  ) {
    this.ruleGroups = new Array(rules.rules.length);
    this.ruleUnless = new Array(rules.rules.length);
    // A rule without an anchor in the item cannot match: its other hits are not kept.
    if (anchored.length < rules.rules.length) anchored = new Uint8Array(rules.rules.length);
    else anchored.fill(0, 0, rules.rules.length);
    const anchors = rules.matcher.refTable('anchors');
    for (const hit of hits) {
      const end = anchors.start[hit.term + 1] as number;
      for (let r = anchors.start[hit.term] as number; r < end; r++) {
        anchored[anchors.index[r] as number] = 1;
      }
    }
    const refs = rules.matcher.refTable('rules');
    for (const hit of hits) {
      const end = refs.start[hit.term + 1] as number;
      for (let r = refs.start[hit.term] as number; r < end; r++) {
        const index = refs.index[r] as number;
        switch (refs.type[r]) {
          case RefType.RuleGroup:
            if (anchored[index] === 1) this.addToGroup(index, refs.group[r] as number, hit);
            break;
          case RefType.RuleUnless:
            if (anchored[index] === 1) push(this.ruleUnless, index, hit);
            break;
          case RefType.Place:
            this.placeHits.push({ index, hit });
            break;
          case RefType.Actor:
            this.actorHits.push({ index, hit });
            break;
        }
      }
    }
  }

  private addToGroup(rule: number, group: number, hit: Hit): void {
    let g = this.ruleGroups[rule];
    if (!g) {
      g = [];
      for (let k = 0; k < (this.rules.rules[rule]?.groups ?? 1); k++) g.push([]);
      this.ruleGroups[rule] = g;
      this.ruleOrder.push(rule);
    }
    g[group]?.push(hit);
  }

  guards(): GuardBuckets {
    if (!this.guardBuckets) {
      const out: GuardBuckets = {
        cues: new Array(this.rules.guards.length),
        cued: [],
        unless: new Array(this.rules.guards.length),
      };
      const refs = this.rules.matcher.refTable('guards');
      for (const hit of this.hits) {
        const end = refs.start[hit.term + 1] as number;
        for (let r = refs.start[hit.term] as number; r < end; r++) {
          const index = refs.index[r] as number;
          if (refs.type[r] === RefType.GuardCue) {
            if (!out.cues[index]) out.cued.push(index);
            push(out.cues, index, hit);
          } else {
            push(out.unless, index, hit);
          }
        }
      }
      this.guardBuckets = out;
    }
    return this.guardBuckets;
  }
}

function push(lists: (Hit[] | undefined)[], key: number, hit: Hit): void {
  const list = lists[key];
  if (list) list.push(hit);
  else lists[key] = [hit];
}
