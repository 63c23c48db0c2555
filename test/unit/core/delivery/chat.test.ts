import { describe, expect, it } from 'vitest';
import { renderChat } from '../../../../lambdas/core/delivery/chat.ts';
import { seedAlerts } from './fixtures.ts';

describe('Function: renderChat', () => {
  it('gives an AWS Chatbot custom notification with the headline, facts and link', () => {
    // Prepare
    const [alert] = seedAlerts();
    if (!alert) throw new Error('no seed alert');

    // Act
    const card = JSON.parse(renderChat({ ...alert, countries: ['Syria'] }));

    // Assess
    expect(card).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', keywords: [alert.severity, 'Syria'] },
    });
    expect(card.content.title.length).toBeGreaterThan(0);
    expect(card.content.description).toContain(`*ALERT ${alert.severity.toUpperCase()}*`);
  });

  it('keeps news text inert: no channel-wide mentions or disguised links', () => {
    const [alert] = seedAlerts();
    if (!alert) throw new Error('no seed alert');
    const card = renderChat({
      ...alert,
      headline: '<!channel> Strike on <https://evil.example|the city>',
      summary: 'Reports say <!here> many dead.',
    });
    expect(card).not.toMatch(/<!channel>|<!here>|<https/);
  });
});
