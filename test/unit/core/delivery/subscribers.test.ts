import { describe, expect, it } from 'vitest';
import type { Subscriber } from '../../../../lambdas/core/common/types.ts';
import {
  digestGroups,
  passesFilter,
  planDelivery,
  TEST_VALUE,
  withShorthands,
} from '../../../../lambdas/core/delivery/delivery-plan.ts';
import { alertAttributes } from '../../../../lambdas/core/delivery/render.ts';
import { validateSubscribers } from '../../../../lambdas/core/delivery/subscribers.ts';
import { seedAlerts } from './fixtures.ts';

const locate = (path: readonly (string | number)[]): string => `f: ${path.join('.')}`;
const vocabulary = {
  countries: new Map([
    ['syria', 'Syria'],
    ['syrian arab republic', 'Syria'],
    ['ukraine', 'Ukraine'],
  ]),
  categories: ['air-strike', 'shelling'],
};

describe('Function: validateSubscribers', () => {
  it('reads every channel, writing watchlist countries as the gazetteer names them', () => {
    // Act
    const { subscribers, problems } = validateSubscribers(
      [
        { email: 'desk@example.org', minSeverity: 'High', countries: ['syrian arab republic'] },
        { sms: '+15555550100' },
        { webhook: 'newsalert/desk-webhook', categories: 'shelling' },
        {
          teams: {
            teamId: '1b2c3d4e-1111-2222-3333-444455556666',
            channelId: '19:abc@thread.tacv2',
            tenantId: '9b2c3d4e-1111-2222-3333-444455556666',
          },
        },
      ],
      locate,
      vocabulary
    );

    // Assess
    expect(problems).toEqual([]);
    expect(subscribers).toEqual([
      {
        channel: { type: 'email', address: 'desk@example.org' },
        minSeverity: 'high',
        countries: ['Syria'],
      },
      { channel: { type: 'sms', number: '+15555550100' } },
      { channel: { type: 'webhook', secret: 'newsalert/desk-webhook' }, categories: ['shelling'] },
      {
        channel: {
          type: 'teams',
          teamId: '1b2c3d4e-1111-2222-3333-444455556666',
          channelId: '19%3Aabc%40thread.tacv2',
          tenantId: '9b2c3d4e-1111-2222-3333-444455556666',
        },
      },
    ]);
  });

  it('fails on every problem, naming the entry and the field', () => {
    // Act
    const { problems } = validateSubscribers(
      [
        { email: 'a@example.org', sms: '+15555550100' },
        { minSeverity: 'low' },
        { email: 'b@example.org', minSeverity: 'severe', digest: 'weekly' },
        { webhook: { secret: 'http://hooks.example.org/x', signingSecrt: 'k' } },
        { sms: '+15555550100', digest: 'daily' },
        { slack: { workspaceId: 'T0123ABCD' }, minSeverity: 'high' },
        { email: 'c@example.org', countries: [] },
        'desk@example.org',
        { webhook: { secret: 'newsalert/desk' }, digest: 'daily' },
      ],
      locate,
      vocabulary
    );

    // Assess
    expect(problems).toEqual([
      'f: 0: entry 1: names email and sms: give one channel per entry',
      'f: 1: entry 2: names no channel: give one of email, sms, webhook, slack, teams',
      'f: 2.minSeverity: entry 3 (email b@example.org): minSeverity "severe" is not one of low, medium, high, critical',
      'f: 2.digest: entry 3 (email b@example.org): digest "weekly" is not \'daily\' (the only digest)',
      "f: 3.webhook.signingSecrt: entry 4: unknown key 'signingSecrt'; did you mean signingSecret?",
      expect.stringMatching(/^f: 3\.webhook\.secret: entry 4: a webhook URL is a secret/),
      'f: 4.digest: entry 5 (sms +15555550100): a daily digest does not fit an SMS: give it to an email entry',
      'f: 5.slack: entry 6: slack needs channelId',
      "f: 5.minSeverity: entry 6: a chat channel receives every alert (AWS Chatbot subscribes it without a filter): remove minSeverity, or use a webhook entry with the channel's incoming webhook",
      'f: 6.countries: entry 7 (email c@example.org): countries must be a non-empty list of names, got a list',
      'f: 7: entry 8: expected a mapping like email: desk@example.org, got "desk@example.org"',
      expect.stringMatching(
        /^f: 8\.digest: entry 9.*webhooks receive each alert, not the daily digest/
      ),
    ]);
  });

  it('fails on a channel listed twice, and on a filter SNS would refuse as too large', () => {
    const many = Array.from({ length: 40 }, (_, i) => `C${i}`);
    const { problems } = validateSubscribers(
      [
        { email: 'a@example.org' },
        { email: 'a@example.org', minSeverity: 'high' },
        { email: 'b@example.org', countries: many, categories: many },
      ],
      locate
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^f: 2: entry 3 \(email b@example\.org\): its filter has 1681 combinations/
      ),
      'f: 1: entry 2 (email a@example.org): the same channel as entry 1; merge them into one entry',
    ]);
  });

  it('accepts a `subscribers:` key holding the list, and refuses an empty file', () => {
    expect(
      validateSubscribers({ subscribers: [{ email: 'a@example.org' }] }, locate).problems
    ).toEqual([]);
    expect(validateSubscribers(null, locate).problems[0]).toMatch(/the file is empty/);
  });
});

describe('Function: planDelivery', () => {
  const subscribers: Subscriber[] = [
    { channel: { type: 'email', address: 'desk@example.org' }, countries: ['Syria'] },
    { channel: { type: 'sms', number: '+15555550100' } },
    { channel: { type: 'sms', number: '+15555550101' }, minSeverity: 'low' },
    {
      channel: { type: 'email', address: 'd1@example.org' },
      digest: 'daily',
      countries: ['Ukraine', 'Syria'],
    },
    {
      channel: { type: 'email', address: 'd2@example.org' },
      digest: 'daily',
      countries: ['Syria', 'Ukraine'],
    },
    { channel: { type: 'email', address: 'd3@example.org' }, digest: 'daily' },
  ];

  it('gives each subscriber the filter of its audience, SMS from smsMinSeverity unless it says', () => {
    const plan = planDelivery(subscribers, 'high');
    expect(plan.subscriptions.map((s) => [s.topic, s.filter])).toEqual([
      ['alerts', { countries: ['Syria', TEST_VALUE] }],
      ['alerts', { sms: ['send'], severity: ['high', 'critical'] }],
      ['alerts', { sms: ['send'], severity: ['low', 'medium', 'high', 'critical'] }],
      ['digest', { digestGroup: [plan.digestGroups[0]?.id, TEST_VALUE] }],
      ['digest', { digestGroup: [plan.digestGroups[0]?.id, TEST_VALUE] }],
      ['digest', { digestGroup: [plan.digestGroups[1]?.id, TEST_VALUE] }],
    ]);
  });

  it('groups digest subscribers by audience, with short ids stable across runs and orders', () => {
    const groups = digestGroups(subscribers);
    expect(groups).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{10}$/), countries: ['Syria', 'Ukraine'] },
      { id: expect.stringMatching(/^[0-9a-f]{10}$/) },
    ]);
    expect(
      digestGroups([...subscribers].reverse())
        .map((g) => g.id)
        .sort()
    ).toEqual(groups.map((g) => g.id).sort());
  });

  it('lets an alert through a filter as SNS would: on a country of its places', () => {
    const [alert] = seedAlerts();
    if (!alert) throw new Error('no seed alert');
    const attributes = alertAttributes({ ...alert, countries: ['Syria'] });
    const [watchSyria] = planDelivery(subscribers, 'high').subscriptions;
    expect(passesFilter(watchSyria?.filter ?? {}, attributes)).toBe(true);
    expect(passesFilter({ countries: ['Ukraine', TEST_VALUE] }, attributes)).toBe(false);
  });
});

describe('Function: withShorthands', () => {
  it('adds alertEmails and alertPhones subscribers the file does not list already', () => {
    const file: Subscriber[] = [
      { channel: { type: 'email', address: 'a@example.org' }, minSeverity: 'high' },
    ];
    const merged = withShorthands(file, [
      { channel: { type: 'email', address: 'a@example.org' } },
      { channel: { type: 'email', address: 'b@example.org' } },
    ]);
    expect(merged.map((s) => [s.channel, s.minSeverity])).toEqual([
      [{ type: 'email', address: 'a@example.org' }, 'high'],
      [{ type: 'email', address: 'b@example.org' }, undefined],
    ]);
  });
});
