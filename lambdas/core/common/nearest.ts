/**
 * The nearest of some known names to a mistyped one, for "did you mean ...?" in messages.
 * Close enough means at most a third of the name's letters (and at least two) differ.
 */
import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate nearest to `word`, or undefined when none is close. `key` gives the form compared
 * (e.g. case- and diacritic-folded); the candidate is returned as given.
 */
export const nearestName = (
  word: string,
  candidates: readonly string[],
  key: (name: string) => string = (name) => name
): string | undefined => {
  if (candidates.length === 0) return undefined;
  const keys = candidates.map(key);
  const near = closest(key(word), keys);
  const index = keys.indexOf(near);
  const found = candidates[index];
  return found !== undefined &&
    distance(key(word), near) <= Math.max(2, Math.floor(near.length / 3))
    ? found
    : undefined;
};
