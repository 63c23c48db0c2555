import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lambdas/core/common/types.ts';
import {
  type EventsDoc,
  emptyEventsDoc,
  eventsDocJson,
  readEventsDoc,
} from '../../../lambdas/pipeline/events-doc.ts';

/** Just enough of an alert for the outbox; the headline holds JSON-looking text on purpose. */
const alert = (id: string): Alert =>
  ({
    id,
    kind: 'new',
    eventId: id.split(':')[0],
    headline: 'Shelling near "the bridge"]}, {"outbox": [] \\ reported',
    lastSeen: '2024-11-29T17:00:00Z',
  }) as unknown as Alert;

/** An event as parseClusterState accepts it. */
const event = (id: string) => ({
  id,
  status: 'open',
  firstSeen: '2024-11-29T17:00:00Z',
  lastSeen: '2024-11-29T17:00:00Z',
  touchedAt: '2024-11-29T17:05:00Z',
  reports: [{ itemId: `${id}-a`, title: 'a "quoted" [title] {x}' }],
  extraItemIds: [],
  alerts: 1,
  sinceAlert: [],
  notified: { severity: 'high' },
});

const doc: EventsDoc = {
  outbox: [{ alert: alert('evt-a:1') }, { alert: alert('evt-b:2'), attempts: 3 }],
  clusters: {
    version: 1,
    events: [event('evt-a'), event('evt-b')],
  } as unknown as EventsDoc['clusters'],
};

const outboxIds = (read: ReturnType<typeof readEventsDoc>) =>
  read.doc.outbox.map((e) => e.alert.id);
const eventIds = (read: ReturnType<typeof readEventsDoc>) =>
  read.doc.clusters.events.map((e) => e.id);

describe('Function: readEventsDoc', () => {
  it('reads what eventsDocJson wrote, whole, the outbox first', () => {
    // Act
    const text = eventsDocJson(doc);
    const read = readEventsDoc(text);

    // Assess
    expect(text.indexOf('"outbox"')).toBeLessThan(text.indexOf('"clusters"'));
    expect(read.problems).toEqual([]);
    expect(read.doc).toEqual(doc);
  });

  it('reads the order earlier builds wrote (clusters first)', () => {
    const read = readEventsDoc(JSON.stringify({ clusters: doc.clusters, outbox: doc.outbox }));
    expect(read).toEqual({ doc, problems: [] });
  });

  it.each([
    {
      name: 'an unsupported clusters version',
      text: JSON.stringify({ outbox: doc.outbox, clusters: { version: 9, events: [] } }),
      outbox: ['evt-a:1', 'evt-b:2'],
      events: [],
      problem: /^clusters: cluster state version 9 is not supported/,
    },
    {
      name: 'one malformed event',
      text: JSON.stringify({
        outbox: doc.outbox,
        clusters: { version: 1, events: [event('evt-a'), { id: 7 }, event('evt-b')] },
      }),
      outbox: ['evt-a:1', 'evt-b:2'],
      events: ['evt-a', 'evt-b'],
      problem: /^event 1 is malformed$/,
    },
    {
      name: 'an outbox entry that is not an alert',
      text: JSON.stringify({ ...doc, outbox: [doc.outbox[0], { alert: 'x' }] }),
      outbox: ['evt-a:1'],
      events: ['evt-a', 'evt-b'],
      problem: /^1 outbox entries are not alerts$/,
    },
    {
      name: 'text cut short in the events',
      text: eventsDocJson(doc).slice(0, eventsDocJson(doc).lastIndexOf('"reports"')),
      outbox: ['evt-a:1', 'evt-b:2'],
      events: ['evt-a'],
      problem: /^not valid JSON/,
    },
    {
      name: 'text cut short in the outbox',
      text: eventsDocJson(doc).slice(0, eventsDocJson(doc).indexOf('"evt-b:2"')),
      outbox: ['evt-a:1'],
      events: [],
      problem: /^not valid JSON/,
    },
    {
      name: 'a garbled event in text that is not JSON',
      text: eventsDocJson(doc).replace('{"id":"evt-a",', '{"id":"evt-a",,'),
      outbox: ['evt-a:1', 'evt-b:2'],
      events: ['evt-b'],
      problem: /^not valid JSON/,
    },
    {
      name: 'garbage',
      text: '\u0000\u0001 not json at all',
      outbox: [],
      events: [],
      problem: /^not valid JSON/,
    },
    {
      name: 'a JSON list',
      text: '[]',
      outbox: [],
      events: [],
      problem: /^not a JSON object$/,
    },
  ])('salvages what reads from $name, naming what did not', ({ text, outbox, events, problem }) => {
    // Act
    const read = readEventsDoc(text);

    // Assess
    expect(outboxIds(read)).toEqual(outbox);
    expect(eventIds(read)).toEqual(events);
    expect(read.problems[0]).toMatch(problem);
  });

  it('names each part of a damaged text it could not read', () => {
    const text = eventsDocJson(doc).replace('{"id":"evt-a",', '{"id":"evt-a",,').slice(0, -10);
    expect(readEventsDoc(text).problems).toEqual([
      expect.stringMatching(/^not valid JSON/),
      'events entry 0 does not parse',
      'events is cut short after entry 1',
    ]);
  });

  it('reads an empty document as empty', () => {
    expect(readEventsDoc(eventsDocJson(emptyEventsDoc()))).toEqual({
      doc: emptyEventsDoc(),
      problems: [],
    });
  });
});
