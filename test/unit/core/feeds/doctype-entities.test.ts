import { describe, expect, it } from 'vitest';
import { FeedError } from '../../../../lambdas/core/common/errors.ts';
import {
  doctypeEntities,
  MAX_ENTITY_EXPANSION_CHARS,
} from '../../../../lambdas/core/feeds/doctype-entities.ts';

const URL = 'https://feeds.example/feed.xml';

const refusal = (doctype: string, body = doctype): unknown => {
  try {
    doctypeEntities(doctype, body, URL);
  } catch (err) {
    return err;
  }
  throw new Error('expected doctypeEntities to throw');
};

describe('Function: doctypeEntities', () => {
  it('expands nested internal entities and decodes character and predefined references', () => {
    // Prepare
    const doctype =
      '<!DOCTYPE rss [ <!ENTITY who "the &amp; wire"> <!ENTITY by \'by &who;&#33;\'> <!ENTITY % param "p"> ]>';

    // Act
    const entities = doctypeEntities(doctype, `${doctype}<t>&by;</t>`, URL);

    // Assess
    expect(entities).toEqual({ who: 'the & wire', by: 'by the & wire!' });
  });

  it('keeps the first declaration of a name, as XML does', () => {
    // Act
    const entities = doctypeEntities(
      '<!DOCTYPE rss [ <!ENTITY a "first"> <!ENTITY a "second"> ]>',
      '',
      URL
    );

    // Assess
    expect(entities).toEqual({ a: 'first' });
  });

  it('leaves a declared but unused external entity alone, and refuses one that is used', () => {
    // Prepare
    const doctype = '<!DOCTYPE rss [ <!ENTITY ext SYSTEM "file:///etc/passwd"> ]>';

    // Act
    const unused = doctypeEntities(doctype, `${doctype}<rss/>`, URL);
    const used = refusal(doctype, `${doctype}<rss>&ext;</rss>`);

    // Assess
    expect(unused).toEqual({});
    expect(used).toBeInstanceOf(FeedError);
    expect((used as Error).message).toMatch(/external entity &ext;/);
  });

  it('refuses an internal entity that refers to an external one', () => {
    // Act
    const err = refusal(
      '<!DOCTYPE rss [ <!ENTITY ext SYSTEM "http://evil.example/x"> <!ENTITY wrap "[&ext;]"> ]>'
    );

    // Assess
    expect((err as Error).message).toMatch(/external entity &ext;/);
  });

  it('refuses expansion past the bound: doubling, wide, cyclic, or used many times', () => {
    // Prepare
    const chain = Array.from({ length: 25 }, (_, i) => `<!ENTITY e${i + 1} "&e${i};&e${i};">`).join(
      ''
    );
    const deep = `<!DOCTYPE r [ <!ENTITY e0 "x">${chain} ]>`;
    const wide = `<!DOCTYPE r [ <!ENTITY big "${'x'.repeat(MAX_ENTITY_EXPANSION_CHARS + 1)}"> ]>`;
    const kilo = `<!DOCTYPE r [ <!ENTITY k "${'x'.repeat(1000)}"> ]>`;
    const cycle = '<!DOCTYPE r [ <!ENTITY a "&b;"> <!ENTITY b "&a;"> ]>';

    // Act
    const errors = [
      refusal(deep),
      refusal(wide),
      refusal(cycle),
      refusal(kilo, `${kilo}<r>${'&k;'.repeat(1001)}</r>`),
    ];

    // Assess
    for (const err of errors) {
      expect(err).toBeInstanceOf(FeedError);
      expect((err as Error).message).toMatch(/expand to more than 1000000 characters/);
    }
  });
});
