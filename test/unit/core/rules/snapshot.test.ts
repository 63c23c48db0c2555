import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateItems } from '../../../../bench/lib/items.ts';
import { pack, unpack } from '../../../../cli/packed.ts';
import {
  readMatcherSnapshot,
  textHash,
  writeMatcherSnapshot,
} from '../../../../cli/rules-snapshot.ts';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { loadRulesJson, parseRuleFileJson } from '../../../../lambdas/core/rules/load-json.ts';
import { Matcher } from '../../../../lambdas/core/rules/matcher.ts';
import { compileRuleFile } from '../../../../lambdas/core/rules/ruleset.ts';
import { defaultRules, repoFile } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'newsalert-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default rules as the JSON copy the CLI reads. */
const rulesJson = (): string => JSON.stringify(parse(repoFile('config/rules.yaml')));

/** Items of every kind: generated news, the seeds, and texts with accents, curly quotes, numbers. */
const corpus = (): Item[] => [
  ...generateItems(1500, 11, 0.3),
  ...repoFile('test/fixtures/items/seeds.jsonl')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Item),
  {
    id: 'accents',
    title: 'Frappes aériennes sur Saná’a: 1,141 morts',
    summary: 'Gunmen killed 12 people in Bamako’s Niamakoro district; at least 30 were wounded.',
  },
  {
    id: 'year',
    title: 'In 2019 rebels seized the town',
    summary: 'Twenty one soldiers were killed.',
  },
];

describe('packed byte strings', () => {
  it('give back the data and arrays of every kind, whatever their lengths', () => {
    // Prepare
    const arrays = {
      a: Int32Array.from([1, -2, 2 ** 31 - 1]),
      b: Uint16Array.from([65535, 0, 7]),
      c: Uint8Array.from([9]),
      empty: new Int32Array(0),
    };

    // Act
    const back = unpack<{ n: number }>(pack({ n: 3 }, arrays), 'test.bin');

    // Assess
    expect(back.data).toEqual({ n: 3 });
    expect(back.arrays).toEqual(arrays);
    expect(back.arrays.b).toBeInstanceOf(Uint16Array);
  });

  it('name the file and what is wrong when the bytes are not one', () => {
    const good = pack({}, { a: new Int32Array(4) });
    expect(() => unpack(new Uint8Array(3), 'x.bin')).toThrow(/x\.bin .*too short/);
    expect(() => unpack(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 'x.bin')).toThrow(/magic/);
    expect(() => unpack(good.subarray(0, good.length - 8), 'x.bin')).toThrow(
      /array a past the end/
    );
  });
});

describe('a matcher restored from its snapshot', () => {
  const source = 'config/rules.yaml';
  const compiled = loadRulesJson(rulesJson(), source);
  const { data, arrays } = compiled.matcher.snapshot();
  const stored = unpack<typeof data>(pack(data, arrays), 'matcher.bin');
  const restored = compileRuleFile(
    parseRuleFileJson(rulesJson(), source),
    source,
    Matcher.restore({ data: stored.data, arrays: stored.arrays })
  );

  it('classifies and explains every item exactly as the compiled rules do', () => {
    for (const item of corpus()) {
      expect(classify(item, restored)).toEqual(classify(item, compiled));
      expect(explain(item, restored)).toBe(explain(item, compiled));
    }
  });

  it('keeps the term count and takes no new terms', () => {
    expect(restored.termCount).toBe(compiled.termCount);
    expect(() => restored.matcher.add('new term', { type: 0, index: 0, group: 0 })).toThrow(
      /restored from a snapshot/
    );
  });

  it('names a missing table, or one of the wrong size', () => {
    const { base: _base, ...rest } = arrays;
    expect(() => Matcher.restore({ data, arrays: rest })).toThrow(/base is missing/);
    const short = { ...arrays, keys: (arrays.keys as Int32Array).subarray(3) };
    expect(() => Matcher.restore({ data, arrays: short })).toThrow(/keys holds/);
    const unordered = { ...arrays, first: (arrays.first as Int32Array).slice().reverse() };
    expect(() => Matcher.restore({ data, arrays: unordered })).toThrow(/first is not ascending/);
  });
});

describe('the stored matcher of the default rules (dist/cli)', () => {
  const text = rulesJson();
  const stored = join(dir, 'default-rules.matcher.bin');
  writeMatcherSnapshot(loadRulesJson(text, 'rules.json'), text, stored);
  const warnings: string[] = [];
  const read = (rulesText: string, path: string) =>
    readMatcherSnapshot(rulesText, path, (message) => warnings.push(message));

  it('is used only for the rules text it was built from', () => {
    // Act
    const same = read(text, stored);
    const other = read(text.replace('"threshold":', '"threshold" :'), stored);

    // Assess
    expect(same?.termCount).toBe(defaultRules().termCount);
    expect(other).toBeUndefined();
    expect(read(text, join(dir, 'none.bin'))).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('is left aside, with a warning naming it, when damaged: the rules are compiled instead', () => {
    // Prepare: a file that is not one, a cut one, and one with a byte of its tables changed
    const bytes = readFileSync(stored);
    const variants = {
      'junk.bin': Buffer.from('not a matcher'),
      'cut.bin': bytes.subarray(0, bytes.length - 4096),
      'flipped.bin': Buffer.from(bytes).fill(7, bytes.length - 5000, bytes.length - 4999),
    };
    warnings.length = 0;

    // Act
    const results = Object.entries(variants).map(([name, content]) => {
      writeFileSync(join(dir, name), content);
      return read(text, join(dir, name));
    });

    // Assess
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/junk\.bin is not a packed matcher.*compiling the default rules/);
    expect(warnings[1]).toMatch(/cut\.bin is not a packed matcher \(array .* past the end\)/);
    expect(warnings[2]).toMatch(/flipped\.bin: its tables fail their checksum/);
  });

  it('tells texts apart by a digest of the whole text', () => {
    expect(textHash('abc')).toBe(textHash('abc'));
    expect(textHash('abc')).not.toBe(textHash('abd'));
    expect(textHash('ab')).not.toBe(textHash('abc'));
  });
});
