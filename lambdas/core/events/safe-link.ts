/**
 * The link cleaner of the events room: what a report records as its link and what an alert
 * renders, so a hostile feed cannot put a `javascript:` URL or credentials in front of a reader.
 */

/** An absolute http(s) URL, or undefined. */
export const safeLink = (link: string | undefined): string | undefined => {
  if (!link) return undefined;
  const trimmed = link.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
};
