/**
 * The analyst's commands on a local data folder after `newsalert demo` (which sends the Aleppo
 * alerts): events, one event in full, mute and unmute, the HTML report; and the report link
 * signed with fake credentials (signing needs no network).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

describe('newsalert events, mute, report (after the demo)', () => {
  let dir: string;
  let data: string;
  let eventId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-analyst-'));
    data = join(dir, 'data');
    const demo = await runCli(['demo', '--data', data]);
    expect(demo.code).toBe(0);
    const listed = await runCli(['events', '--data', data, '--json']);
    eventId = String(listed.lines()[0]?.id);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists the Aleppo event with its alerts, and no mutes', async () => {
    // Act
    const text = await runCli(['events', '--data', data]);
    const json = await runCli(['events', '--data', data, '--json']);

    // Assess
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^CRITICAL evt-[0-9a-f]{12} {2}.*Aleppo/);
    expect(text.stdout).toContain('2 sources, 2 alerts');
    expect(text.stdout).toContain('No event is muted.');
    const lines = json.lines();
    expect(lines.map((l) => l.type)).toEqual(['event', 'mutes']);
    expect(lines[0]).toMatchObject({
      severity: 'critical',
      places: expect.arrayContaining(['Aleppo']),
    });
    expect(lines[0]?.alerts).toHaveLength(2);
  });

  it('shows one event in full, also by an alert id', async () => {
    // Act
    const byEvent = await runCli(['events', eventId, '--data', data]);
    const byAlert = await runCli(['events', `${eventId}:2`, '--data', data]);
    const unknown = await runCli(['events', 'evt-000000000000', '--data', data]);

    // Assess
    expect(byEvent.stdout).toContain(`Event ${eventId}`);
    expect(byEvent.stdout).toContain('Alerts (2):');
    expect(byEvent.stdout).toContain('Sources (2):');
    expect(byAlert.stdout).toBe(byEvent.stdout);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no event evt-000000000000');
  });

  it('filters by --since (the demo events are from November 2024)', async () => {
    // Act
    const recent = await runCli(['events', '--data', data, '--since', '24h']);
    const then = await runCli(['events', '--data', data, '--since', '2024-11-29T00:00Z']);
    const bad = await runCli(['events', '--data', data, '--since', 'yesterday']);

    // Assess
    expect(recent.stdout).toMatch(/^No events\./);
    expect(then.stdout).toContain(eventId);
    expect(bad.code).toBe(2);
  });

  it('mutes and unmutes an event, listed by events', async () => {
    // Act
    const muted = await runCli([
      'mute',
      eventId,
      '--for',
      '2h',
      '--note',
      'desk on it',
      '--data',
      data,
    ]);
    const listed = await runCli(['events', '--data', data]);
    const stored = JSON.parse(await readFile(join(data, 'state', 'mutes.json'), 'utf8'));
    const unmuted = await runCli(['unmute', eventId, '--data', data]);
    const after = await runCli(['events', '--data', data]);
    const unknown = await runCli(['mute', 'evt-000000000000', '--data', data]);

    // Assess
    expect(muted.code).toBe(0);
    expect(muted.stdout).toMatch(new RegExp(`^${eventId} muted until \\d{4}-`));
    expect(listed.stdout).toMatch(/2 alerts; muted until .* \(desk on it\)/);
    expect(listed.stdout).toContain(`Muted:\n  ${eventId}  muted until`);
    expect(stored.mutes).toMatchObject([{ eventId, note: 'desk on it' }]);
    expect(Date.parse(stored.mutes[0].until) - Date.parse(stored.mutes[0].at)).toBe(2 * 3_600_000);
    expect(unmuted.stdout).toBe(`${eventId} unmuted\n`);
    expect(after.stdout).toContain('No event is muted.');
    expect(unknown.code).toBe(2);
  });

  it('writes the HTML report, well under 1 MB', async () => {
    // Act
    const file = join(dir, 'report.html');
    const result = await runCli(['report', '--html', file, '--data', data]);

    // Assess
    expect(result.code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).toContain(`id="${eventId}"`);
    expect(Buffer.byteLength(html)).toBeLessThan(200_000);
  });

  it('prints a time-limited link to reports/latest.html, signed locally', async () => {
    // Act
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret',
      AWS_REGION: 'eu-west-1',
    };
    const link = await runCli(['report', '--url', '--bucket', 'my-alerts', '--expires', '2h'], {
      env,
    });
    const noBucket = await runCli(['report', '--url'], { env });
    const tooLong = await runCli(['report', '--url', '--bucket', 'b', '--expires', '8d'], { env });

    // Assess
    expect(link.code).toBe(0);
    const url = new URL(link.stdout.trim());
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe('my-alerts.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/reports/latest.html');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('7200');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAFAKEFAKEFAKEFAKE\//);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(noBucket.code).toBe(2);
    expect(tooLong.code).toBe(2);
  });
});
