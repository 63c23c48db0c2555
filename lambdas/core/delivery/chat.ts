/**
 * The chat rendering: an AWS Chatbot (Amazon Q Developer in chat applications) custom
 * notification, which Slack and Microsoft Teams channels show as a card; Chatbot drops messages
 * in any other form. SNS gives it to Chatbot's HTTPS subscription as the `https` rendering. Pure.
 */
import { oneLine, truncate } from '../common/plain-text.ts';
import type { Alert } from '../common/types.ts';
import { casualtyText, firstLink, headlineFor, kindLabel, shortPlaces } from './wording.ts';

const TITLE_MAX = 250;
const DESCRIPTION_MAX = 3000;

/**
 * News text made inert in chat markdown: no `<...>` (Slack reads `<!channel>` as a mention of
 * everyone and `<url|text>` as a disguised link), one line.
 */
const inert = (text: string): string => oneLine(text).replace(/[<>]/g, '');

/** A custom notification as Chatbot reads it (version 1.0, source custom). */
export const chatNotification = (
  title: string,
  description: string,
  keywords: readonly string[] = []
): string =>
  JSON.stringify({
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: truncate(inert(title), TITLE_MAX),
      description: truncate(description, DESCRIPTION_MAX),
      ...(keywords.length > 0 ? { keywords: [...keywords] } : {}),
    },
  });

/** The alert as a chat card: what, how bad, where, the summary and the link. */
export const renderChat = (alert: Alert): string => {
  const facts = [
    `*${kindLabel(alert)} ${inert(alert.severity).toUpperCase()}*`,
    inert(shortPlaces(alert.places, 4)),
    casualtyText(alert.casualties),
  ].filter(Boolean);
  const link = firstLink(alert);
  const description = [facts.join(' - '), inert(alert.summary), link ? inert(link) : '']
    .filter(Boolean)
    .join('\n');
  return chatNotification(
    headlineFor(alert, (s) => s),
    description,
    [inert(alert.severity), ...(alert.countries ?? []).map(inert)]
  );
};
