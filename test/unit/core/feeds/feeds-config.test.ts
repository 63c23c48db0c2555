import { describe, expect, it } from 'vitest';
import { parseFeedsConfig } from '../../../../cli/yaml/feeds-config.ts';
import { InvalidInputError } from '../../../../lambdas/core/common/errors.ts';
import { feedLocationKind } from '../../../../lambdas/core/feeds/feeds-config.ts';
import { thrown } from '../../../helpers/thrown.ts';

const problemsOf = (text: string, source = 'feeds.yaml'): readonly string[] => {
  try {
    parseFeedsConfig(text, source);
  } catch (err) {
    if (err instanceof InvalidInputError) return err.problems;
    throw err;
  }
  throw new Error('expected parseFeedsConfig to throw');
};

describe('Function: parseFeedsConfig', () => {
  it('reads a JSON array of feeds', () => {
    // Prepare
    const text = JSON.stringify([
      { url: 'https://feeds.bbci.co.uk/news/world/rss.xml', name: 'BBC World' },
      { url: 'https://www.aljazeera.com/xml/rss/all.xml' },
    ]);

    // Act
    const feeds = parseFeedsConfig(text, 'config/feeds.json');

    // Assess
    expect(feeds).toEqual([
      { url: 'https://feeds.bbci.co.uk/news/world/rss.xml', name: 'BBC World' },
      { url: 'https://www.aljazeera.com/xml/rss/all.xml' },
    ]);
  });

  it('reads YAML with plain strings, file:// URLs and local paths', () => {
    // Prepare
    const text = [
      '# world news',
      '- url: https://rss.dw.com/rdf/rss-en-world',
      '  name: "  DW World  "',
      '- https://www.france24.com/en/rss',
      '- file:///srv/feeds/local.xml',
      '- ./demo/feeds/worthy-news.rss.xml',
      '- C:\\feeds\\win.xml',
    ].join('\n');

    // Act
    const feeds = parseFeedsConfig(text, 'feeds.yaml');

    // Assess
    expect(feeds).toEqual([
      { url: 'https://rss.dw.com/rdf/rss-en-world', name: 'DW World' },
      { url: 'https://www.france24.com/en/rss' },
      { url: 'file:///srv/feeds/local.xml' },
      { url: './demo/feeds/worthy-news.rss.xml' },
      { url: 'C:\\feeds\\win.xml' },
    ]);
  });

  it('accepts an object with a feeds list', () => {
    // Act
    const feeds = parseFeedsConfig('feeds:\n  - https://a.example/rss\n', 'feeds.yaml');

    // Assess
    expect(feeds).toEqual([{ url: 'https://a.example/rss' }]);
  });

  it('fails listing every problem with the file and the entry', () => {
    // Prepare
    const text = [
      '- url: https://a.example/rss',
      '- name: no url here',
      '- url: ftp://x',
      '- url: https://a.example/rss',
      '- url: https://b.example/rss',
      '  name: 42',
      '- url: https://c.example/rss',
      '  nmae: typo',
      '- 17',
      '- url: "https://"',
    ].join('\n');

    // Act
    const problems = problemsOf(text);

    // Assess
    expect(problems).toEqual([
      "feeds.yaml: entry 2: 'url' is missing",
      "feeds.yaml: entry 3: url 'ftp://x' is not http(s), file:// or a path",
      "feeds.yaml: entry 4: url 'https://a.example/rss' is already listed as entry 1",
      'feeds.yaml: entry 5: name must be a string, got a number',
      "feeds.yaml: entry 6: unknown field 'nmae' (a feed has 'url' and optional 'name')",
      'feeds.yaml: entry 7: expected {"url": "...", "name": "..."} or a URL string, got a number',
      "feeds.yaml: entry 8: url 'https://' is not a valid URL",
    ]);
  });

  it('fails with a message naming the file and the first problem', () => {
    // Act
    const error = thrown(() =>
      parseFeedsConfig('- ftp://x\n- mailto:a@b.example\n', '/home/me/feeds.yaml')
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      "/home/me/feeds.yaml: entry 1: url 'ftp://x' is not http(s), file:// or a path (and 1 more)"
    );
  });

  it.each([
    ['[{"url": ', /^feeds.json:1:\d+: not valid JSON or YAML/],
    ['url: https://a.example', /^feeds.json: expected a list of feeds .*got an object$/],
    ['', /^feeds.json: the file is empty/],
    ['[]', /^feeds.json: the list of feeds is empty/],
    ['- url: " https://a.example/rss"', /has leading or trailing spaces/],
    ['- url: ""', /url is empty/],
  ])('fails for %j', (text, expected) => {
    // Act
    const problems = problemsOf(text, 'feeds.json');

    // Assess
    expect(problems[0]).toMatch(expected);
  });
});

describe('Function: feedLocationKind', () => {
  it.each([
    ['https://a.example/rss', 'http'],
    ['HTTP://A.EXAMPLE/rss', 'http'],
    ['file:///tmp/x.xml', 'file'],
    ['feeds/x.xml', 'path'],
    ['/abs/x.xml', 'path'],
  ])('classifies %s as %s', (url, kind) => {
    // Act
    const result = feedLocationKind(url);

    // Assess
    expect(result).toBe(kind);
  });
});
