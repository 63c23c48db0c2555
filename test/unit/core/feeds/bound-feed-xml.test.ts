import sax from 'sax';
import { describe, expect, it } from 'vitest';
import {
  boundFeedXml,
  MAX_ITEM_CHARS,
  MAX_OUTSIDE_CHARS,
} from '../../../../lambdas/core/feeds/bound-feed-xml.ts';

const URL = 'https://feeds.example/feed.xml';
const noPause = async () => {};

const bound = (text: string, maxItems = 100) =>
  boundFeedXml(text, URL, { maxItems, pause: noPause });

/** Throws unless `xml` is well-formed. */
const wellFormed = (xml: string): void => {
  const parser = sax.parser(true);
  parser.onerror = (err) => {
    throw err;
  };
  parser.write(xml).close();
};

const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${items}</channel></rss>`;

describe('Function: boundFeedXml', () => {
  it('writes a normal feed out as it is, for rss-parser', async () => {
    // Act
    const { xml, itemsSeen } = await bound(
      rss('<item><title>A &amp; B</title><pubDate>Fri, 29 Nov 2024 10:00:00 GMT</pubDate></item>')
    );

    // Assess
    expect(itemsSeen).toBe(1);
    expect(xml).toBe(
      '<rss version="2.0"><channel><title>Wire</title><item><title>A &amp; B</title>' +
        '<pubDate>Fri, 29 Nov 2024 10:00:00 GMT</pubDate></item></channel></rss>'
    );
  });

  it('counts every item and keeps the newest up to the cap, newest first', async () => {
    // Prepare: oldest first, as some feeds list them
    const items = Array.from({ length: 5000 }, (_, i) => {
      const at = new Date(Date.UTC(2024, 10, 1) + i * 60_000).toUTCString();
      return `<item><guid>s-${i}</guid><pubDate>${at}</pubDate></item>`;
    });

    // Act
    const { xml, itemsSeen } = await bound(rss(items.join('')), 100);

    // Assess
    expect(itemsSeen).toBe(5000);
    const guids = [...xml.matchAll(/<guid>(s-\d+)<\/guid>/g)].map((m) => m[1]);
    expect(guids).toHaveLength(100);
    expect(guids[0]).toBe('s-4999');
    expect(guids.at(-1)).toBe('s-4900');
    wellFormed(xml);
  });

  it('leaves out what is over an item bound, closing every element it opened', async () => {
    // Prepare: one item of many large fields, past the item bound
    const field = `<category>${'x'.repeat(200_000)}</category>`;
    const text = rss(
      `<item><title>big</title>${field.repeat(8)}<link>https://a.example/</link></item>`
    );

    // Act
    const { xml } = await bound(text);

    // Assess
    expect(xml.length).toBeLessThan(MAX_ITEM_CHARS + 1000);
    expect(xml).toContain('<link>https://a.example/</link>');
    expect(xml.endsWith('</item></channel></rss>')).toBe(true);
    wellFormed(xml);
  });

  it('bounds what is outside items, and still writes the items after it', async () => {
    // Prepare
    const junk = '<junk>y</junk>'.repeat(Math.ceil(MAX_OUTSIDE_CHARS / 14) + 1000);

    // Act
    const { xml, itemsSeen } = await bound(rss(`${junk}<item><title>after</title></item>`));

    // Assess
    expect(itemsSeen).toBe(1);
    expect(xml.length).toBeLessThan(MAX_OUTSIDE_CHARS + 1000);
    expect(xml).toContain('<item><title>after</title></item></channel></rss>');
    wellFormed(xml);
  });

  it('expands DOCTYPE entities into text and drops the DOCTYPE', async () => {
    // Act
    const { xml } = await bound(
      '<!DOCTYPE rss [<!ENTITY co "A &amp; Co">]><rss version="2.0"><channel><title>&co;</title></channel></rss>'
    );

    // Assess
    expect(xml).toBe('<rss version="2.0"><channel><title>A &amp; Co</title></channel></rss>');
  });

  it('writes prefixed roots and the feed namespace elements unprefixed, extensions by their usual prefix', async () => {
    // Act
    const { xml } = await bound(
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:d="http://purl.org/dc/elements/1.1/">' +
        '<a:entry><a:title>t</a:title><d:date>2024-11-29</d:date></a:entry></a:feed>'
    );

    // Assess
    expect(xml).toBe(
      '<feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:d="http://purl.org/dc/elements/1.1/">' +
        '<entry><title>t</title><dc:date>2024-11-29</dc:date></entry></feed>'
    );
  });

  it('names an RDF root rdf:RDF, as rss-parser knows it', async () => {
    // Act
    const { xml } = await bound(
      '<r:RDF xmlns:r="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></r:RDF>'
    );

    // Assess
    expect(xml.startsWith('<rdf:RDF ')).toBe(true);
    expect(xml.endsWith('</rdf:RDF>')).toBe(true);
  });

  it('rewrites a CDF channel as RSS 2.0', async () => {
    // Act
    const { xml } = await bound(
      '<CHANNEL HREF="https://cdf.example/"><TITLE>News</TITLE>' +
        '<CHANNEL><ITEM HREF="/1" LASTMOD="2024-11-29T07:30:00Z"><TITLE>One</TITLE><ABSTRACT>x</ABSTRACT></ITEM></CHANNEL>' +
        '</CHANNEL>'
    );

    // Assess
    expect(xml).toBe(
      '<rss version="2.0"><channel><link>https://cdf.example/</link><title>News</title>' +
        '<item><link>/1</link><updated>2024-11-29T07:30:00Z</updated><title>One</title>' +
        '<description>x</description></item></channel></rss>'
    );
  });

  it('gives an RSS document without a channel an empty one', async () => {
    // Act
    const { xml } = await bound('<rss version="2.0"></rss>');

    // Assess
    expect(xml).toBe('<rss version="2.0"><channel></channel></rss>');
  });

  it('writes markup inside a title as text', async () => {
    // Act
    const { xml } = await bound(rss('<item><title><b>Breaking</b> news</title></item>'));

    // Assess
    expect(xml).toContain('<title>&lt;b&gt;Breaking&lt;/b&gt; news</title>');
  });
});
