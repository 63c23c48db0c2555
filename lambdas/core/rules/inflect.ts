/**
 * Terms into token sequences. Inflection ("~" at a word's end) is expanded when a term is added
 * to the matcher, by this small stemmer:
 *   plural / 3rd person: +s, or +es after s/x/z/ch/sh, or y -> ies after a consonant
 *   past: +d after e, y -> ied after a consonant, else +ed (and with the last consonant doubled)
 *   -ing: ie -> ying, drop a final e (not ee), else +ing (and with the last consonant doubled)
 *   a stem ending in a consonant also gets +e and +es (captur~ -> capture, captures, captured)
 * e.g. strike~ -> strike strikes striked striking; kill~ -> kill kills killed killing;
 * kidnap~ -> ... kidnapped kidnapping. Irregular forms (struck, fought, blew) are listed as terms.
 */
import { tokenize } from './text.ts';

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** All inflected forms of one word (see the module comment). */
export function inflect(word: string): string[] {
  const forms = new Set<string>([word]);
  // A stem ending in a consonant may stand for a verb in -e: captur~ -> capture, captures.
  if (!/[aeiouy]$/.test(word)) {
    forms.add(`${word}e`);
    forms.add(`${word}es`);
  }
  const last = word[word.length - 1] ?? '';
  const prev = word[word.length - 2] ?? '';
  const consonantY = last === 'y' && !VOWELS.has(prev);
  if (/(s|x|z|ch|sh)$/.test(word)) forms.add(`${word}es`);
  else if (consonantY) forms.add(`${word.slice(0, -1)}ies`);
  else forms.add(`${word}s`);
  if (last === 'e') forms.add(`${word}d`);
  else if (consonantY) forms.add(`${word.slice(0, -1)}ied`);
  else forms.add(`${word}ed`);
  if (word.endsWith('ie')) forms.add(`${word.slice(0, -2)}ying`);
  else if (last === 'e' && prev !== 'e') forms.add(`${word.slice(0, -1)}ing`);
  else forms.add(`${word}ing`);
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(word)) {
    forms.add(`${word}${last}ed`);
    forms.add(`${word}${last}ing`);
  }
  return [...forms];
}

const PLAIN_WORD = /^[a-z]+$/;

/** Expand one term into its token sequences (inflections multiply). */
export function expandTerm(term: string): string[][] {
  const parts = term.trim().split(/\s+/);
  let seqs: string[][] = [[]];
  for (const part of parts) {
    const inflected = part.endsWith('~');
    const base = inflected ? part.slice(0, -1) : part;
    if (base === '<num>' || base === '<year>') {
      seqs = seqs.map((s) => [...s, base]);
      continue;
    }
    // A plain lower-case word is its own single token (most terms): no tokenizer needed.
    const toks = PLAIN_WORD.test(base) ? [base] : tokenize('term', base).words;
    if (toks.length === 0) continue;
    const head = toks.slice(0, -1);
    const tail = toks[toks.length - 1] as string;
    const tails = inflected ? inflect(tail) : [tail];
    const next: string[][] = [];
    for (const s of seqs) for (const t of tails) next.push([...s, ...head, t]);
    seqs = next;
  }
  return seqs.filter((s) => s.length > 0);
}
