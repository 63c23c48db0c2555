/**
 * Word-level text similarity for grouping news reports: content words, shingles, Jaccard and
 * overlap. Pure and deterministic. (Not the classifier's tokeniser, rules/text.ts: that one keeps
 * every word with its offsets; this one keeps only the words that say what a report is about.)
 */

/** Frequent English words that say nothing about which event a report is about. */
const STOPWORDS = new Set(
  (
    'a about after again against all also am an and any are as at be been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has ' +
    'have having he her here hers him his how i if in into is it its itself just me more most my no ' +
    'nor not now of off on once only or other our ours out over own same she should so some such ' +
    'than that the their theirs them then there these they this those through to too under until up ' +
    'very was we were what when where which while who whom why will with would you your yours ' +
    'said says say according reported report reports told news latest update live via amid ' +
    'monday tuesday wednesday thursday friday saturday sunday today yesterday'
  ).split(' ')
);

/** Plural and possessive endings removed so "bombs"/"bomb" and "Syria's"/"Syria" meet. */
const stem = (word: string): string => {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) {
    return word.slice(0, -1);
  }
  return word;
};

/**
 * The content words of a text, in order: lower-cased, diacritics removed, apostrophe endings
 * dropped, stopwords and one-letter words left out, light plural stemming.
 */
export const contentWords = (text: string): string[] => {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['\u2019\u02BC](s|d|ll|re|ve|t)\b/gu, '');
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  const tokens: string[] = [];
  for (const word of words) {
    if (word.length < 2 || STOPWORDS.has(word)) continue;
    tokens.push(stem(word));
  }
  return tokens;
};

/** Consecutive word pairs: a fingerprint of wording rather than of topic. */
export const shingles = (tokens: readonly string[], size = 2): Set<string> => {
  const out = new Set<string>();
  for (let i = 0; i + size <= tokens.length; i += 1) {
    out.add(tokens.slice(i, i + size).join(' '));
  }
  return out;
};

const intersectionSize = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const x of small) if (large.has(x)) n += 1;
  return n;
};

/** |A ∩ B| / |A ∪ B|; 0 when both are empty. */
export const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  const inter = intersectionSize(a, b);
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
};

/** |A ∩ B| / min(|A|, |B|): 1 when the smaller set is contained in the larger. */
export const overlap = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  const min = Math.min(a.size, b.size);
  return min === 0 ? 0 : intersectionSize(a, b) / min;
};

/**
 * Topic similarity of two reports in [0, 1]: the mean of token-set Jaccard and overlap, so a
 * short report (a title only) can still score against a long one that contains its words.
 */
export const topicSimilarity = (
  a: readonly string[] | ReadonlySet<string>,
  b: readonly string[] | ReadonlySet<string>
): number => {
  const sa = a instanceof Set ? a : new Set(a);
  const sb = b instanceof Set ? b : new Set(b);
  return (jaccard(sa, sb) + overlap(sa, sb)) / 2;
};

/** The fewest word pairs a text needs before it can be judged a copy by wording. */
export const MIN_COPY_SHINGLES = 8;

/**
 * True when two reports are one text republished (a wire story run by several outlets, perhaps
 * trimmed or with another headline): identical wording, or at least 80% of the shorter text's
 * word pairs found in the other. Independently written reports of one event share far fewer.
 */
export const isNearCopy = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length > 0 && a.join(' ') === b.join(' ')) return true;
  const sa = shingles(a);
  const sb = shingles(b);
  if (Math.min(sa.size, sb.size) < MIN_COPY_SHINGLES) return false;
  return overlap(sa, sb) >= 0.8;
};
