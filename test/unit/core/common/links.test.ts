import { describe, expect, it } from 'vitest';
import { httpLink, redactUrl } from '../../../../lambdas/core/common/links.ts';

describe('Function: httpLink', () => {
  it.each([
    ['https://Example.COM/a b', 'https://example.com/a%20b'],
    ['  http://example.com  ', 'http://example.com/'],
    ['HTTPS://example.com/é', 'https://example.com/%C3%A9'],
    ['ftp://example.com/feed', undefined],
    ['javascript:alert(1)', undefined],
    ['mailto:desk@example.com', undefined],
    ['/relative/link', undefined],
    ['example.com/no-scheme', undefined],
    ['http://', undefined],
    ['', undefined],
    ['   ', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (value, expected) => {
    // Act
    const link = httpLink(value, { credentials: 'keep' });

    // Assess
    expect(link).toBe(expected);
  });

  it('keeps or refuses credentials as asked', () => {
    // Prepare
    const value = 'https://user:secret@example.com/feed';

    // Act
    const kept = httpLink(value, { credentials: 'keep' });
    const refused = httpLink(value, { credentials: 'refuse' });
    const userOnly = httpLink('https://user@example.com/', { credentials: 'refuse' });

    // Assess
    expect(kept).toBe('https://user:secret@example.com/feed');
    expect(refused).toBeUndefined();
    expect(userOnly).toBeUndefined();
  });

  it('resolves a relative link against the base, which passes its credentials on', () => {
    // Act
    const plain = httpLink('../b?x=1', { credentials: 'keep', base: 'https://example.com/a/c/' });
    const inherited = httpLink('/p', { credentials: 'keep', base: 'https://u:p@example.com/' });
    const refused = httpLink('/p', { credentials: 'refuse', base: 'https://u:p@example.com/' });
    const otherScheme = httpLink('ftp://x.example/', {
      credentials: 'keep',
      base: 'https://example.com/',
    });

    // Assess
    expect(plain).toBe('https://example.com/a/b?x=1');
    expect(inherited).toBe('https://u:p@example.com/p');
    expect(refused).toBeUndefined();
    expect(otherScheme).toBeUndefined();
  });

  it('takes loosely written absolute links only when asked', () => {
    // Prepare
    const loose = ['http:example.com', 'http:\\\\example.com', 'ht\ttp://example.com'];

    // Act
    const strict = loose.map((value) => httpLink(value, { credentials: 'keep' }));
    const lenient = loose.map((value) => httpLink(value, { credentials: 'keep', loose: true }));

    // Assess
    expect(strict).toEqual([undefined, undefined, undefined]);
    expect(lenient).toEqual(['http://example.com/', 'http://example.com/', 'http://example.com/']);
  });
});

describe('Function: redactUrl', () => {
  it.each([
    ['https://reader:s3cret@feeds.example/rss', 'https://reader:***@feeds.example/rss'],
    ['https://tok3n@feeds.example/rss', 'https://***@feeds.example/rss'],
    ['https://:s3cret@feeds.example/rss', 'https://:***@feeds.example/rss'],
    // the URL parser takes the last '@' before the path: the password here is 'a@b'
    ['http://reader:a@b@feeds.example/rss', 'http://reader:***@feeds.example/rss'],
    ['HTTPS://reader:s3cret@feeds.example/', 'HTTPS://reader:***@feeds.example/'],
  ])('hides the credentials in %s', (url, redacted) => {
    // Act + Assess
    expect(redactUrl(url)).toBe(redacted);
  });

  it.each([
    'https://feeds.example/rss',
    'https://feeds.example/users/@someone/feed?x=a@b#c@d',
    'file:///home/user/feed.xml',
    './feeds/local.xml',
  ])('leaves %s exactly as written', (url) => {
    // Act + Assess
    expect(redactUrl(url)).toBe(url);
  });
});
