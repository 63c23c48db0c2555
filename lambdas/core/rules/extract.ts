/**
 * Casualty figures, following ACLED's conventions:
 * - the conservative figure: "more than 180" -> 180, "at least 19" -> 19, "some 200" -> 200,
 *   "up to 20" -> 20, a range ("10 to 15", "10-15", "between 10 and 15") -> its lower bound;
 * - vague plurals: "a dozen"/"dozens" = 12, "tens" = 10, "scores" = 20, "hundreds" = 100,
 *   "thousands" = 1000; "several", "many", "a number of" give no figure;
 * - killed apart from injured; "killed or wounded 26", "killing and wounding 30" and "casualties"
 *   name no split, so they give neither figure;
 * - across sentences we take the LARGEST single figure, never a sum: reports repeat and update
 *   totals ("some 200 killed" ... "more than 180 combatants killed" ... "at least 19 civilians
 *   killed"), and summing would double-count.
 * Figures are read only from the sentences that carry an effective rule match, so a history line
 * ("half a million killed since 2011") does not become the event's toll.
 */
import type { TokenStream } from './text.ts';
import { isNumber, isYear } from './text.ts';

const UNITS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const VAGUE: Record<string, number> = {
  dozens: 12,
  tens: 10,
  scores: 20,
  hundreds: 100,
  thousands: 1000,
};
const MULTIPLIERS: Record<string, number> = {
  dozen: 12,
  hundred: 100,
  thousand: 1000,
  million: 1_000_000,
};
/** Words after a number that say it does not count people. */
const NOT_PEOPLE = new Set([
  'km',
  'kilometres',
  'kilometers',
  'miles',
  'mile',
  'metres',
  'meters',
  'am',
  'pm',
  'percent',
  'per',
  'hours',
  'hour',
  'days',
  'day',
  'weeks',
  'months',
  'years',
  'year',
  'times',
  'rockets',
  'missiles',
  'shells',
  'airstrikes',
  'strikes',
  'bombs',
  'villages',
  'towns',
  'locations',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'tonnes',
  'tons',
  'gallons',
  'kg',
]);
const KILLED = new Set([
  'killed',
  'killing',
  'kills',
  'dead',
  'died',
  'deaths',
  'lives',
  'fatalities',
  'toll',
  'slain',
  'massacred',
  'executed',
  'beheaded',
]);
const INJURED = new Set([
  'injured',
  'injuring',
  'wounded',
  'wounding',
  'hurt',
  'injuries',
  'maimed',
]);
/**
 * A quick test before the Set lookups (which hash the word): 1 at (first character's code & 127)
 * * 16 + min(length, 15) when some casualty word has that first character and length. Most words
 * of a text fail it.
 */
const CASUALTY_SHAPE = new Uint8Array(128 * 16);
const shapeOf = (w: string): number => (w.charCodeAt(0) & 127) * 16 + Math.min(w.length, 15);
for (const w of [...KILLED, ...INJURED]) CASUALTY_SHAPE[shapeOf(w)] = 1;

const FORWARD = new Set([
  'killed',
  'killing',
  'kills',
  'wounded',
  'wounding',
  'injured',
  'injuring',
  'toll',
  'massacred',
  'executed',
  'beheaded',
]);
const SKIP_FORWARD = new Set([
  'at',
  'least',
  'more',
  'than',
  'over',
  'some',
  'about',
  'around',
  'nearly',
  'almost',
  'up',
  'to',
  'approximately',
  'roughly',
  'an',
  'estimated',
  'rose',
  'climbed',
  'risen',
  'reached',
  'stood',
  'stands',
  'has',
  'had',
  'of',
  'the',
  'another',
  'further',
  'also',
  'as',
  'many',
  'least',
  'rises',
  'climbs',
]);
const JOIN = new Set(['and', 'or']);
/** Words that end the backward search for a figure: another clause begins there. */
const CLAUSE = new Set([
  'to',
  'that',
  'who',
  'which',
  'when',
  'after',
  'while',
  'because',
  'said',
  'says',
  'since',
  'where',
  'before',
  'if',
]);

interface NumberRead {
  readonly value: number;
  /** Token index after the expression. */
  readonly end: number;
}

/** Read a number expression that starts at token i ("2", "1,141", "twenty one", "a dozen", "dozens"). */
export function readNumber(words: readonly string[], i: number): NumberRead | undefined {
  const w = words[i];
  if (w === undefined) return undefined;
  let value: number;
  let j = i + 1;
  if (isNumber(w)) {
    if (isYear(w) && !w.includes(',')) return undefined;
    value = Number(w.replace(/,/g, ''));
    if (!Number.isFinite(value)) return undefined;
  } else if (w === 'a' || w === 'an') {
    const m = MULTIPLIERS[words[i + 1] ?? ''];
    if (m === undefined || m === 1_000_000) return undefined;
    value = m;
    j = i + 2;
  } else if (VAGUE[w] !== undefined) {
    return { value: VAGUE[w] as number, end: j };
  } else if (UNITS[w] !== undefined) {
    value = UNITS[w] as number;
    const u = UNITS[words[j] ?? ''];
    if (value >= 20 && value % 10 === 0 && u !== undefined && u < 10) {
      value += u;
      j++;
    }
  } else return undefined;
  const m = MULTIPLIERS[words[j] ?? ''];
  if (m !== undefined) {
    value *= m;
    j++;
  }
  if (NOT_PEOPLE.has(words[j] ?? '')) return undefined;
  return { value: Math.floor(value), end: j };
}

/** The figure for the casualty word at token k, or undefined. */
function figureAt(ts: TokenStream, k: number): number | undefined {
  const words = ts.words;
  const sentence = ts.sentences[k];
  const w = words[k] as string;
  if (FORWARD.has(w)) {
    let j = k + 1;
    let steps = 0;
    while (
      j < words.length &&
      steps < 5 &&
      ts.sentences[j] === sentence &&
      SKIP_FORWARD.has(words[j] as string)
    ) {
      j++;
      steps++;
    }
    if (ts.sentences[j] === sentence) {
      const r = readNumber(words, j);
      if (r) return r.value;
    }
  }
  // Backward: "at least 12 people were killed", "leaving seven dead".
  for (let j = k - 1; j >= Math.max(0, k - 9); j--) {
    if (ts.sentences[j] !== sentence) break;
    const wj = words[j] as string;
    if (KILLED.has(wj) || INJURED.has(wj) || CLAUSE.has(wj)) break;
    const r = readNumber(words, j);
    if (r && r.end <= k) {
      let start = j;
      // Extend to the left for "twenty one", "two dozen", "a dozen".
      while (start - 1 >= 0 && ts.sentences[start - 1] === sentence) {
        const longer = readNumber(words, start - 1);
        if (longer && longer.end > start) start--;
        else break;
      }
      // A range ("between 10 and 15", "10 to 15", "10-15"): the lower bound.
      const lower =
        start - 2 >= 0 && ['and', 'to', 'or'].includes(words[start - 1] as string)
          ? readNumber(words, start - 2)
          : start - 1 >= 0
            ? readNumber(words, start - 1)
            : undefined;
      const value = readNumber(words, start)?.value ?? r.value;
      if (lower && (lower.end === start || lower.end === start - 1) && lower.value < value) {
        return lower.value;
      }
      return value;
    }
  }
  return undefined;
}

/** True when the casualty word at k is joined to one of the other kind ("killed and wounded"). */
function joined(words: readonly string[], k: number, other: Set<string>): boolean {
  const a = words[k + 1];
  const b = words[k + 2];
  const c = words[k - 1];
  const d = words[k - 2];
  return (
    (a !== undefined && JOIN.has(a) && b !== undefined && other.has(b)) ||
    (c !== undefined && JOIN.has(c) && d !== undefined && other.has(d))
  );
}

export interface CasualtyFigures {
  killed?: number;
  injured?: number;
}

/**
 * Largest killed and injured figures in the allowed sentences. `allowed(stream, sentence)` says
 * whether a sentence counts.
 */
export function extractCasualties(
  streams: readonly TokenStream[],
  allowed: (stream: number, sentence: number) => boolean
): CasualtyFigures {
  let killed = -1;
  let injured = -1;
  streams.forEach((ts, s) => {
    let words: string[] | undefined;
    // Tokens of a sentence are contiguous: ask once per sentence.
    let sentence = -1;
    let inAllowed = false;
    for (let k = 0; k < ts.count; k++) {
      if (ts.sentences[k] !== sentence) {
        sentence = ts.sentences[k] as number;
        inAllowed = allowed(s, sentence);
      }
      if (!inAllowed) continue;
      words ??= ts.words;
      const all = words;
      const w = all[k] as string;
      if (CASUALTY_SHAPE[shapeOf(w)] !== 1) continue;
      const isKilled = KILLED.has(w);
      const isInjured = !isKilled && INJURED.has(w);
      if (!isKilled && !isInjured) continue;
      if (w === 'toll' && all[k - 1] !== 'death') continue;
      if (
        w === 'lives' &&
        !['claimed', 'lost', 'killed'].some((x) => all.slice(Math.max(0, k - 4), k).includes(x))
      )
        continue;
      if (joined(all, k, isKilled ? INJURED : KILLED)) continue;
      const f = figureAt(ts, k);
      if (f === undefined) continue;
      if (isKilled) killed = Math.max(killed, f);
      else injured = Math.max(injured, f);
    }
  });
  const out: CasualtyFigures = {};
  if (killed >= 0) out.killed = killed;
  if (injured >= 0) out.injured = injured;
  return out;
}
