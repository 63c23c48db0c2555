import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeedsConfig, readFeedsDocument } from '../../../../cli/yaml/feeds-config.ts';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import { parseFeedsJson } from '../../../../lambdas/core/feeds/feeds-config.ts';
import { projectPath } from '../../../helpers/fixtures.ts';
import { thrown } from '../../../helpers/thrown.ts';

/** The problems a front reports for a text, or [] when it accepts it. */
const problemsOf = (parse: (text: string, source: string) => unknown, text: string) => {
  try {
    parse(text, 'config/feeds.json');
    return [];
  } catch (err) {
    if (err instanceof InvalidInputError) return err.problems;
    throw err;
  }
};

describe('Function: parseFeedsJson (the deployed form the poller reads)', () => {
  it('reads the JSON the CDK app writes from config/feeds.yaml as the same feeds', () => {
    // Prepare: the conversion bin/app.ts does (the YAML front's parsed document, as JSON)
    const yamlText = readFileSync(projectPath('config/feeds.yaml'), 'utf8');
    const jsonText = `${JSON.stringify(readFeedsDocument(yamlText, 'config/feeds.yaml'), null, 2)}\n`;

    // Act
    const fromJson = parseFeedsJson(jsonText, 'config/feeds.json');

    // Assess
    expect(fromJson).toEqual(parseFeedsConfig(yamlText, 'config/feeds.yaml'));
    expect(fromJson.length).toBeGreaterThan(10);
    expect(fromJson[0]).toEqual({
      name: 'BBC World',
      url: 'https://feeds.bbci.co.uk/news/world/rss.xml',
    });
  });

  it('reads a file saved with a byte order mark (Windows editors write one)', () => {
    expect(parseFeedsJson('\ufeff["https://a.example/rss"]', 'config/feeds.json')).toEqual([
      { url: 'https://a.example/rss' },
    ]);
  });

  it('accepts an object with a feeds list and plain URL strings', () => {
    // Act
    const feeds = parseFeedsJson(
      '{"feeds": ["https://a.example/rss", {"url": "https://b.example/rss", "name": " B "}]}',
      'config/feeds.json'
    );

    // Assess
    expect(feeds).toEqual([
      { url: 'https://a.example/rss' },
      { url: 'https://b.example/rss', name: 'B' },
    ]);
  });

  it.each([
    ['[{"url": "https://a.example/rss"}, {"name": "no url"}, {"url": "ftp://x"}]'],
    ['[{"url": "https://a.example/rss"}, {"url": "https://a.example/rss", "nmae": "typo"}]'],
    ['{"url": "https://a.example/rss"}'],
    ['[]'],
    ['null'],
    ['[17, {"url": " https://a.example/rss"}]'],
  ])('reports the same problems as the YAML front for %s', (text) => {
    // Act
    const fromJson = problemsOf(parseFeedsJson, text);

    // Assess
    expect(fromJson.length).toBeGreaterThan(0);
    expect(fromJson).toEqual(problemsOf(parseFeedsConfig, text));
  });

  it.each([
    ['truncated JSON', '[{"url": '],
    ['YAML in the JSON key', '- url: https://a.example/rss\n'],
    ['an empty object body', ''],
  ])('fails on %s with an error naming the key and what to do', (_what, text) => {
    // Act
    const error = thrown(() => parseFeedsJson(text, 'config/feeds.json'));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(
      /^config\/feeds\.json: not valid JSON: .+: fix it and load it again$/
    );
    expect((error as InvalidInputError).problems).toEqual([(error as Error).message]);
  });

  it('fails only with an InvalidInputError naming the key, whatever the object holds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.json()), (text) => {
        try {
          parseFeedsJson(text, 'config/feeds.json');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          expect((err as Error).message).toMatch(/^config\/feeds\.json: /);
        }
      }),
      { numRuns: 200 }
    );
  });
});
