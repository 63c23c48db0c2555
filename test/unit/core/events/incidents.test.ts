import { describe, expect, it } from 'vitest';
import { demonymCountries } from '../../../../lambdas/core/common/places.ts';
import type {
  Alert,
  Casualties,
  Classification,
  Item,
} from '../../../../lambdas/core/common/types.ts';
import { attach, isTooOld } from '../../../../lambdas/core/events/attach.ts';
import type { ClusterOptions } from '../../../../lambdas/core/events/cluster-options.ts';
import {
  type ClusterState,
  emptyClusterState,
} from '../../../../lambdas/core/events/event-state.ts';
import { differentSites, siteKinds } from '../../../../lambdas/core/events/incident.ts';
import { matchScore } from '../../../../lambdas/core/events/match-score.ts';
import { toReport } from '../../../../lambdas/core/events/report.ts';

interface Report {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly published?: string;
  readonly source: string;
  readonly killed?: number;
  readonly categories?: string[];
  readonly places?: string[];
}

const classified = (r: Report): { item: Item; result: Classification } => {
  const casualties: Casualties | undefined =
    r.killed === undefined ? undefined : { killed: r.killed };
  return {
    item: {
      id: r.id,
      title: r.title,
      summary: r.summary,
      source: r.source,
      ...(r.published ? { published: r.published } : {}),
    },
    result: {
      id: r.id,
      escalation: true,
      severity: (r.killed ?? 0) >= 10 ? 'critical' : 'high',
      score: 5,
      categories: r.categories ?? ['air-strike'],
      places: r.places ?? ['Kharkiv', 'Ukraine'],
      ...(casualties ? { casualties } : {}),
      matches: [{ rule: 'air-strike', text: 'strike', field: 'title', start: 0, end: 6 }],
    },
  };
};

/** Attaches reports in order, each at its own time (or `now`), collecting the alerts. */
const run = (reports: readonly Report[], options: ClusterOptions = {}, now?: string) => {
  let state: ClusterState = emptyClusterState();
  const alerts: Alert[] = [];
  const tooOld: string[] = [];
  for (const r of reports) {
    const { item, result } = classified(r);
    const at = new Date(now ?? Date.parse(r.published ?? '') + 5 * 60_000);
    const attached = attach(state, item, result, at, options);
    state = attached.state;
    if (attached.alert) alerts.push(attached.alert);
    if (attached.tooOld) tooOld.push(r.id);
  }
  return { state, alerts, tooOld };
};

// Three attacks on one city in one day, then a fourth two days later: each its own incident.
const apartment: Report = {
  id: 'apartment',
  title: 'Russian missile strike on Kharkiv apartment block kills 14',
  summary:
    'A Russian missile hit a nine-storey apartment block in Kharkiv on Tuesday morning, killing 14 people, the regional governor said.',
  published: '2024-05-14T07:00:00Z',
  source: 'Wire A',
  killed: 14,
};
const school: Report = {
  id: 'school',
  title: 'Strike on Kharkiv school kills three children',
  summary:
    'Three children were killed when a Russian guided bomb hit a school in Kharkiv on Tuesday afternoon, officials said.',
  published: '2024-05-14T13:00:00Z',
  source: 'Wire B',
  killed: 3,
};
const mall: Report = {
  id: 'mall',
  title: 'Russian bombs hit Kharkiv shopping centre, killing 60',
  summary:
    'At least 60 people were killed when Russian glide bombs struck a crowded shopping centre in Kharkiv on Tuesday evening.',
  published: '2024-05-14T18:00:00Z',
  source: 'Wire C',
  killed: 60,
};
const apartmentToll: Report = {
  id: 'apartment-toll',
  title: 'Death toll from Kharkiv apartment block strike rises to 21',
  summary:
    'Rescuers pulled more bodies from the rubble of the apartment block in Kharkiv hit by a Russian missile, bringing the death toll to 21.',
  published: '2024-05-14T20:00:00Z',
  source: 'Wire D',
  killed: 21,
};
const powerPlant: Report = {
  id: 'power-plant',
  title: 'Russian missiles hit Kharkiv power plant, cutting electricity',
  summary: 'Russian missiles struck a power plant in Kharkiv overnight, the mayor said.',
  published: '2024-05-16T03:00:00Z',
  source: 'Wire A',
};

describe('Function: siteKinds', () => {
  it('names the kind of site a text says was hit', () => {
    expect(siteKinds(apartment.title)).toEqual(['residential']);
    expect(siteKinds(school.summary)).toEqual(['school']);
    expect(siteKinds(mall.title)).toEqual(['market']);
    expect(siteKinds(powerPlant.summary)).toEqual(['energy']);
    expect(siteKinds('Gunmen storm a hotel and a police station')).toEqual([
      'hospitality',
      'authority',
    ]);
    expect(siteKinds('Insurgents push into the outskirts of Aleppo')).toEqual([]);
  });

  it('tells incidents apart only when both name a site and share none', () => {
    expect(differentSites(['school'], ['market'])).toBe(true);
    expect(differentSites(['school', 'market'], ['market'])).toBe(false);
    expect(differentSites([], ['market'])).toBe(false);
    expect(differentSites(['school'], [])).toBe(false);
  });
});

describe('Function: attach, incidents versus stories', () => {
  it('keeps three attacks on one city in one day as three events, with their own figures', () => {
    // Act
    const { state, alerts } = run([apartment, school, mall]);

    // Assess: three new alerts, no update, each with its own toll
    expect(alerts.map((a) => a.kind)).toEqual(['new', 'new', 'new']);
    expect(new Set(alerts.map((a) => a.eventId)).size).toBe(3);
    expect(alerts.map((a) => a.casualties)).toEqual([
      { killed: { min: 14, max: 14 } },
      { killed: { min: 3, max: 3 } },
      { killed: { min: 60, max: 60 } },
    ]);
    expect(state.events.map((e) => e.reports.map((r) => r.itemId))).toEqual([
      ['apartment'],
      ['school'],
      ['mall'],
    ]);
  });

  it('adds a later report of one incident to that incident only, never comparing across incidents', () => {
    // Act
    const { state, alerts } = run([apartment, school, mall, apartmentToll]);

    // Assess: the toll report joins the apartment block, not the shopping centre's 60
    const apartmentEvent = state.events.find((e) =>
      e.reports.some((r) => r.itemId === 'apartment')
    );
    expect(apartmentEvent?.reports.map((r) => r.itemId)).toEqual(['apartment', 'apartment-toll']);
    for (const alert of alerts) {
      const killed = alert.casualties.killed;
      expect((killed?.max ?? 0) / (killed?.min ?? 1)).toBeLessThan(2);
    }
  });

  it('alerts on a strike on another site of the same city two days later', () => {
    // Act
    const { alerts } = run([apartment, school, mall, apartmentToll, powerPlant]);

    // Assess
    const last = alerts.at(-1);
    expect(last?.kind).toBe('new');
    expect(last?.headline).toMatch(/power plant/);
    expect(last?.sources.map((s) => s.itemId)).toEqual(['power-plant']);
  });

  it('lets reports that name no site join the event of their place, as before', () => {
    // Prepare
    const noSite: Report = {
      id: 'no-site',
      title: 'Russian missile strike kills 14 in Kharkiv',
      summary: 'A Russian missile strike killed 14 people in Kharkiv, the regional governor said.',
      published: '2024-05-14T08:00:00Z',
      source: 'Wire E',
      killed: 14,
    };

    // Act
    const { state } = run([apartment, noSite]);

    // Assess
    expect(state.events).toHaveLength(1);
  });
});

describe('Function: attach, old news', () => {
  it('raises no alert for an item published long before it is first seen, and leaves the state as it was', () => {
    // Prepare: a 2019 report still listed in a feed at a first deploy
    const old: Report = {
      id: 'kabul-2019',
      title: 'Suicide bomber kills 30 at Kabul wedding',
      summary: 'A suicide bomber killed 30 people at a wedding hall in Kabul, officials said.',
      published: '2019-08-17T20:00:00Z',
      source: 'Wire A',
      killed: 30,
      places: ['Kabul', 'Afghanistan'],
    };

    // Act
    const { state, alerts, tooOld } = run([old], {}, '2024-05-14T07:05:00Z');

    // Assess
    expect(alerts).toEqual([]);
    expect(tooOld).toEqual(['kabul-2019']);
    expect(state.events).toEqual([]);
  });

  it('never counts an old report as an update of an open event', () => {
    // Prepare: yesterday's report of the same block, first seen today
    const yesterday: Report = {
      ...apartmentToll,
      id: 'old-toll',
      published: '2024-05-13T06:00:00Z',
    };

    // Act
    const { state, alerts } = run([apartment, yesterday], {}, '2024-05-14T07:05:00Z');

    // Assess
    expect(alerts.map((a) => a.kind)).toEqual(['new']);
    expect(state.events[0]?.reports.map((r) => r.itemId)).toEqual(['apartment']);
  });

  it('takes an undated item as published when first seen, and the age from the options', () => {
    // Prepare
    const firstSeen = new Date('2024-05-14T12:00:00Z');
    const item = (published?: string): Item => ({
      id: 'x',
      title: 't',
      ...(published ? { published } : {}),
    });
    const hour = 3_600_000;

    // Act and assess
    expect(isTooOld(item(), firstSeen, hour)).toBe(false);
    expect(isTooOld(item('2024-05-14T11:30:00Z'), firstSeen, hour)).toBe(false);
    expect(isTooOld(item('2024-05-14T10:30:00Z'), firstSeen, hour)).toBe(true);
    expect(isTooOld(item('not a date'), firstSeen, hour)).toBe(false);
    const { alerts } = run(
      [{ ...apartment, published: '2024-05-14T00:00:00Z' }],
      {
        maxAgeHours: 6,
      },
      '2024-05-14T07:05:00Z'
    );
    expect(alerts).toEqual([]);
  });
});

describe('Function: attach, updates by SMS', () => {
  it('holds updates of one event from SMS past the hourly allowance, and lets them through again an hour later', () => {
    // Prepare: a toll climbing past a step with every report
    const tolls = [12, 55, 120, 600, 1200];
    const reports: Report[] = tolls.map((killed, i) => ({
      id: `toll-${i}`,
      title: `Death toll in Kharkiv strikes rises to ${killed}`,
      summary: `The death toll from Russian strikes on Kharkiv has risen to ${killed}, officials said.`,
      published: `2024-05-14T${String(7 + (i === 4 ? 2 : 0)).padStart(2, '0')}:${String(i * 10).padStart(2, '0')}:00Z`,
      source: `Wire ${i}`,
      killed,
    }));

    // Act
    const { alerts } = run(reports, { smsUpdatesPerHour: 2 });

    // Assess: new, two updates by SMS, a third held, then after the hour one by SMS again
    expect(alerts.map((a) => [a.kind, a.smsHeld ?? false])).toEqual([
      ['new', false],
      ['update', false],
      ['update', false],
      ['update', true],
      ['update', false],
    ]);
  });
});

describe('Function: attach, reports that name a people instead of a place', () => {
  it('lets "Ukrainian villagers" join the Ukrainian event their words match, never keeping a report out', () => {
    // Prepare
    const village: Report = {
      id: 'village',
      title: 'Missile strike on Hroza village in Ukraine kills 52 at a wake',
      summary:
        'A Russian missile struck a cafe in the village of Hroza in Ukraine, killing 52 people at a wake.',
      published: '2024-05-14T07:00:00Z',
      source: 'Wire A',
      killed: 52,
      places: ['Ukraine'],
    };
    const burial: Report = {
      id: 'burial',
      title: 'Ukrainian villagers bury victims of Hroza missile strike',
      summary: 'Villagers in Hroza buried the victims of the missile strike on a wake.',
      published: '2024-05-15T09:00:00Z',
      source: 'Wire B',
      places: [],
    };

    // Act
    const { state, alerts } = run([village, burial]);

    // Assess: one event, the second outlet's report an update as its first corroboration
    expect(alerts.map((a) => a.kind)).toEqual(['new', 'update']);
    expect(alerts[1]?.reasons.join(' ')).toMatch(/corroboration/);
    expect(state.events[0]?.reports.map((r) => r.itemId)).toEqual(['village', 'burial']);
    expect(state.events[0]?.reports[1]?.impliedPlaces).toEqual(['Ukraine']);
  });

  it('takes the countries from the peoples a text names', () => {
    expect(demonymCountries('Israelis beg for help as Palestinians flee')).toEqual([
      'Israel',
      'Palestine',
    ]);
    expect(demonymCountries('British tourists return home')).toEqual([]);
  });
});

describe('Function: attach, stories and the places an event is about', () => {
  it('lets a report of any site join a story opened without one', () => {
    // Prepare
    const offensive: Report = {
      id: 'offensive',
      title: 'Russian forces launch strikes on Kharkiv',
      summary: 'Russian forces struck Kharkiv with missiles and drones overnight, officials said.',
      published: '2024-05-14T03:00:00Z',
      source: 'Wire A',
    };

    // Act
    const { state } = run([offensive, mall]);

    // Assess
    expect(state.events).toHaveLength(1);
    expect(state.events[0]?.sites).toEqual([]);
  });

  it('keeps an incident an incident when a report dated earlier but naming no site arrives later', () => {
    // Prepare: the undated-looking wire piece is published before the school strike, seen after
    const earlier: Report = {
      id: 'earlier',
      title: 'Russian strikes hit Kharkiv',
      summary: 'Russian strikes hit Kharkiv on Tuesday, officials said.',
      published: '2024-05-14T12:00:00Z',
      source: 'Wire C',
    };
    const seen = (r: Report, at: string) => ({ ...r, seenAt: at });
    let state: ClusterState = emptyClusterState();
    for (const r of [seen(school, '2024-05-14T13:05:00Z'), seen(earlier, '2024-05-14T13:10:00Z')]) {
      const { item, result } = classified(r);
      state = attach(state, item, result, new Date(r.seenAt)).state;
    }
    const { item, result } = classified(mall);

    // Act: the shopping centre is another incident than the school, whatever joined the school's event
    const attached = attach(state, item, result, new Date('2024-05-14T18:05:00Z'));

    // Assess
    expect(attached.alert?.kind).toBe('new');
    expect(attached.state.events).toHaveLength(2);
  });

  it('counts a city a large event names only in passing as half a shared place', () => {
    // Prepare: an event about Kharkiv, one of whose five reports also names Izium
    const kharkiv = (i: number, extra: string[] = []): Report => ({
      id: `k${i}`,
      title: `Strikes on Kharkiv${extra.map((p) => ` and ${p}`).join('')} continue, report ${i}`,
      summary: 'Russian strikes hit Kharkiv again, officials said.',
      published: `2024-05-14T0${i}:00:00Z`,
      source: `Wire ${i}`,
      places: ['Kharkiv', ...extra, 'Ukraine'],
    });
    const { state } = run([kharkiv(1), kharkiv(2), kharkiv(3, ['Izium']), kharkiv(4), kharkiv(5)]);
    const izium = classified({
      id: 'izium',
      title: 'Shelling of Izium kills two',
      summary: 'Two people were killed by Russian shelling in Izium, the governor said.',
      published: '2024-05-14T06:00:00Z',
      source: 'Wire Z',
      killed: 2,
      places: ['Izium', 'Ukraine'],
    });
    const event = state.events[0];
    if (!event) throw new Error('no event');

    // Act
    const match = matchScore(
      event,
      toReport(izium.item, izium.result, new Date('2024-05-14T06:05:00Z'))
    );

    // Assess
    expect(match?.place).toBe(0.5);
  });

  it('lets a report naming no place join the event of the armed actor it names', () => {
    // Prepare
    const assault: Report = {
      id: 'assault',
      title: 'Hamas fighters attack towns in southern Israel',
      summary:
        'Hamas fighters crossed into southern Israel and attacked several towns, killing 40 people.',
      published: '2023-10-07T06:00:00Z',
      source: 'Wire A',
      killed: 40,
      places: ['Israel'],
    };
    const witness: Report = {
      id: 'witness',
      title: "'They were shooting everywhere': a survivor recalls the Hamas attack on her town",
      summary: 'A survivor describes hiding for hours as gunmen went from house to house.',
      published: '2023-10-07T06:30:00Z',
      source: 'Wire B',
      places: [],
    };
    const withActors = (r: Report) => {
      const c = classified(r);
      return { item: c.item, result: { ...c.result, actors: ['Hamas'] } };
    };

    // Act
    let state: ClusterState = emptyClusterState();
    for (const r of [assault, witness]) {
      const { item, result } = withActors(r);
      state = attach(state, item, result, new Date(Date.parse(r.published ?? '') + 300_000)).state;
    }

    // Assess
    expect(state.events).toHaveLength(1);
    expect(state.events[0]?.reports.map((r) => r.itemId)).toEqual(['assault', 'witness']);
  });
});
