import { readFileSync } from 'node:fs';
import Parser from 'rss-parser';
import { describe, expect, it, vi } from 'vitest';
import { decodeFeedBytes } from '../../../../lambdas/adapters/feed-charset.ts';
import { FeedError } from '../../../../lambdas/core/common/errors.ts';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import {
  MAX_CONTENT_CHARS,
  MAX_ITEMS_PER_FEED,
} from '../../../../lambdas/core/feeds/normalise-feed.ts';
import {
  type ParseFeedOptions,
  parseFeed,
  readFeed,
} from '../../../../lambdas/core/feeds/parse-feed.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../fixtures/feeds/${name}`, import.meta.url), 'utf8');

const NOW = new Date('2024-11-30T00:00:00Z');

const parse = (name: string, feed = { url: `https://feeds.example/${name}` }) =>
  parseFeed(fixture(name), feed, NOW);

const parseError = async (
  text: string,
  url = 'https://feeds.example/feed.xml',
  options: ParseFeedOptions = {}
) => {
  try {
    await parseFeed(text, { url }, NOW, options);
  } catch (err) {
    return err;
  }
  throw new Error('expected parseFeed to throw');
};

const rss = (items: string, channel = '<title>Wire</title><link>https://wire.example/</link>') =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>${channel}${items}</channel></rss>`;

/** Settles like `promise`, or rejects after `ms`: a parse that never settles fails fast. */
const within = <T>(promise: Promise<T>, ms = 5000): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms)
    ),
  ]);

describe('Function: parseFeed', () => {
  it('settles on a document the XML parser rejects twice, and the feeds after it still parse', async () => {
    // Prepare: "<_" opens an element the second, repaired, attempt still cannot read
    const broken = rss('<item><title>a</title><description>x<_</description></item>');

    // Act
    const error = await within(parseError(broken));
    const after = await within(parse('worthy-news.rss.xml'));

    // Assess
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toMatch(/not well-formed XML/);
    expect(after.length).toBeGreaterThan(0);
  });

  describe('the demo feeds', () => {
    it('reads the Worthy News RSS: the Aleppo report and four unrelated stories', async () => {
      // Act
      const items = await parse('worthy-news.rss.xml', {
        url: 'https://www.worthynews.example/feed/',
      });

      // Assess
      expect(items).toHaveLength(5);
      const aleppo = items[0] as Item;
      expect(aleppo).toMatchObject({
        id: 'worthynews-2024-11-29-88231',
        title: 'Syrian Opposition Breaches Aleppo After Car Bombs, Clashes Kill Some 200',
        link: 'https://www.worthynews.example/2024/11/syrian-opposition-breaches-aleppo-after-car-bombs',
        published: '2024-11-29T15:42:00.000Z',
        source: 'Worthy News',
        feed: 'https://www.worthynews.example/feed/',
      });
      expect(aleppo.summary).toMatch(/^DAMASCUS\/JERUSALEM \(Worthy News\) – Syrian opposition/);
      expect(aleppo.summary).toContain('killed some 200 people');
      expect(aleppo.content).toContain('Idlib, where the current fighting occurs');
      expect(aleppo.content).not.toMatch(/<p>|<h3>/);
      expect(items.slice(1).map((i) => i.title)).toEqual([
        'Saudi Arabia Softens Position on Palestinian Statehood, Officials Say',
        'Starbucks Opens Outlet at South Korean Border Observatory',
        'British Lawmakers Vote to Legalize Assisted Dying',
        'Australia Bans Social Media for Children Under 16',
      ]);
      expect(items.slice(1).every((i) => i.content === undefined && i.summary)).toBe(true);
    });

    it('reads the second outlet Atom: the offensive a few hours later and ordinary news', async () => {
      // Act
      const items = await parse('second-outlet.atom.xml', { url: 'demo/second-outlet.atom.xml' });

      // Assess
      expect(items).toHaveLength(5);
      expect(items[0]).toMatchObject({
        id: 'tag:dailydispatch.example,2024-11-29:/world/middle-east/syria-insurgents-offensive-aleppo',
        published: '2024-11-29T19:10:00.000Z',
        source: 'The Daily Dispatch',
        feed: 'demo/second-outlet.atom.xml',
      });
      expect(items[0]?.summary).toMatch(/^Syrian insurgents launched a significant offensive/);
      expect(items[0]?.content).toContain('Saraqab');
      expect(items.map((i) => i.title)).toContain(
        'Title hopefuls set for top-of-the-table clash as injured striker races to be fit'
      );
      expect(items.every((i) => i.link?.startsWith('https://www.dailydispatch.example/'))).toBe(
        true
      );
    });

    it('uses the configured name as the source over the feed title', async () => {
      // Act
      const items = await parse('worthy-news.rss.xml', { url: 'x.xml', name: 'WN' } as never);

      // Assess
      expect(new Set(items.map((i) => i.source))).toEqual(new Set(['WN']));
    });
  });

  describe('formats', () => {
    it('reads RSS 1.0 (RDF) with dc:date', async () => {
      // Act
      const items = await parse('rss-1.0-rdf.xml');

      // Assess
      expect(items).toEqual([
        {
          id: 'https://slashnews.example/story/24/11/29/1',
          title: 'Kernel 6.12 released with real-time support merged',
          summary: 'After twenty years out of tree, the PREEMPT_RT patches are in mainline.',
          link: 'https://slashnews.example/story/24/11/29/1',
          published: '2024-11-29T08:30:00.000Z',
          source: 'Slash News',
          feed: 'https://feeds.example/rss-1.0-rdf.xml',
        },
        expect.objectContaining({ published: '2024-11-29T10:05:00.000Z' }),
      ]);
    });

    it('reads RSS 0.91 with a DOCTYPE and no guids: the link is the id', async () => {
      // Act
      const items = await parse('rss-0.91.xml');

      // Assess
      expect(items.map((i) => [i.id, i.title])).toEqual([
        ['http://gazette.example/news/bridge.html', 'Council approves new bridge over the river'],
        ['http://gazette.example/news/library.html', 'Library extends opening hours'],
      ]);
    });

    it('reads Atom 0.3 with issued dates and escaped content', async () => {
      // Act
      const items = await parse('atom-0.3.xml');

      // Assess
      expect(items).toEqual([
        expect.objectContaining({
          id: 'tag:legacy.example,2024:notes',
          summary: 'Three talks & a panel.',
          published: '2024-11-29T09:00:00.000Z',
          link: 'https://legacy.example/2024/11/notes',
        }),
      ]);
    });

    it('reads Atom with a namespace prefix on every element', async () => {
      // Prepare
      const text =
        '<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Prefixed</a:title>' +
        '<a:link href="https://p.example/"/><a:entry><a:id>p-1</a:id><a:title>Hello</a:title>' +
        '<a:link href="/hello"/><a:updated>2024-11-29T10:00:00Z</a:updated></a:entry></a:feed>';

      // Act
      const items = await parseFeed(text, { url: 'https://p.example/atom' }, NOW);

      // Assess
      expect(items).toEqual([
        {
          id: 'p-1',
          title: 'Hello',
          link: 'https://p.example/hello',
          published: '2024-11-29T10:00:00.000Z',
          source: 'Prefixed',
          feed: 'https://p.example/atom',
        },
      ]);
    });

    it('reads an RSS without a version attribute as RSS 2.0', async () => {
      // Act
      const items = await parseFeed(
        '<rss><channel><title>T</title><item><title>Versionless</title><guid>v-1</guid></item></channel></rss>',
        { url: 'https://t.example/rss' },
        NOW
      );

      // Assess
      expect(items.map((i) => i.id)).toEqual(['v-1']);
    });
  });

  describe('links', () => {
    it('resolves relative links against the feed link and drops javascript: links', async () => {
      // Act
      const items = await parse('atom-relative-links.xml');

      // Assess
      expect(items.map((i) => i.link)).toEqual([
        'https://coast.example/news/2024/11/ferry-timetable',
        'https://coast.example/awards/lifeboat-crew',
        undefined,
      ]);
      expect(items[0]?.source).toBe('Harbour & Coast Times');
    });

    it('resolves against the feed URL when the feed has no link, and keeps only http(s)', async () => {
      // Prepare
      const text = rss(
        [
          '<item><title>a</title><link>/story/1</link></item>',
          '<item><title>b</title><link>mailto:desk@wire.example</link></item>',
          '<item><title>c</title><link>data:text/html,hi</link></item>',
          '<item><title>d</title><link>  https://wire.example/d  </link></item>',
        ].join(''),
        '<title>Wire</title>'
      );

      // Act
      const items = await parseFeed(text, { url: 'https://wire.example/feeds/rss' }, NOW);

      // Assess
      expect(items.map((i) => i.link)).toEqual([
        'https://wire.example/story/1',
        undefined,
        undefined,
        'https://wire.example/d',
      ]);
    });

    it('leaves relative links out for a local file feed without an absolute link', async () => {
      // Act
      const items = await parseFeed(
        rss('<item><title>a</title><link>story/1</link></item>', '<title>Local</title>'),
        { url: 'feeds/local.xml' },
        NOW
      );

      // Assess
      expect(items[0]?.link).toBeUndefined();
      expect(items[0]?.source).toBe('Local');
    });
  });

  describe('text', () => {
    it('turns CDATA, markup, entities and double escaping into clean text', async () => {
      // Act
      const items = await parse('rss-cdata-entities.xml');

      // Assess
      expect(items.map((i) => i.title)).toEqual([
        'Breaking: Storm & floods hit coast',
        'Prices up 3 % — café owners worried',
        'Tabs and newlines and zero width',
      ]);
      expect(items[0]?.summary).toBe('Residents were evacuated — officials said.');
      expect(items[1]?.summary).toBe('Double-escaped: bold and 5 < 7');
      expect(items[2]?.link).toBe('https://mayhem.example/a/3');
      expect(JSON.stringify(items)).not.toMatch(/<script|alert|onerror|\u200b|\u202e/);
    });

    it('removes control characters from titles', async () => {
      // Act
      const items = await parse('control-chars.xml');

      // Assess
      expect(items[0]?.title).toBe('Bell and [31m escape chars');
      expect([...(items[0]?.title ?? '')].some((c) => c.charCodeAt(0) < 32)).toBe(false);
    });

    it('keeps content only when it is much longer than the summary, capped', async () => {
      // Prepare
      const long = 'word '.repeat(10_000);
      const text = rss(
        `<item><title>Long</title><guid>l-1</guid><description>Short lede.</description><content:encoded><![CDATA[<p>${long}</p>]]></content:encoded></item>` +
          '<item><title>Same</title><guid>l-2</guid><description>Same text here.</description><content:encoded>Same text here!</content:encoded></item>'
      ).replace(
        '<rss version="2.0">',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
      );

      // Act
      const items = await parseFeed(text, { url: 'https://wire.example/rss' }, NOW);

      // Assess
      expect(items[0]?.summary).toBe('Short lede.');
      expect(items[0]?.content?.length).toBeLessThanOrEqual(MAX_CONTENT_CHARS);
      expect(items[0]?.content?.length).toBeGreaterThan(MAX_CONTENT_CHARS - 10);
      expect(items[0]?.content?.endsWith('…')).toBe(true);
      expect(items[1]?.content).toBeUndefined();
    });
  });

  describe('items without title, link or guid', () => {
    it('hashes title and date when there is no guid or link, titles from the summary, drops empty items', async () => {
      // Act
      const items = await parse('items-missing-fields.xml');

      // Assess
      expect(items).toHaveLength(3);
      expect(items[0]?.id).toMatch(/^hash:[0-9a-f]{64}$/);
      expect(items[0]?.title).toBe('Only a title, no link, no guid');
      expect(items[1]?.id).toBe('https://sparse.example/recount');
      expect(items[1]?.title).toMatch(/^No title here: the summary .*…$/);
      expect(items[1]?.title.length).toBeLessThanOrEqual(120);
      expect(items[2]).toMatchObject({
        id: 'https://sparse.example/permalink',
        link: 'https://sparse.example/permalink',
      });
    });

    it('gives the same hash id on every poll and different ids to different items', async () => {
      // Prepare
      const text = rss(
        '<item><title>Same title</title><pubDate>Fri, 29 Nov 2024 10:00:00 GMT</pubDate></item>' +
          '<item><title>Same title</title><pubDate>Fri, 29 Nov 2024 11:00:00 GMT</pubDate></item>'
      );

      // Act
      const first = await parseFeed(text, { url: 'https://wire.example/rss' }, NOW);
      const second = await parseFeed(text, { url: 'https://wire.example/rss' }, NOW);

      // Assess
      expect(first.map((i) => i.id)).toEqual(second.map((i) => i.id));
      expect(new Set(first.map((i) => i.id)).size).toBe(2);
    });

    it('gives distinct ids to different items that share one guid', async () => {
      // Prepare
      const text = rss(
        '<item><title>One</title><guid>https://wire.example/</guid><link>https://wire.example/1</link></item>' +
          '<item><title>Two</title><guid>https://wire.example/</guid><link>https://wire.example/2</link></item>' +
          '<item><title>Three</title><guid>https://wire.example/</guid></item>' +
          '<item><title>Four</title><guid>four</guid></item>'
      );

      // Act
      const items = await parseFeed(text, { url: 'https://wire.example/rss' }, NOW);

      // Assess
      expect(items.map((i) => i.id)).toEqual([
        'https://wire.example/1',
        'https://wire.example/2',
        expect.stringMatching(/^hash:[0-9a-f]{64}$/),
        'four',
      ]);
    });

    it('hashes very long guids so ids stay bounded', async () => {
      // Act
      const items = await parseFeed(
        rss(`<item><title>t</title><guid isPermaLink="false">${'g'.repeat(5000)}</guid></item>`),
        { url: 'https://wire.example/rss' },
        NOW
      );

      // Assess
      expect(items[0]?.id).toMatch(/^hash:[0-9a-f]{64}$/);
    });
  });

  describe('polling hints', () => {
    it("reads an RSS feed's ttl and skipHours, and none from a feed without them", async () => {
      // Prepare
      const rss = (channel: string) =>
        `<rss version="2.0"><channel><title>T</title>${channel}<item><title>A</title></item></channel></rss>`;

      // Act
      const hinted = await readFeed(
        rss('<ttl>30</ttl><skipHours><hour>1</hour><hour>2</hour><hour>24</hour></skipHours>'),
        { url: 'https://hints.example/rss' },
        NOW
      );
      const single = await readFeed(
        rss('<skipHours><hour>5</hour></skipHours>'),
        { url: 'https://one.example/rss' },
        NOW
      );
      const plain = await readFeed(
        rss('<ttl>soon</ttl>'),
        { url: 'https://plain.example/rss' },
        NOW
      );

      // Assess
      expect(hinted).toMatchObject({ ttlMinutes: 30, skipHours: [0, 1, 2] });
      expect(single.skipHours).toEqual([5]);
      expect(plain).not.toHaveProperty('ttlMinutes');
      expect(plain).not.toHaveProperty('skipHours');
    });
  });

  describe('dates', () => {
    it('leaves out unparseable, far-future and pre-1990 dates', async () => {
      // Act
      const items = await parse('absurd-dates.xml');

      // Assess
      expect(items.map((i) => [i.title, i.published])).toEqual([
        ['Garbage date', undefined],
        ['Far future', undefined],
        ['Before the web', undefined],
        ['Sensible', '2024-11-29T10:00:00.000Z'],
        ['Slightly ahead (time zones)', '2024-11-30T10:00:00.000Z'],
      ]);
    });

    it('recovers an Atom feed whose broken date makes rss-parser throw', async () => {
      // Act
      const items = await parse('atom-bad-date.xml');

      // Assess
      expect(items.map((i) => [i.title, i.published])).toEqual([
        ['Entry with a broken date', undefined],
        ['Entry with a fine date', '2024-11-29T10:00:00.000Z'],
      ]);
    });
  });

  describe('recovery', () => {
    it('reads a feed with bare ampersands', async () => {
      // Act
      const items = await parse('bare-ampersand.xml');

      // Assess
      expect(items).toEqual([
        expect.objectContaining({
          title: 'AT&T and T-Mobile Q&A session',
          link: 'https://qa.example/story?id=7&ref=rss',
          source: 'Q&A Weekly',
        }),
      ]);
    });

    it('reads a bare less-than sign in text', async () => {
      // Act
      const items = await parseFeed(
        rss('<item><title>Inflation < 2% for the first time since 2021</title></item>'),
        { url: 'https://wire.example/rss' },
        NOW
      );

      // Assess
      expect(items[0]?.title).toBe('Inflation < 2% for the first time since 2021');
    });

    it('keeps the text of titles written as markup (RSS child elements, Atom xhtml)', async () => {
      // Prepare
      const atom =
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>X</title><entry><id>x-1</id>' +
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Storm <em>warning</em> issued</div></title></entry></feed>';

      // Act
      const fromRss = await parseFeed(
        rss('<item><title><b>Breaking:</b> bridge <i>closed</i></title><guid>b-1</guid></item>'),
        { url: 'https://wire.example/rss' },
        NOW
      );
      const fromAtom = await parseFeed(atom, { url: 'https://wire.example/atom' }, NOW);

      // Assess
      expect(fromRss[0]?.title).toBe('Breaking: bridge closed');
      expect(fromAtom[0]?.title).toBe('Storm warning issued');
    });

    it('reads an embedded HTML page with a marked-up title inside CDATA', async () => {
      // Prepare
      const html =
        '<html><head><title>Page <b>one</b></title></head><body><p>Body text.</p></body></html>';
      const text = rss(
        `<item><title>Embedded</title><guid>e-1</guid><description><![CDATA[${html}]]></description></item>`
      );

      // Act
      const items = await parseFeed(text, { url: 'https://wire.example/rss' }, NOW);

      // Assess
      expect(items[0]?.title).toBe('Embedded');
      expect(items[0]?.summary).toBe('Page one Body text.');
    });

    it('reads text that starts with a byte-order mark or whitespace', async () => {
      // Act
      const items = await parseFeed(
        `\uFEFF\n\n  ${rss('<item><title>ok</title></item>')}`,
        { url: 'https://wire.example/rss' },
        NOW
      );

      // Assess
      expect(items.map((i) => i.title)).toEqual(['ok']);
    });
  });

  describe('breadth: documents feedparser reads', () => {
    it('expands entities the DOCTYPE declares (internal, nested, backslashes kept)', async () => {
      // Act
      const items = await parse('doctype-internal-entities.xml');

      // Assess
      expect(items).toEqual([
        expect.objectContaining({
          id: 'C:\\data\\1\\new',
          title: 'Flooding closes the coastal road',
          summary: 'Reported by Regional Wire Service & partners.',
          source: 'Regional Wire Service',
        }),
      ]);
    });

    it('reads an RSS 2.0 whose root and elements carry a namespace prefix', async () => {
      // Act
      const items = await parse('prefixed-root-rss.xml');

      // Assess
      expect(items).toEqual([
        expect.objectContaining({
          title: 'Ceasefire talks resume',
          link: 'https://prefixed.example/talks',
          summary: 'Delegations met again.',
          published: '2024-11-29T09:00:00.000Z',
          source: 'Prefixed Wire',
        }),
      ]);
    });

    it('reads RSS 1.0 items with a prefix, taking the RSS description over a clashing extension', async () => {
      // Act
      const items = await parse('prefixed-rdf-items.xml');

      // Assess
      expect(items).toEqual([
        expect.objectContaining({
          id: 'https://rdf.example/1',
          title: 'Port reopens',
          summary: 'Ships are moving again.',
        }),
      ]);
    });

    it('reads a CDF channel: HREF and LASTMOD attributes, TITLE and ABSTRACT elements', async () => {
      // Act
      const items = await parse('cdf-channel.xml');

      // Assess
      expect(items).toEqual([
        expect.objectContaining({
          id: 'https://cdf.example/story/1',
          title: 'Bridge reopens after repairs',
          summary: 'Traffic flows again across the river.',
          link: 'https://cdf.example/story/1',
          published: '2024-11-29T07:30:00.000Z',
          source: 'Channel Definition Format news',
        }),
        expect.objectContaining({ title: 'Market hours extended' }),
      ]);
    });

    it('reads a declared-encoding document with no channel as an empty feed, not a TypeError', async () => {
      // Prepare: bytes as served, Latin-1 declared
      const bytes = readFileSync(
        new URL('../../../fixtures/feeds/encoding-declared-no-channel.xml', import.meta.url)
      );

      // Act
      const items = await parseFeed(decodeFeedBytes(bytes), { url: 'https://enc.example/' }, NOW);
      const rdf = await parseFeed(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>',
        { url: 'https://enc.example/rdf' },
        NOW
      );

      // Assess
      expect(items).toEqual([]);
      expect(rdf).toEqual([]);
    });

    it('never shows a JavaScript error text as the reason: an unexpected failure reads plainly', async () => {
      // Prepare: a failure inside the reader between two slices
      const text = rss(
        Array.from({ length: 2000 }, (_, i) => `<item><title>Story ${i}</title></item>`).join('')
      );
      const pause = async () => {
        throw new TypeError("Cannot read properties of undefined (reading '0')");
      };

      // Act
      const error = await parseError(text, 'https://odd.example/rss', { pause });

      // Assess
      expect(error).toBeInstanceOf(FeedError);
      expect((error as Error).message).toBe(
        'not a usable feed: https://odd.example/rss could not be read as RSS, Atom or CDF'
      );
      expect((error as Error).message).not.toMatch(/TypeError|cannot read properties/i);
      expect((error as Error).cause).toBeInstanceOf(TypeError);
    });
  });

  describe('fails with a readable reason', () => {
    it('fails for an HTML page', async () => {
      // Act
      const err = await parseError(fixture('html-page.html'), 'https://news.example/');

      // Assess
      expect(err).toBeInstanceOf(FeedError);
      expect((err as FeedError).url).toBe('https://news.example/');
      expect((err as Error).message).toBe(
        "not an RSS or Atom feed: looks like an HTML page (https://news.example/); use the site's feed URL"
      );
    });

    it('fails for truncated XML', async () => {
      // Act
      const err = await parseError(fixture('invalid-truncated.xml'));

      // Assess
      expect((err as Error).message).toBe(
        'not well-formed XML in https://feeds.example/feed.xml: unclosed root tag'
      );
    });

    it('fails for an empty body', async () => {
      // Act
      const err = await parseError(' \n ');

      // Assess
      expect((err as Error).message).toMatch(/^empty response from https:\/\/feeds.example/);
    });

    it('fails for XML that is not a feed, naming its root element', async () => {
      // Act
      const err = await parseError('<?xml version="1.0"?><svg><g/></svg>');

      // Assess
      expect((err as Error).message).toMatch(/root element is <svg>/);
    });

    it('fails for plain text and JSON', async () => {
      // Act
      const text = await parseError('Service temporarily unavailable');
      const json = await parseError('{"items": []}');

      // Assess
      expect((text as Error).message).toMatch(/^not an RSS or Atom feed: no XML element/);
      expect((json as Error).message).toMatch(/^not an RSS or Atom feed/);
    });
  });

  describe('hostile input', () => {
    it('does not expand entities (billion laughs) or read external ones (XXE)', async () => {
      // Prepare
      const started = performance.now();

      // Act
      let outcome: unknown;
      try {
        outcome = await parse('entity-bomb.xml');
      } catch (err) {
        outcome = err;
      }

      // Assess
      expect(performance.now() - started).toBeLessThan(1000);
      const shown = outcome instanceof Error ? outcome.message : JSON.stringify(outcome);
      expect(shown).not.toContain('lollol');
      expect(shown).not.toMatch(/root:|\/bin\/(ba)?sh/);
      expect(shown.length).toBeLessThan(2000);
    });

    it('refuses entities that expand past the bound, quickly and without their text', async () => {
      // Prepare
      const started = performance.now();

      // Act
      const err = await parseError(fixture('entity-expansion-bomb.xml'));

      // Assess
      expect(performance.now() - started).toBeLessThan(1000);
      expect(err).toBeInstanceOf(FeedError);
      expect((err as Error).message).toBe(
        'not a usable feed: its DOCTYPE entities expand to more than 1000000 characters (an entity expansion bomb?) in https://feeds.example/feed.xml'
      );
    });

    it('refuses a document that uses an external entity, without reading it', async () => {
      // Act
      const xxe = await parseError(fixture('xxe-external-entity.xml'));
      const bomb = await parseError(fixture('entity-bomb.xml'));

      // Assess
      for (const err of [xxe, bomb]) {
        expect(err).toBeInstanceOf(FeedError);
        expect((err as Error).message).toBe(
          'not a usable feed: it uses the external entity &xxe; (external entities are never read) in https://feeds.example/feed.xml'
        );
      }
    });

    it('reads a 5 MiB feed of ~170,000 tiny items in slices, keeping the cap and counting them all', async () => {
      // Prepare
      const parts: string[] = [];
      let size = 0;
      for (let i = 0; size < 5 * 1024 * 1024 - 200; i += 1) {
        const part = `<item><title>t${i}</title></item>`;
        parts.push(part);
        size += part.length;
      }
      const text = rss(parts.join(''));
      let pauses = 0;
      const pause = () => {
        pauses += 1;
        return new Promise<void>((resolve) => setImmediate(resolve));
      };

      // Act
      const started = performance.now();
      const parsed = await readFeed(text, { url: 'https://flood.example/rss' }, NOW, { pause });
      const elapsed = performance.now() - started;

      // Assess
      expect(parsed.itemsSeen).toBe(parts.length);
      expect(parsed.itemsSeen).toBeGreaterThan(150_000);
      expect(parsed.items).toHaveLength(MAX_ITEMS_PER_FEED);
      expect(pauses).toBeGreaterThanOrEqual(Math.floor(text.length / (64 * 1024)));
      expect(elapsed).toBeLessThan(10_000);
    });

    it('stops reading once the signal is aborted, with a readable reason', async () => {
      // Prepare
      const text = rss(
        Array.from({ length: 20_000 }, (_, i) => `<item><title>Story ${i}</title></item>`).join('')
      );
      const controller = new AbortController();
      let slices = 0;
      const pause = async () => {
        slices += 1;
        if (slices === 2) controller.abort();
      };

      // Act
      const error = await parseError(text, 'https://slow.example/rss', {
        signal: controller.signal,
        pause,
      });

      // Assess
      expect(slices).toBe(2);
      expect(error).toBeInstanceOf(FeedError);
      expect((error as Error).message).toBe(
        'not a usable feed: reading https://slow.example/rss took too long'
      );
    });

    it('fails readably for absurdly deep nesting', async () => {
      // Prepare
      const depth = 50_000;
      const text = rss(
        `<item><title>deep</title><description>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</description></item>`
      );

      // Act
      const err = await parseError(text);

      // Assess
      expect(err).toBeInstanceOf(FeedError);
      expect((err as Error).message).toBe(
        'not a usable feed: elements nested too deeply in https://feeds.example/feed.xml'
      );
    });

    it(`keeps at most ${MAX_ITEMS_PER_FEED} of 20,000 items, the newest`, async () => {
      // Prepare
      const entries = Array.from({ length: 20_000 }, (_, i) => {
        const at = new Date(Date.UTC(2024, 10, 1) + i * 60_000).toUTCString();
        return `<item><title>Story ${i}</title><guid isPermaLink="false">s-${i}</guid><pubDate>${at}</pubDate></item>`;
      });
      const text = rss(entries.join('\n'));

      // Act
      const started = performance.now();
      const items = await parseFeed(text, { url: 'https://busy.example/rss' }, NOW);
      const elapsed = performance.now() - started;

      // Assess
      expect(items).toHaveLength(MAX_ITEMS_PER_FEED);
      expect(items[0]?.id).toBe('s-19999');
      expect(items.at(-1)?.id).toBe(`s-${20_000 - MAX_ITEMS_PER_FEED}`);
      expect(elapsed).toBeLessThan(10_000);
    });
  });
});

describe('Function: parseFeed, with rss-parser as the parser', () => {
  it('reads every document with its own rss-parser instance, and settles when rss-parser rejects a feed', async () => {
    // Prepare: a date rss-parser throws on, in CDATA so the repaired attempt keeps it too
    const parsers = new Set<Parser>();
    const original = Parser.prototype.parseString;
    const spy = vi.spyOn(Parser.prototype, 'parseString').mockImplementation(function (
      this: Parser,
      xml: string
    ) {
      parsers.add(this);
      return original.call(this, xml);
    });
    const rejected =
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>' +
      '<entry><title>a</title><updated><![CDATA[not a date]]></updated></entry></feed>';

    // Act
    const error = await within(parseError(rejected));
    const after = await within(parse('worthy-news.rss.xml'));
    spy.mockRestore();

    // Assess: two attempts at the rejected feed, one for the next, each with a new parser
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toBe(
      'not a usable feed: https://feeds.example/feed.xml could not be read as RSS, Atom or CDF'
    );
    expect(after).toHaveLength(5);
    expect(parsers.size).toBe(3);
  });
});
