/**
 * Tokenising: one pass over a field's text into folded word tokens that keep their offsets into
 * the ORIGINAL text, with a sentence number per token (folding: fold.ts; sentence ends:
 * sentences.ts).
 *
 * Words: runs of letters and digits; "1,141" and "671.7" stay one token; a possessive "'s" is
 * dropped ("Syria's" -> "syria"); hyphens and apostrophes separate ("al-Shabab" -> "al shabab").
 */
import { DEAD_STATE, NO_WORDS, ROOT_STATE, step, type Vocabulary } from './automaton.ts';
import { ASCII_CLS, Cls, cls, fold, foldCode, isDigit } from './fold.ts';
import { endsSentence } from './sentences.ts';

/** Token kinds: a plain word, a number, or a number that is also a year 1900..2099. */
export const KIND_WORD = 0;
export const KIND_NUMBER = 1;
export const KIND_YEAR = 2;

const EMPTY = new Int32Array(0);

/**
 * The tokens of one field: parallel typed arrays (no object, and no string, per token); only the
 * first `count` entries are valid (a stream may be reused, see tokenize). `ids` holds the vocabulary id
 * of each token (-1 when no term uses the word); the token strings are built only when `words` is
 * first read (extraction and explanations need them, matching does not).
 */
export class TokenStream {
  field = '';
  text = '';
  starts = EMPTY;
  ends = EMPTY;
  sentences = EMPTY;
  ids = EMPTY;
  kinds = EMPTY;
  count = 0;
  /** Number of sentences (the last sentence index + 1). */
  sentenceCount = 0;
  private cachedWords: string[] | undefined;
  private cachedFolded: string | undefined;
  /** Words built one at a time by word(): wordOf[k] is current when wordAt[k] === generation. */
  private wordOf: string[] = [];
  private wordAt = EMPTY;
  private generation = 0;

  /** The folded text (built on first read: matching reads the text itself). */
  get folded(): string {
    this.cachedFolded ??= fold(this.text);
    return this.cachedFolded;
  }

  /** Every token's folded word (built on first read; word(k) builds one). */
  get words(): string[] {
    if (!this.cachedWords) {
      const out = new Array<string>(this.count);
      const folded = this.folded;
      for (let i = 0; i < this.count; i++) {
        out[i] = folded.slice(this.starts[i], this.ends[i]);
      }
      this.cachedWords = out;
    }
    return this.cachedWords;
  }

  /**
   * Token k's folded word, `words[k]` (undefined outside 0 .. count - 1), built alone and kept:
   * extraction reads the few words around each casualty word, not the whole text's.
   */
  word(k: number): string | undefined {
    if (k < 0 || k >= this.count) return undefined;
    if (this.cachedWords) return this.cachedWords[k];
    if (this.wordAt[k] === this.generation) return this.wordOf[k];
    const start = this.starts[k] as number;
    const end = this.ends[k] as number;
    let ascii = true;
    for (let c = start; c < end && ascii; c++) ascii = this.text.charCodeAt(c) < 128;
    // An ASCII word (nearly all) is only lower-cased.
    const raw = this.text.slice(start, end);
    const w = ascii ? raw.toLowerCase() : fold(raw);
    this.wordOf[k] = w;
    this.wordAt[k] = this.generation;
    return w;
  }

  /** @internal */
  reset(field: string, text: string): void {
    this.field = field;
    this.text = text;
    this.cachedFolded = undefined;
    this.count = 0;
    this.sentenceCount = 0;
    this.cachedWords = undefined;
    // A new generation makes every word of word() stale (no clearing); the stamps start over
    // long before the counter could overflow.
    this.generation++;
    if (this.generation === 0x3fffffff) {
      this.generation = 1;
      this.wordAt.fill(0);
    }
    // A token takes at least one character and tokens are apart: at most (length + 1) / 2 of them.
    const capacity = (text.length + 1) >> 1;
    if (this.starts.length < capacity) {
      const size = Math.max(capacity, this.starts.length * 2);
      this.starts = new Int32Array(size);
      this.ends = new Int32Array(size);
      this.sentences = new Int32Array(size);
      this.ids = new Int32Array(size);
      this.kinds = new Int32Array(size);
      this.wordAt = new Int32Array(size);
    }
  }
}

/** Whether the token text[start, end) (a token starting with a digit) is a number, a year or a word. */
function numberKind(text: string, start: number, end: number): number {
  for (let j = start + 1; j < end; j++) {
    const f = foldCode(text.charCodeAt(j));
    if (!isDigit(f) && f !== 44 && f !== 46) return KIND_WORD;
  }
  if (end - start !== 4) return KIND_NUMBER;
  const c0 = foldCode(text.charCodeAt(start));
  const c1 = foldCode(text.charCodeAt(start + 1));
  const c2 = foldCode(text.charCodeAt(start + 2));
  const c3 = foldCode(text.charCodeAt(start + 3));
  const century = (c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48);
  return century && isDigit(c2) && isDigit(c3) ? KIND_YEAR : KIND_NUMBER;
}

/**
 * Tokenise a field's text in one pass. With a vocabulary, each token's id comes from the
 * vocabulary's automaton, stepped in the same pass (no token string is created).
 */
export function tokenize(
  field: string,
  text: string,
  vocab?: Vocabulary,
  into?: TokenStream
): TokenStream {
  const ts = into ?? new TokenStream();
  ts.reset(field, text);
  const { starts, ends, sentences, ids, kinds } = ts;
  const dfa = vocab ? vocab.automaton() : NO_WORDS;
  const { symbols, ascii, base, check, accept } = dfa;
  let count = 0;
  let sentence = 0;
  let tokensInSentence = 0;
  const n = text.length;
  let i = 0;
  // Classes and automaton steps read folded characters (see foldCode: one per original character);
  // ASCII characters, nearly all of them, take one table load for both.
  while (i < n) {
    let code = text.charCodeAt(i);
    // A space, the commonest non-word character, needs no more.
    if (code === 32) {
      i++;
      continue;
    }
    let column = code < 128 ? (ascii[code] as number) : -1;
    if (column < 0 && code >= 128) {
      code = foldCode(code);
      if (code < 128) column = ascii[code] as number;
      else if (cls(code) === Cls.Word) column = dfa.symbolOf(code);
    }
    if (column >= 0) {
      const start = i;
      // The automaton's state (see Automaton): one step per character, each a load of base and
      // of check.
      let state = (base[ROOT_STATE] as number) + column;
      if (check[state] !== ROOT_STATE) state = DEAD_STATE;
      i++;
      while (i < n) {
        let k = text.charCodeAt(i);
        if (k < 128) {
          const col = ascii[k] as number;
          if (col >= 0) {
            const t = (base[state] as number) + col;
            i++;
            if (check[t] === state) {
              state = t;
              continue;
            }
            state = DEAD_STATE;
            // No vocabulary word goes on: the word's next ASCII letters and digits need no step.
            while (i < n) {
              const q = text.charCodeAt(i);
              if (q < 128 && (ascii[q] as number) >= 0) i++;
              else break;
            }
            continue;
          }
        } else {
          k = foldCode(k);
          const col = k < 128 ? (ascii[k] as number) : cls(k) === Cls.Word ? dfa.symbolOf(k) : -1;
          if (col >= 0) {
            state = step(dfa, state, col);
            i++;
            continue;
          }
        }
        // 1,141 and 671.7: a comma or period between digits stays inside the token.
        if (
          (k === 44 || k === 46) &&
          i + 1 < n &&
          isDigit(foldCode(text.charCodeAt(i - 1))) &&
          isDigit(foldCode(text.charCodeAt(i + 1)))
        ) {
          state = step(dfa, state, symbols[k] as number);
          state = step(dfa, state, ascii[foldCode(text.charCodeAt(i + 1))] as number);
          i += 2;
          continue;
        }
        break;
      }
      starts[count] = start;
      ends[count] = i;
      sentences[count] = sentence;
      ids[count] = accept[state] as number;
      kinds[count] = isDigit(code) ? numberKind(text, start, i) : KIND_WORD;
      count++;
      tokensInSentence++;
      continue;
    }
    const c = code < 128 ? (ASCII_CLS[code] as number) : cls(code);
    if (c === Cls.Apos) {
      // Possessive 's: drop it.
      const next = i + 1 < n ? foldCode(text.charCodeAt(i + 1)) : 0;
      if ((next === 115 || next === 83) /* s S */ && count > 0 && ends[count - 1] === i) {
        const after = i + 2 < n ? foldCode(text.charCodeAt(i + 2)) : 32;
        const ac = after < 128 ? (ASCII_CLS[after] as number) : cls(after);
        if (ac !== Cls.Word) {
          i += 2;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === Cls.Newline) {
      if (tokensInSentence > 0) {
        sentence++;
        tokensInSentence = 0;
      }
      i++;
      continue;
    }
    if (c === Cls.Stop) {
      if (tokensInSentence > 0 && endsSentence(text, i, starts, ends, count)) {
        sentence++;
        tokensInSentence = 0;
      }
      i++;
      continue;
    }
    i++;
  }
  ts.count = count;
  ts.sentenceCount = tokensInSentence > 0 ? sentence + 1 : sentence;
  return ts;
}

/** A 4-digit number 1900..2099 written without separators. */
export function isYear(word: string): boolean {
  if (word.length !== 4) return false;
  const c0 = word.charCodeAt(0);
  const c1 = word.charCodeAt(1);
  if (!((c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48))) return false;
  return isDigit(word.charCodeAt(2)) && isDigit(word.charCodeAt(3));
}

/** Digits, possibly with thousands separators or a decimal point. */
export function isNumber(word: string): boolean {
  const c0 = word.charCodeAt(0);
  if (!isDigit(c0)) return false;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!isDigit(c) && c !== 44 && c !== 46) return false;
  }
  return true;
}
