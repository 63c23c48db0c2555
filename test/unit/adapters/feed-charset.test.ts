import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../../lambdas/adapters/feed-charset.ts';

describe('Function: decodeFeedBytes', () => {
  it('trusts the header charset over the XML declaration', () => {
    // Prepare: the declaration says Latin-1, the header (right) says UTF-8.
    const bytes = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Łódź</title></channel></rss>'
    );

    // Act
    const text = decodeFeedBytes(bytes, 'text/xml; charset=utf-8');

    // Assess
    expect(text).toContain('<title>Łódź</title>');
  });

  it('does not believe a UTF-16 declaration on text without a BOM or zero bytes', () => {
    // Prepare: a proxy transcoded the feed to UTF-8 and left the declaration.
    const bytes = Buffer.from(
      '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>naïve</title></channel></rss>'
    );

    // Act
    const text = decodeFeedBytes(bytes, 'text/xml');

    // Assess
    expect(text).toContain('<title>naïve</title>');
  });

  it('keeps mostly-UTF-8 text as UTF-8 despite one stray Latin-1 byte', () => {
    // Prepare
    const bytes = Buffer.concat([
      Buffer.from('<rss><channel><title>Zürich, Genève, Köln: '),
      Buffer.from([0xe9]),
      Buffer.from('té</title></channel></rss>'),
    ]);

    // Act
    const text = decodeFeedBytes(bytes, 'text/xml');

    // Assess
    expect(text).toBe(
      '<rss><channel><title>Zürich, Genève, Köln: \uFFFDté</title></channel></rss>'
    );
  });

  it('falls back to UTF-8 for an unknown charset label', () => {
    // Act
    const text = decodeFeedBytes(Buffer.from('<rss>café</rss>'), 'text/xml; charset=x-klingon');

    // Assess
    expect(text).toBe('<rss>café</rss>');
  });
});
