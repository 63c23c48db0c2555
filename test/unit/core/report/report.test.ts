/** The analyst's views: events with their alerts and mutes, listed as text and as one HTML page. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lambdas/core/common/types.ts';
import { attach } from '../../../../lambdas/core/events/attach.ts';
import {
  type ClusterState,
  emptyClusterState,
} from '../../../../lambdas/core/events/event-state.ts';
import { alertDays, eventViews } from '../../../../lambdas/core/report/event-views.ts';
import {
  escapeHtml,
  eventLocation,
  renderReportHtml,
  type WorldMap,
} from '../../../../lambdas/core/report/html.ts';
import { renderEventDetail, renderEventList } from '../../../../lambdas/core/report/listing.ts';
import { at, type ReportName, report } from '../events/fixtures.ts';

const NOW = at('2024-11-30T12:00:00Z');

/** Two events (Aleppo, Kharkiv) and every alert they raised. */
const twoEvents = (
  names: readonly ReportName[] = ['seedWorthy', 'seedSecond', 'otherCountry']
): { state: ClusterState; alerts: Alert[] } => {
  let state = emptyClusterState();
  const alerts: Alert[] = [];
  for (const name of names) {
    const { item, result } = report(name);
    const attached = attach(state, item, result, at('2024-11-29T19:00:00Z'));
    state = attached.state;
    if (attached.alert) alerts.push(attached.alert);
  }
  return { state, alerts };
};

const flatMap: WorldMap = {
  width: 360,
  height: 180,
  land: 'M0,0L1,1Z',
  project: (lon, lat) => [lon + 180, 90 - lat],
};

describe('Function: eventViews', () => {
  it('lists the events most severe first, each with its alerts in order and its mute', () => {
    // Prepare
    const { state, alerts } = twoEvents();
    const aleppo = alerts[0]?.eventId as string;

    // Act
    const views = eventViews(
      state,
      [...alerts].reverse(),
      [{ eventId: aleppo, until: '2024-12-01T00:00:00Z', at: '2024-11-30T00:00:00Z' }],
      { now: NOW }
    );

    // Assess
    expect(views.map((v) => v.severity)).toEqual(['critical', 'high']);
    const [first, second] = views;
    expect(first?.id).toBe(aleppo);
    expect(first?.alerts.map((a) => a.kind)).toEqual(['new', 'update']);
    expect(first?.places.slice(0, 1)).toEqual(['Aleppo']);
    expect(first?.casualties.killed).toEqual({ min: 12, max: 200 });
    expect(first?.sources).toHaveLength(2);
    expect(first?.mute?.until).toBe('2024-12-01T00:00:00Z');
    expect(second?.places).toContain('Kharkiv');
    expect(second?.mute).toBeUndefined();
  });

  it('keeps only events seen since the given time, and ignores an expired mute', () => {
    // Prepare
    const { state, alerts } = twoEvents();

    // Act
    const recent = eventViews(state, alerts, [], { now: NOW, since: at('2024-11-29T17:00:00Z') });
    const expired = eventViews(
      state,
      alerts,
      [
        {
          eventId: alerts[0]?.eventId as string,
          until: '2024-11-30T11:00:00Z',
          at: '2024-11-30T00:00:00Z',
        },
      ],
      { now: NOW }
    );

    // Assess: the Kharkiv report is from 18:00, Aleppo's last from 17:30
    expect(recent.map((v) => v.places[0])).toEqual(['Aleppo', 'Kharkiv']);
    expect(
      eventViews(state, alerts, [], { now: NOW, since: at('2024-11-29T17:45:00Z') })
    ).toHaveLength(1);
    expect(expired.every((v) => v.mute === undefined)).toBe(true);
  });

  it('names the days whose alerts/ folders to read', () => {
    // Prepare
    const { state } = twoEvents();

    // Act
    const days = alertDays(state, { now: NOW });

    // Assess
    expect(days.map((d) => d.toISOString().slice(0, 10))).toEqual(['2024-11-29']);
  });
});

describe('Text listing', () => {
  it('shows each event in three lines, then the mutes', () => {
    // Prepare
    const { state, alerts } = twoEvents();
    const mutes = [
      { eventId: alerts[0]?.eventId as string, until: '2024-12-01T00:00:00Z', at: '', note: 'ops' },
    ];
    const views = eventViews(state, alerts, mutes, { now: NOW });

    // Act
    const list = renderEventList(views, mutes);
    const detail = renderEventDetail(views[0] as (typeof views)[0]);

    // Assess
    expect(list).toMatch(/^CRITICAL evt-[0-9a-f]{12} {2}/);
    expect(list).toContain('12 to 200 killed');
    expect(list).toContain('2 sources, 2 alerts; muted until 2024-12-01 00:00 UTC (ops)');
    expect(list).toMatch(/Muted:\n {2}evt-[0-9a-f]{12} {2}muted until/);
    expect(detail).toContain('Alerts (2):');
    expect(detail).toContain(
      '- first independent corroboration: Second Outlet confirms Worthy News'
    );
    expect(renderEventList([], [])).toBe('No events.\n\nNo event is muted.\n');
  });
});

describe('HTML report', () => {
  it('puts an event at its city, else at its country, else leaves it off the map', () => {
    expect(eventLocation(['Aleppo', 'Syria'])).toMatchObject({
      place: 'Aleppo',
      approximate: false,
    });
    expect(eventLocation(['Nowhereville', 'Syria'])).toMatchObject({
      place: 'Syria',
      approximate: true,
    });
    expect(eventLocation(['Nowhereville'])).toBeUndefined();
  });

  it('draws one marker and one timeline row per event, with the sources linked', () => {
    // Prepare
    const { state, alerts } = twoEvents();
    const views = eventViews(state, alerts, [], { now: NOW });

    // Act
    const html = renderReportHtml(views, flatMap, NOW);

    // Assess
    expect(html.match(/<circle class="marker"/g)).toHaveLength(2);
    expect(html.match(/class="timeline-row"/g)).toHaveLength(2);
    expect(html.match(/<section class="event"/g)).toHaveLength(2);
    expect(html).toContain('href="https://');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
  });

  it('escapes every text and links only http(s)', () => {
    // Prepare: a hostile feed's title, outlet and link
    const { state, alerts } = twoEvents(['seedWorthy']);
    const event = state.events[0];
    const hostile: ClusterState = {
      version: 1,
      events: [
        {
          ...(event as NonNullable<typeof event>),
          reports: (event?.reports ?? []).map((r) => ({
            ...r,
            title: '<script>alert(1)</script> "quoted" & more',
            outlet: '<img src=x onerror=alert(1)>',
            link: 'javascript:alert(1)',
          })),
        },
      ],
    };

    // Act
    const html = renderReportHtml(eventViews(hostile, alerts, [], { now: NOW }), flatMap, NOW);

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; more');
    expect(escapeHtml(`<a href='x'>&`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;');
  });
});
