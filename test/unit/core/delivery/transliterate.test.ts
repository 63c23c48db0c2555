import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gsm7Septets,
  isGsm7BasicOnly,
  toAscii,
  toGsm7,
} from '../../../../lambdas/core/delivery/transliterate.ts';

describe('Function: toGsm7', () => {
  it.each([
    ['curly quotes', 'Syria’s “large-scale” attack', 'Syria\'s "large-scale" attack'],
    ['dashes and ellipsis', 'Aleppo – Idlib — 200 killed…', 'Aleppo - Idlib - 200 killed...'],
    ['letters GSM-7 has', 'Señor Müller à Genève', 'Señor Müller à Genève'],
    ['letters GSM-7 lacks', 'Şanlıurfa, Kraków, Łódź, façade', 'Sanliurfa, Krakow, Lodz, facade'],
    [
      'extension characters',
      'toll [updated] {x} ~50 | €5 ^ \\',
      "toll (updated) (x) -50 / EUR5 ' /",
    ],
    ['Cyrillic', 'Київ, Харків, Москва, Дніпро', 'Kiyiv, Kharkiv, Moskva, Dnipro'],
    ['Greek lower case', 'Αθήνα', 'Athina'],
    ['line breaks and controls', 'one\r\ntwo\u0007\tthree\u200B', 'one two three'],
    ['scripts with no stand-in', 'هجوم Aleppo 北京', 'Aleppo'],
  ])('transliterates %s', (_, input, expected) => {
    // Act
    const out = toGsm7(input);

    // Assess
    expect(out).toBe(expected);
    expect(isGsm7BasicOnly(out)).toBe(true);
  });

  it('always yields GSM-7 basic characters on one line (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const out = toGsm7(text);
        return isGsm7BasicOnly(out) && !/[\r\n]/.test(out);
      }),
      { numRuns: 200 }
    );
  });
});

describe('Function: toAscii', () => {
  it.each([
    ['curly quotes and dashes', '“Aleppo” – Syria’s city', '"Aleppo" - Syria\'s city'],
    ['GSM-only letters', 'Straße, Ærø, £5, ¥3, ¡Hola!', 'Strasse, AEro, GBP5, JPY3, Hola!'],
    ['diacritics', 'Türkiye, Saraqeb, Sūriyā', 'Turkiye, Saraqeb, Suriya'],
    ['line breaks', 'a\nb\rc', 'a b c'],
  ])('transliterates %s', (_, input, expected) => {
    // Act + Assess
    expect(toAscii(input)).toBe(expected);
  });

  it('always yields printable ASCII (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) =>
        /^[\x20-\x7E]*$/.test(toAscii(text))
      ),
      { numRuns: 200 }
    );
  });
});

describe('Function: gsm7Septets', () => {
  it.each([
    ['basic characters', 'Aleppo é ü @', 12],
    ['extension characters count two', '[x]{}€', 11],
    ['UCS-2 only characters', 'Aleppo’s', undefined],
    ['emoji', '💥', undefined],
  ])('counts %s', (_, input, expected) => {
    // Act + Assess
    expect(gsm7Septets(input)).toBe(expected);
  });
});
