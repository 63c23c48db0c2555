/**
 * Links: the one definition of a web link (an http(s) URL with a host, written as the URL parser
 * writes it), for links read from feeds and links shown in alerts alike.
 */

/**
 * What a user name or password written in a URL (`https://user:secret@host/`) does:
 * - 'keep': they stay in the link. For a URL the program fetches (a feed behind Basic auth) and
 *   the links resolved against it, which inherit them.
 * - 'refuse': the value is no link at all. For a link people will see, so that a password never
 *   reaches them.
 */
export type UrlCredentials = 'keep' | 'refuse';

export interface HttpLinkOptions {
  readonly credentials: UrlCredentials;
  /** A relative link is resolved against this URL. Without one, only an absolute link counts. */
  readonly base?: string | undefined;
  /**
   * Without a base, also accept text that is not written `http://...` or `https://...` but that
   * the URL parser completes to an absolute http(s) URL (`http:example.com`, `http:\\example.com`),
   * as feeds in the wild write them. @default false
   */
  readonly loose?: boolean | undefined;
}

const WRITTEN_ABSOLUTE = /^https?:\/\//i;

/**
 * The value as an http(s) link (the URL's href: scheme and host lower-cased, spaces and non-ASCII
 * percent-encoded), or undefined when it is empty, not http(s), has no host, or carries
 * credentials that `options.credentials` refuses. Surrounding whitespace is ignored.
 */
export const httpLink = (
  value: string | undefined,
  options: HttpLinkOptions
): string | undefined => {
  if (!value) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (!options.base && !options.loose && !WRITTEN_ABSOLUTE.test(text)) return undefined;
  try {
    const url = options.base ? new URL(text, options.base) : new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.hostname === '') return undefined;
    if (options.credentials === 'refuse' && (url.username || url.password)) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
};

/**
 * A link people will see (an alert's sources): absolute http(s) only, never with credentials,
 * so a hostile feed cannot put a `javascript:` URL or a password in front of a reader.
 */
export const visibleLink = (value: string | undefined): string | undefined =>
  httpLink(value, { credentials: 'refuse' });

/**
 * The URL to store and to show in messages and logs: credentials written in it are never kept. A
 * password becomes '***' (`https://reader:***@host/`), and so does a user name alone, often a
 * token (`https://***@host/`); everything else stays exactly as written.
 */
export const redactUrl = (url: string): string =>
  // Up to the last '@' before the path: the URL parser reads `a:b@c@host` as password 'b@c'.
  url.replace(/^(https?:\/\/)([^/?#\\]*)@/i, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`;
  });
