import type { Item } from '../../lambdas/core/common/types.ts';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An RSS 2.0 document for `items`, newest first, as a news site would serve it. */
export const rssFeed = (title: string, link: string, items: readonly Item[]): string => {
  const entries = items.map(
    (item) => `    <item>
      <title>${escapeXml(item.title)}</title>
      <link>${escapeXml(item.link ?? link)}</link>
      <guid isPermaLink="false">${escapeXml(item.id)}</guid>
      <pubDate>${new Date(item.published ?? 0).toUTCString()}</pubDate>
      <description>${escapeXml(item.summary ?? '')}</description>
      <content:encoded><![CDATA[<p>${item.content ?? ''}</p>]]></content:encoded>
    </item>`
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${escapeXml(title)}</title>
    <link>${escapeXml(link)}</link>
    <description>${escapeXml(title)} news</description>
${entries.join('\n')}
  </channel>
</rss>
`;
};
