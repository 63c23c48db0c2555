/**
 * Property tests: no input makes the rule engine throw or hang, results keep their shape, and
 * every match points at the text it names. Rule files of any content fail only with located
 * InvalidInputError problems.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRules, loadRules } from '../../../../cli/yaml/rules.ts';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import { SEVERITIES } from '../../../../lambdas/core/common/types.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { defaultRuleSet } from '../../../helpers/fixtures.ts';
import { thrown } from '../../../helpers/thrown.ts';

const violentWords = [
  'killed',
  'airstrike',
  'shelling',
  'militants',
  'car bomb',
  'Aleppo',
  'ceasefire',
  'not',
  'would',
  'in 2016',
  'dozens',
  '200',
  '—',
  '“',
  '\u0000',
  '\u202e',
  'ﬁ',
  'İ',
  'e\u0301',
];

/** Text mixing arbitrary Unicode with the vocabulary the rules and guards look for. */
const newsish = fc
  .array(
    fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom(...violentWords)),
    {
      maxLength: 60,
    }
  )
  .map((parts) => parts.join(' '));

const itemArb = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 20 }),
    title: newsish,
    summary: newsish,
    content: newsish,
  },
  { requiredKeys: ['id', 'title'] }
);

describe('Property: classify', () => {
  const rules = defaultRuleSet();

  it('never throws, keeps the result shape, and points every match at its text', () => {
    fc.assert(
      fc.property(itemArb, (item) => {
        const result = classify(item, rules);
        expect(result.id).toBe(item.id);
        expect(SEVERITIES).toContain(result.severity);
        expect(Number.isFinite(result.score)).toBe(true);
        expect(result.escalation).toBe(result.escalation === true);
        if (!result.escalation) expect(typeof result.severity).toBe('string');
        for (const match of result.matches) {
          const field = (item as Record<string, string | undefined>)[match.field] ?? '';
          expect(match.start).toBeGreaterThanOrEqual(0);
          expect(match.end).toBeGreaterThan(match.start);
          expect(match.end).toBeLessThanOrEqual(field.length);
          expect(field.slice(match.start, match.end)).toBe(match.text);
        }
        const { killed, injured } = result.casualties ?? {};
        for (const n of [killed, injured]) {
          if (n !== undefined) expect(Number.isInteger(n) && n >= 0).toBe(true);
        }
        expect(explain(item, rules)).toContain(result.escalation ? 'ESCALATION' : '');
      }),
      { numRuns: 300 }
    );
  });

  it('is deterministic: the same item gives the same result', () => {
    fc.assert(
      fc.property(itemArb, (item) => {
        expect(classify(item, rules)).toEqual(classify(item, rules));
      }),
      { numRuns: 100 }
    );
  });

  it('stays bounded on a huge, repetitive text', () => {
    // Prepare: 200 KB of the words that open the most rule and guard paths.
    const text = `${violentWords.join(' ')} `.repeat(2_000);

    // Act
    const result = classify({ id: 'huge', title: 'x', content: text }, rules);

    // Assess
    expect(result.id).toBe('huge');
  });
});

describe('Property: loadRules', () => {
  it('names a weight or category that cannot even be converted (an object whose toString is not a function)', () => {
    // Prepare: the counterexample fast-check found
    const text = '{"rules":[{"weight":{"toString":0},"category":{"toString":0},"any":""}]}';

    // Act
    const error = thrown(() => loadRules(text, 'fuzz.yaml'));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain('weight must be a number above 0');
  });

  it('fails only with a located InvalidInputError, whatever the file holds', () => {
    const yamlish = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json().map((j) => j),
      fc
        .record({
          threshold: fc.anything(),
          rules: fc.array(
            fc.record({ id: fc.anything(), weight: fc.anything(), any: fc.anything() }),
            { maxLength: 3 }
          ),
          guards: fc.anything(),
        })
        .map((doc) => JSON.stringify(doc) ?? '')
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          loadRules(text, 'fuzz.yaml');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          expect((err as InvalidInputError).message).toContain('fuzz.yaml');
          expect(checkRules(text, 'fuzz.yaml').length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 }
    );
  });
});

describe('Property: feeds files', () => {
  it('fail only with a located InvalidInputError, whatever the file holds', async () => {
    const { parseFeedsConfig } = await import('../../../../cli/yaml/feeds-config.ts');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.json()), (text) => {
        try {
          parseFeedsConfig(text, 'fuzz-feeds.yaml');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          expect((err as InvalidInputError).message).toContain('fuzz-feeds.yaml');
        }
      }),
      { numRuns: 300 }
    );
  });

  it.each([
    ['an unresolved alias', '*missing'],
    [
      'an alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`).join('\n')}\n`,
    ],
  ])('rejects %s in a rules file with a located problem', (_name, text) => {
    expect(() => loadRules(text, 'hostile.yaml')).toThrow(InvalidInputError);
    expect(checkRules(text, 'hostile.yaml')[0]).toMatch(/^hostile\.yaml:\d+:\d+: /);
  });
});
