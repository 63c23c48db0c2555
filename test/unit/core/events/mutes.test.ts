/**
 * Mutes: a muted event's updates are recorded silently until the mute ends, except an update
 * that raises the severity, which is sent and says it was muted; expired mutes are ignored and
 * dropped on the next write.
 */
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../../lambdas/core/delivery/email.ts';
import { renderSms } from '../../../../lambdas/core/delivery/sms.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import { emptyClusterState } from '../../../../lambdas/core/events/event-state.ts';
import {
  activeMutes,
  type Mute,
  parseMuteList,
  withMute,
  withoutMute,
} from '../../../../lambdas/core/events/mutes.ts';
import { at, type ReportName, report } from './fixtures.ts';

const opened = () => {
  const { item, result } = report('seedSecond');
  return attach(emptyClusterState(), item, result, at('2024-11-29T18:00:00Z'));
};

const mute = (eventId: string, until: string): Mute => ({
  eventId,
  until,
  at: '2024-11-29T18:30:00.000Z',
  note: 'desk on it',
});

const later = (
  state: ReturnType<typeof opened>['state'],
  name: ReportName,
  now: string,
  mutes: readonly Mute[]
) => {
  const { item, result } = report(name);
  return attach(state, item, result, at(now), {}, at(now), mutes);
};

describe('Function: attach, with mutes', () => {
  it('records an update of a muted event without sending it', () => {
    // Prepare
    const first = opened();
    const id = first.eventId as string;

    // Act
    const muted = later(first.state, 'newCity', '2024-11-30T18:05:00Z', [
      mute(id, '2024-12-01T18:00:00Z'),
    ]);

    // Assess: joined silently, kept for the next alert's headline
    expect(muted.eventId).toBe(id);
    expect(muted.alert).toBeUndefined();
    const event = muted.state.events[0];
    expect(event?.alerts).toBe(1);
    expect(event?.sinceAlert).toContain(report('newCity').item.id);
  });

  it('sends an update that raises the severity, marked as sent through a mute', () => {
    // Prepare
    const first = opened();
    const id = first.eventId as string;
    const mutes = [mute(id, '2024-12-01T18:00:00Z')];
    const quiet = later(first.state, 'newCity', '2024-11-30T18:05:00Z', mutes);

    // Act: high → critical
    const raised = later(quiet.state, 'tollRises', '2024-11-30T18:10:00Z', mutes);

    // Assess
    expect(raised.alert?.kind).toBe('update');
    expect(raised.alert?.severity).toBe('critical');
    expect(raised.alert?.reasons).toContain('severity up from high to critical');
    expect(raised.alert?.muted).toEqual({ until: '2024-12-01T18:00:00Z', note: 'desk on it' });
    const email = renderEmail(raised.alert as NonNullable<typeof raised.alert>);
    expect(email).toContain(
      'This event is muted until 2024-12-01 18:00 UTC (desk on it); this update is sent because its severity rose.'
    );
    expect(renderSms(raised.alert as NonNullable<typeof raised.alert>)).toMatch(
      /^UPDATE \(muted\) CRITICAL:/
    );
  });

  it('sends the update again once the mute has ended', () => {
    // Prepare
    const first = opened();
    const id = first.eventId as string;

    // Act: the mute ended an hour before
    const after = later(first.state, 'newCity', '2024-11-30T18:05:00Z', [
      mute(id, '2024-11-30T17:05:00Z'),
    ]);

    // Assess
    expect(after.alert?.kind).toBe('update');
    expect(after.alert?.reasons).toContain('new place: Hama');
    expect(after.alert?.muted).toBeUndefined();
  });

  it('leaves other events alone', () => {
    // Prepare
    const first = opened();

    // Act
    const other = later(first.state, 'newCity', '2024-11-30T18:05:00Z', [
      mute('evt-000000000000', '2024-12-01T18:00:00Z'),
    ]);

    // Assess
    expect(other.alert?.kind).toBe('update');
  });
});

describe('Mute lists', () => {
  const now = at('2024-11-30T12:00:00Z');
  const list = {
    version: 1 as const,
    mutes: [mute('evt-a', '2024-11-30T11:00:00Z'), mute('evt-b', '2024-12-01T00:00:00Z')],
  };

  it('ignores expired mutes and drops them on the next write', () => {
    // Act
    const added = withMute(list, mute('evt-c', '2024-12-02T00:00:00Z'), now);
    const removed = withoutMute(list, 'evt-b', now);

    // Assess
    expect(activeMutes(list, now).map((m) => m.eventId)).toEqual(['evt-b']);
    expect(added.mutes.map((m) => m.eventId)).toEqual(['evt-b', 'evt-c']);
    expect(removed.mutes).toEqual([]);
  });

  it('replaces an earlier mute of the same event', () => {
    // Act
    const again = withMute(list, mute('evt-b', '2024-12-05T00:00:00Z'), now);

    // Assess
    expect(again.mutes).toEqual([mute('evt-b', '2024-12-05T00:00:00Z')]);
  });

  it('reads back what it writes, and fails on anything else naming the problem', () => {
    expect(parseMuteList(JSON.stringify(list))).toEqual(list);
    expect(() => parseMuteList('{')).toThrow(/not valid JSON/);
    expect(() => parseMuteList('{"version":2,"mutes":[]}')).toThrow(/version/);
    expect(() => parseMuteList('{"version":1,"mutes":[{"eventId":1}]}')).toThrow(
      /eventId, until, at/
    );
  });
});
