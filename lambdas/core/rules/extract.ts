/**
 * Casualty figures, following ACLED's conventions:
 * - the conservative figure: "more than 180" -> 180, "at least 19" -> 19, "some 200" -> 200,
 *   "up to 20" -> 20, a range ("10 to 15", "10-15", "between 10 and 15") -> its lower bound;
 * - vague plurals: "a dozen"/"dozens" = 12, "tens" = 10, "scores" = 20, "hundreds" = 100,
 *   "thousands" = 1000; "several", "many", "a number of" give no figure;
 * - killed apart from injured; "killed or wounded 26", "killing and wounding 30" and "casualties"
 *   name no split, so they give neither figure;
 * - a toll that rises, climbs, reaches, jumps, tops, hits or stands at N gives N ("the death toll from
 *   the strike rises to 21", "the number of dead has risen to 1,100"; "rose from 14 to 21" -> 21);
 * - a number that labels or measures something else is not a count of people: years, ages ("a
 *   16-year-old", "aged 47", "a boy, 16,"), times, money, "Route 60", "Kalashnikov 47", "100 rockets";
 * - an active verb's subject is not its victims ("two gunmen killed a policeman", "a strike hit 3
 *   homes, killing ..."), and a threat or a guess is not a toll ("vowed to kill 40", "could have
 *   killed 300");
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
  'week',
  'weeks',
  'month',
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
  'billion',
  'bn',
  'dollars',
  'euros',
  'pounds',
  'shekels',
  'rupees',
  'usd',
]);
/**
 * Words before a number that make it a label or a measure, not a count ("Route 60", "aged 47",
 * "No one was killed").
 */
const LABEL_BEFORE = new Set([
  'route',
  'highway',
  'road',
  'flight',
  'kalashnikov',
  'ak',
  'akm',
  'm',
  'resolution',
  'article',
  'no',
  'number',
  'gate',
  'platform',
  'block',
  'building',
  'unit',
  'room',
  'apartment',
  'bus',
  'line',
  'channel',
  'section',
  'chapter',
  'page',
  'version',
  'phase',
  'level',
  'grade',
  'class',
  'category',
  'terminal',
  'exit',
  'paragraph',
  'aged',
  'age',
  'ages',
  'covid',
  'under',
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
  'kill',
  'die',
  'bodies',
  'corpses',
  'slain',
  'massacred',
  'executed',
  'beheaded',
]);
const INJURED = new Set([
  'wound',
  'wounds',
  'injure',
  'injures',
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
  'kill',
  'wound',
  'wounds',
  'injure',
  'injures',
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
  'between',
  'now',
  'been',
  'have',
  'again',
  'is',
  'was',
]);
/** Active verbs: the number before them counts their subject ("two gunmen kill ..."). */
const FORWARD_ONLY = new Set([
  'kill',
  'kills',
  'killing',
  'wound',
  'wounds',
  'wounding',
  'injure',
  'injures',
  'injuring',
]);
/**
 * Words that take their figure only from a number at most this many words before them ("250
 * bodies", "three people die"; not "one room, so they will live or die").
 */
const NEAR = new Map([
  ['bodies', 0],
  ['corpses', 0],
  ['die', 1],
]);
/** Words after a past participle that make it active, with its object after it ("killed a ..."). */
const OBJECT = new Set(['a', 'an', 'the', 'his', 'her', 'their', 'its', 'our', 'him', 'them']);
/** A threat, a plan or a guess: "vowed to kill", "will kill", "could have killed". */
const MODAL = new Set([
  'to',
  'will',
  'would',
  'could',
  'can',
  'should',
  'shall',
  'must',
  'may',
  'might',
]);
/** Verbs that give a toll its new figure ("rises to", "tops", "stands at"). */
const RISE = new Set([
  'rise',
  'rises',
  'rose',
  'risen',
  'rising',
  'reach',
  'reaches',
  'reached',
  'reaching',
  'climb',
  'climbs',
  'climbed',
  'climbing',
  'jump',
  'jumps',
  'jumped',
  'top',
  'tops',
  'topped',
  'hit',
  'hits',
  'pass',
  'passes',
  'passed',
  'exceed',
  'exceeds',
  'exceeded',
  'surpass',
  'surpasses',
  'surpassed',
  'near',
  'nears',
  'neared',
  'nearing',
  'stand',
  'stands',
  'stood',
  'standing',
  'mount',
  'mounts',
  'mounted',
  'grow',
  'grows',
  'grew',
  'grown',
  'increase',
  'increases',
  'increased',
  'soar',
  'soars',
  'soared',
  'surge',
  'surges',
  'surged',
  'swell',
  'swells',
  'swelled',
  'is',
  'was',
  'now',
]);
/** Nouns a toll figure can follow at a distance ("deaths from the strike rose to 30"). */
const TOLL_HEADS = new Set(['toll', 'deaths', 'dead', 'fatalities', 'injuries']);
/** Words that make a participle a toll's head ("the number of people killed", "those wounded"). */
const TOLL_OF = new Set(['number', 'those', 'total']);
/** How far after its head a toll's verb may come ("the death toll from the strike on ... rises"). */
const TOLL_REACH = 14;
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
/** Words that end a toll's head before its verb comes: another clause begins there. */
const TOLL_STOP = new Set([...CLAUSE, 'as', 'amid', 'but', 'with', 'despite']);

interface NumberRead {
  readonly value: number;
  /** Token index after the expression. */
  readonly end: number;
}

/** Read a number expression that starts at token i ("2", "1,141", "twenty one", "a dozen", "dozens"). */
export function readNumber(words: readonly string[], i: number): NumberRead | undefined {
  const w = words[i];
  if (w === undefined || LABEL_BEFORE.has(words[i - 1] ?? '')) return undefined;
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

const CURRENCY = '$£€¥₪';

/** The text between tokens a and b (a < b) holds nothing but spaces, hyphens and quotes. */
function plainBetween(ts: TokenStream, a: number, b: number): boolean {
  for (let c = ts.ends[a] as number; c < (ts.starts[b] as number); c++) {
    const ch = ts.text[c] as string;
    if (ch !== ' ' && ch !== '-' && ch !== "'" && ch !== '\u2019') return false;
  }
  return true;
}

/**
 * The count of people that starts at token i, or undefined: readNumber, less the numbers the text
 * marks as something else (money "$5,000", a time "10:30", a share "40%", an age "a boy, 16,").
 */
function countAt(ts: TokenStream, i: number): NumberRead | undefined {
  const r = readNumber(ts.words, i);
  if (!r) return undefined;
  const text = ts.text;
  const from = ts.starts[i] as number;
  const to = ts.ends[i] as number;
  const before = text[from - 1] ?? '';
  const after = text[to] ?? '';
  if (before !== '' && CURRENCY.includes(before)) return undefined;
  if (after === '%') return undefined;
  if (after === ':' && /\d/.test(text[to + 1] ?? '')) return undefined;
  if (before === ':' && /\d/.test(text[from - 2] ?? '')) return undefined;
  if (r.end === i + 1 && after === ',' && /,\s*$/.test(text.slice(Math.max(0, from - 3), from))) {
    return undefined;
  }
  return r;
}

/** True for a threat, a plan or a guess: "vowed to kill", "will kill", "could have been killed". */
function hypothetical(words: readonly string[], k: number): boolean {
  let j = k - 1;
  while (j >= k - 3 && ['have', 'be', 'been', 'not', 't'].includes(words[j] as string)) j--;
  return MODAL.has(words[j] ?? '');
}

/**
 * The figure after a verb: "to 21", "at least 40", "more than 1,200"; "from 14 to 21" and "by 7 to
 * 21" give the new figure, "by 7" alone gives none.
 */
function figureAfter(ts: TokenStream, from: number): number | undefined {
  const words = ts.words;
  const sentence = ts.sentences[from];
  let j = from;
  let steps = 0;
  while (steps < 7 && ts.sentences[j] === sentence && SKIP_FORWARD.has(words[j] as string)) {
    j++;
    steps++;
  }
  if (ts.sentences[j] !== sentence) return undefined;
  if (words[j] === 'from' || words[j] === 'by') {
    const was = countAt(ts, j + 1);
    if (!was || words[was.end] !== 'to' || ts.sentences[was.end + 1] !== sentence) return undefined;
    return figureAfter(ts, was.end + 1);
  }
  return countAt(ts, j)?.value;
}

/** A toll's figure after its verb: "the death toll from the strike on ... rises to 21". */
function tollFigure(ts: TokenStream, k: number): number | undefined {
  const words = ts.words;
  const sentence = ts.sentences[k];
  for (let j = k + 1; j <= k + TOLL_REACH && j < ts.count; j++) {
    const w = words[j] as string;
    if (ts.sentences[j] !== sentence || !plainBetween(ts, j - 1, j)) return undefined;
    if (RISE.has(w)) return figureAfter(ts, j + 1);
    if (TOLL_STOP.has(w) || KILLED.has(w) || INJURED.has(w)) return undefined;
  }
  return undefined;
}

/** True when the casualty word at k heads a toll ("death toll", "the number of people killed"). */
function headsToll(ts: TokenStream, k: number): boolean {
  const words = ts.words;
  if (TOLL_HEADS.has(words[k] as string)) return true;
  for (let j = k - 1; j >= Math.max(0, k - 4) && ts.sentences[j] === ts.sentences[k]; j--) {
    if (TOLL_OF.has(words[j] as string)) return true;
  }
  return false;
}

/** The figure for the casualty word at token k, or undefined. */
function figureAt(ts: TokenStream, k: number): number | undefined {
  const words = ts.words;
  const sentence = ts.sentences[k];
  const w = words[k] as string;
  if (hypothetical(words, k)) return undefined;
  if (!NEAR.has(w) && headsToll(ts, k)) {
    const f = tollFigure(ts, k);
    if (f !== undefined) return f;
  }
  // A toll that is not a death toll ("the toll climbs to 700") only with its verb.
  if (w === 'toll' && words[k - 1] !== 'death') return undefined;
  if (FORWARD.has(w)) {
    const f = figureAfter(ts, k + 1);
    if (f !== undefined) return f;
  }
  // An active verb counts its subject only when the subject is also its victim ("two bombers blew
  // themselves up, killing themselves").
  if (FORWARD_ONLY.has(w) && words[k + 1] !== 'themselves') return undefined;
  if (OBJECT.has(words[k + 1] ?? '') && plainBetween(ts, k, k + 1)) return undefined;
  // Backward: "at least 12 people were killed", "leaving seven dead".
  const gap = NEAR.get(w) ?? k;
  for (let j = k - 1; j >= Math.max(0, k - 9); j--) {
    if (ts.sentences[j] !== sentence) break;
    const wj = words[j] as string;
    if (KILLED.has(wj) || INJURED.has(wj) || CLAUSE.has(wj)) break;
    const r = countAt(ts, j);
    if (r && r.end <= k) {
      if (r.end < k - gap) return undefined;
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
