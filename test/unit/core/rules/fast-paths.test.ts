/**
 * The classifier's fast paths against the slow, plain ways they replace: each property fails when
 * a shortcut disagrees with what it stands for on any text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vocab } from '../../../../lambdas/core/rules/automaton.ts';
import { shapeOf } from '../../../../lambdas/core/rules/casualty-words.ts';
import { shapeAt } from '../../../../lambdas/core/rules/extract.ts';
import { fold, foldCode } from '../../../../lambdas/core/rules/fold.ts';
import { isYear, KIND_YEAR, TokenStream, tokenize } from '../../../../lambdas/core/rules/text.ts';
import {
  child,
  flatten,
  insert,
  NUM_KEY,
  newNode,
  type TrieNode,
  YEAR_KEY,
} from '../../../../lambdas/core/rules/trie.ts';
import { defaultRuleSet } from '../../../helpers/fixtures.ts';

/** News-like text: words, numbers, years, accents, curly quotes, odd Unicode. */
const pieces = [
  'Killed',
  'KILLING',
  'wounded',
  'Lives',
  '1999',
  '2023',
  '19.9',
  '1,141',
  '１９９９',
  'Türkiye’s',
  '“Ménaka”',
  'ÉCOLE',
  'İstanbul',
  'ﬁre',
  'Ⓐ',
  '𐐀',
  'e\u0301',
  '—',
  '.',
  '\n',
  'U.S.',
];
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom(...pieces)), {
    maxLength: 40,
  })
  .map((parts) => parts.join(' '));

/** fold as one character at a time: ASCII lower-cased, any other character by its table entry. */
const foldEach = (s: string): string =>
  Array.from({ length: s.length }, (_, i) => {
    const code = s.charCodeAt(i);
    return code < 128 ? (s[i] as string).toLowerCase() : String.fromCharCode(foldCode(code));
  }).join('');

describe('fast paths agree with the plain ways', () => {
  const vocab = defaultRuleSet().matcher.vocab;

  it('fold lower-cases ASCII runs whole and folds every other character alone', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(fold(s)).toBe(foldEach(s));
      }),
      { numRuns: 500 }
    );
  });

  it('word(k) is words[k], on a fresh stream and on one reused for another text', () => {
    const reused = new TokenStream();
    fc.assert(
      fc.property(text, text, (a, b) => {
        for (const s of [a, b]) {
          const lazy = tokenize('summary', s, vocab, reused);
          const got = Array.from({ length: lazy.count + 2 }, (_, k) => lazy.word(k - 1));
          const whole = tokenize('summary', s, vocab).words;
          expect(got).toEqual([undefined, ...whole, undefined]);
          // Read after words: the same.
          expect(lazy.words).toEqual(whole);
          expect(lazy.word(0)).toBe(whole[0]);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('the casualty shape read from the text is the shape of the word', () => {
    fc.assert(
      fc.property(text, (s) => {
        const ts = tokenize('summary', s, vocab);
        ts.words.forEach((w, k) => {
          expect(shapeAt(ts, k)).toBe(shapeOf(w));
        });
      }),
      { numRuns: 300 }
    );
  });

  it('a token is of the year kind exactly when its word is a year', () => {
    fc.assert(
      fc.property(text, (s) => {
        const ts = tokenize('summary', s, vocab);
        ts.words.forEach((w, k) => {
          expect(ts.kinds[k] === KIND_YEAR).toBe(isYear(w));
        });
      }),
      { numRuns: 300 }
    );
  });

  it("the automaton's word id is the word's place in the vocabulary, for any vocabulary", () => {
    const word = fc.stringMatching(/^[a-eé0-2ñ]{1,6}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { maxLength: 40 }),
        fc.array(word, { maxLength: 30 }),
        (words, textWords) => {
          const v = new Vocab();
          for (const w of words) v.id(w);
          const ts = tokenize('summary', [...textWords, ...words.slice(0, 5)].join(' '), v);
          ts.words.forEach((w, k) => {
            expect(ts.ids[k]).toBe(v.words.indexOf(w));
          });
        }
      ),
      { numRuns: 300 }
    );
  });

  it("the default rules' automaton gives every word of a text its vocabulary id", () => {
    const known = vocab.words;
    const ids = new Map(known.map((w, k) => [w, k]));
    fc.assert(
      fc.property(text, fc.array(fc.constantFrom(...known), { maxLength: 20 }), (s, picked) => {
        const ts = tokenize('summary', `${s} ${picked.join(' ')}`, vocab);
        ts.words.forEach((w, k) => {
          expect(ts.ids[k]).toBe(ids.get(w) ?? -1);
        });
      }),
      { numRuns: 300 }
    );
  });

  it('a step of the flattened trie finds the child the trie has, and no other', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 14 }), fc.constantFrom(NUM_KEY, YEAR_KEY));
    const path = fc.array(key, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(path, { maxLength: 60 }),
        fc.array(path, { maxLength: 40 }),
        (terms, walks) => {
          const root = newNode();
          terms.forEach((keys, id) => {
            insert(root, keys).term = id;
          });
          const flat = flatten(root, 15);
          for (const keys of [...terms, ...walks]) {
            let node: TrieNode | undefined = root;
            let at = 0;
            for (const k of keys) {
              node = node.next?.get(k);
              const next = child(flat, at, k);
              // The root's children by word id are also in rootById (the scan's first step).
              if (at === 0 && k >= 0) expect(flat.rootById[k]).toBe(next);
              at = next;
              if (!node) {
                expect(at).toBe(-1);
                break;
              }
              expect(flat.term[at]).toBe(node.term);
              expect(flat.inner[at]).toBe(node.next ? 1 : 0);
            }
          }
        }
      ),
      { numRuns: 300 }
    );
  });
});
