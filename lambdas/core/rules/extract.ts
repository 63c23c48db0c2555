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
import {
  CASUALTY_SHAPE,
  CLAUSE,
  FORWARD,
  FORWARD_ONLY,
  INJURED,
  JOIN,
  KILLED,
  LABEL_BEFORE,
  MODAL,
  MULTIPLIERS,
  NEAR,
  NOT_PEOPLE,
  OBJECT,
  RISE,
  SKIP_FORWARD,
  TOLL_HEADS,
  TOLL_OF,
  TOLL_REACH,
  TOLL_STOP,
  UNITS,
  VAGUE,
} from './casualty-words.ts';
import { foldCode } from './fold.ts';
import type { TokenStream } from './text.ts';
import { isNumber, isYear } from './text.ts';

interface NumberRead {
  readonly value: number;
  /** Token index after the expression. */
  readonly end: number;
}

/** The words of a text by token index (undefined outside it): an array, or a TokenStream. */
interface Words {
  word(k: number): string | undefined;
}

/** Read a number expression that starts at token i ("2", "1,141", "twenty one", "a dozen", "dozens"). */
export function readNumber(words: readonly string[], i: number): NumberRead | undefined {
  return readNumberIn({ word: (k) => words[k] }, i);
}

function readNumberIn(ws: Words, i: number): NumberRead | undefined {
  const w = ws.word(i);
  if (w === undefined || LABEL_BEFORE.has(ws.word(i - 1) ?? '')) return undefined;
  let value: number;
  let j = i + 1;
  if (isNumber(w)) {
    if (isYear(w) && !w.includes(',')) return undefined;
    value = Number(w.replace(/,/g, ''));
    if (!Number.isFinite(value)) return undefined;
  } else if (w === 'a' || w === 'an') {
    const m = MULTIPLIERS.get(ws.word(i + 1) ?? '');
    if (m === undefined || m === 1_000_000) return undefined;
    value = m;
    j = i + 2;
  } else if (VAGUE.has(w)) {
    return { value: VAGUE.get(w) as number, end: j };
  } else if (UNITS.has(w)) {
    value = UNITS.get(w) as number;
    const u = UNITS.get(ws.word(j) ?? '');
    if (value >= 20 && value % 10 === 0 && u !== undefined && u < 10) {
      value += u;
      j++;
    }
  } else return undefined;
  const m = MULTIPLIERS.get(ws.word(j) ?? '');
  if (m !== undefined) {
    value *= m;
    j++;
  }
  if (NOT_PEOPLE.has(ws.word(j) ?? '')) return undefined;
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
  const r = readNumberIn(ts, i);
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
function hypothetical(ts: TokenStream, k: number): boolean {
  let j = k - 1;
  while (j >= k - 3 && ['have', 'be', 'been', 'not', 't'].includes(ts.word(j) as string)) j--;
  return MODAL.has(ts.word(j) ?? '');
}

/**
 * The figure after a verb: "to 21", "at least 40", "more than 1,200"; "from 14 to 21" and "by 7 to
 * 21" give the new figure, "by 7" alone gives none.
 */
function figureAfter(ts: TokenStream, from: number): number | undefined {
  const sentence = ts.sentences[from];
  let j = from;
  let steps = 0;
  while (steps < 7 && ts.sentences[j] === sentence && SKIP_FORWARD.has(ts.word(j) as string)) {
    j++;
    steps++;
  }
  if (ts.sentences[j] !== sentence) return undefined;
  if (ts.word(j) === 'from' || ts.word(j) === 'by') {
    const was = countAt(ts, j + 1);
    if (!was || ts.word(was.end) !== 'to' || ts.sentences[was.end + 1] !== sentence)
      return undefined;
    return figureAfter(ts, was.end + 1);
  }
  return countAt(ts, j)?.value;
}

/** A toll's figure after its verb: "the death toll from the strike on ... rises to 21". */
function tollFigure(ts: TokenStream, k: number): number | undefined {
  const sentence = ts.sentences[k];
  for (let j = k + 1; j <= k + TOLL_REACH && j < ts.count; j++) {
    const w = ts.word(j) as string;
    if (ts.sentences[j] !== sentence || !plainBetween(ts, j - 1, j)) return undefined;
    if (RISE.has(w)) return figureAfter(ts, j + 1);
    if (TOLL_STOP.has(w) || KILLED.has(w) || INJURED.has(w)) return undefined;
  }
  return undefined;
}

/** True when the casualty word at k heads a toll ("death toll", "the number of people killed"). */
function headsToll(ts: TokenStream, k: number): boolean {
  if (TOLL_HEADS.has(ts.word(k) as string)) return true;
  for (let j = k - 1; j >= Math.max(0, k - 4) && ts.sentences[j] === ts.sentences[k]; j--) {
    if (TOLL_OF.has(ts.word(j) as string)) return true;
  }
  return false;
}

/** The figure for the casualty word at token k, or undefined. */
function figureAt(ts: TokenStream, k: number): number | undefined {
  const sentence = ts.sentences[k];
  const w = ts.word(k) as string;
  if (hypothetical(ts, k)) return undefined;
  if (!NEAR.has(w) && headsToll(ts, k)) {
    const f = tollFigure(ts, k);
    if (f !== undefined) return f;
  }
  // A toll that is not a death toll ("the toll climbs to 700") only with its verb.
  if (w === 'toll' && ts.word(k - 1) !== 'death') return undefined;
  if (FORWARD.has(w)) {
    const f = figureAfter(ts, k + 1);
    if (f !== undefined) return f;
  }
  // An active verb counts its subject only when the subject is also its victim ("two bombers blew
  // themselves up, killing themselves").
  if (FORWARD_ONLY.has(w) && ts.word(k + 1) !== 'themselves') return undefined;
  if (OBJECT.has(ts.word(k + 1) ?? '') && plainBetween(ts, k, k + 1)) return undefined;
  // Backward: "at least 12 people were killed", "leaving seven dead".
  const gap = NEAR.get(w) ?? k;
  for (let j = k - 1; j >= Math.max(0, k - 9); j--) {
    if (ts.sentences[j] !== sentence) break;
    const wj = ts.word(j) as string;
    if (KILLED.has(wj) || INJURED.has(wj) || CLAUSE.has(wj)) break;
    const r = countAt(ts, j);
    if (r && r.end <= k) {
      if (r.end < k - gap) return undefined;
      let start = j;
      // Extend to the left for "twenty one", "two dozen", "a dozen".
      while (start - 1 >= 0 && ts.sentences[start - 1] === sentence) {
        const longer = readNumberIn(ts, start - 1);
        if (longer && longer.end > start) start--;
        else break;
      }
      // A range ("between 10 and 15", "10 to 15", "10-15"): the lower bound.
      const lower =
        start - 2 >= 0 && ['and', 'to', 'or'].includes(ts.word(start - 1) as string)
          ? readNumberIn(ts, start - 2)
          : start - 1 >= 0
            ? readNumberIn(ts, start - 1)
            : undefined;
      const value = readNumberIn(ts, start)?.value ?? r.value;
      if (lower && (lower.end === start || lower.end === start - 1) && lower.value < value) {
        return lower.value;
      }
      return value;
    }
  }
  return undefined;
}

/** True when the casualty word at k is joined to one of the other kind ("killed and wounded"). */
function joined(ts: TokenStream, k: number, other: Set<string>): boolean {
  const a = ts.word(k + 1);
  const b = ts.word(k + 2);
  const c = ts.word(k - 1);
  const d = ts.word(k - 2);
  return (
    (a !== undefined && JOIN.has(a) && b !== undefined && other.has(b)) ||
    (c !== undefined && JOIN.has(c) && d !== undefined && other.has(d))
  );
}

/** "lives" counts only after "claimed", "lost" or "killed" (at most four words before it). */
function livesLost(ts: TokenStream, k: number): boolean {
  for (let j = Math.max(0, k - 4); j < k; j++) {
    const w = ts.word(j);
    if (w === 'claimed' || w === 'lost' || w === 'killed') return true;
  }
  return false;
}

/** shapeOf(token k's word), read from the text without building the word. */
export function shapeAt(ts: TokenStream, k: number): number {
  const start = ts.starts[k] as number;
  let first = foldCode(ts.text.charCodeAt(start));
  if (first >= 65 && first <= 90) first += 32;
  return (first & 127) * 16 + Math.min((ts.ends[k] as number) - start, 15);
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
    // Tokens of a sentence are contiguous: ask once per sentence.
    let sentence = -1;
    let inAllowed = false;
    for (let k = 0; k < ts.count; k++) {
      if (ts.sentences[k] !== sentence) {
        sentence = ts.sentences[k] as number;
        inAllowed = allowed(s, sentence);
      }
      // The shape test reads the text: most tokens fail it without their word being built.
      if (!inAllowed || CASUALTY_SHAPE[shapeAt(ts, k)] !== 1) continue;
      const w = ts.word(k) as string;
      const isKilled = KILLED.has(w);
      const isInjured = !isKilled && INJURED.has(w);
      if (!isKilled && !isInjured) continue;
      if (w === 'lives' && !livesLost(ts, k)) continue;
      if (joined(ts, k, isKilled ? INJURED : KILLED)) continue;
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
