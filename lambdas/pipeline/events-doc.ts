/**
 * state/events.json: the event clusters and the outbox of alerts decided but not yet confirmed
 * sent. Reading it never loses the outbox: a document that does not parse, or parses into
 * something this build cannot use, is salvaged piece by piece (every outbox entry and every
 * event that can still be read) and the problems are returned for the caller to report.
 */
import { errorMessage } from '../core/common/errors.ts';
import type { Alert } from '../core/common/types.ts';
import { type ClusterState, emptyClusterState, parseClusterState } from '../core/events/index.ts';

export interface OutboxEntry {
  readonly alert: Alert;
  readonly claimedBy?: string;
  readonly claimedAt?: string;
  /** Set once the publish succeeded: a retry then only records the alert, never sends it again. */
  readonly published?: true;
  /** Failed attempts so far. */
  readonly attempts?: number;
}

export interface EventsDoc {
  readonly clusters: ClusterState;
  readonly outbox: OutboxEntry[];
}

export const emptyEventsDoc = (): EventsDoc => ({ clusters: emptyClusterState(), outbox: [] });

/**
 * The stored form. The outbox comes first, so a document cut short (a hand edit, a partial copy)
 * still holds every unsent alert.
 */
export const eventsDocJson = (doc: EventsDoc): string =>
  JSON.stringify({ outbox: doc.outbox, clusters: doc.clusters });

/** How an operator gets back the previous version of a state object: the bucket keeps them 14 days. */
export const restoreHint = (key: string): string =>
  `restore its previous version (in AWS: aws s3api list-object-versions --bucket $BUCKET --prefix ${key}, then aws s3api get-object --bucket $BUCKET --key ${key} --version-id <VersionId> restored.json and aws s3 cp restored.json s3://$BUCKET/${key})`;

export interface ReadEventsDoc {
  readonly doc: EventsDoc;
  /** What could not be read and was left out; empty when the document was read whole. */
  readonly problems: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isOutboxEntry = (value: unknown): value is OutboxEntry =>
  isObject(value) &&
  isObject(value.alert) &&
  typeof value.alert.id === 'string' &&
  typeof value.alert.lastSeen === 'string';

/** The parts of a document, as parsed whole or scanned out of a damaged text. */
interface Pieces {
  readonly outbox: unknown;
  readonly clusters: unknown;
}

const outboxOf = (outbox: unknown, problems: string[]): OutboxEntry[] => {
  if (outbox === undefined) return [];
  if (!Array.isArray(outbox)) {
    problems.push('outbox is not a list');
    return [];
  }
  const kept = outbox.filter(isOutboxEntry);
  if (kept.length < outbox.length) {
    problems.push(`${outbox.length - kept.length} outbox entries are not alerts`);
  }
  return kept;
};

const clustersOf = (clusters: unknown, problems: string[]): ClusterState => {
  try {
    return parseClusterState(clusters);
  } catch (err) {
    const events = isObject(clusters) && clusters.version === 1 ? clusters.events : undefined;
    if (!Array.isArray(events)) {
      problems.push(`clusters: ${errorMessage(err)}`);
      return emptyClusterState();
    }
    // One event at a time: keep every one that reads.
    const kept = events.flatMap((event, i) => {
      try {
        return parseClusterState({ version: 1, events: [event] }).events;
      } catch {
        problems.push(`event ${i} is malformed`);
        return [];
      }
    });
    return { version: 1, events: kept };
  }
};

const fromPieces = (pieces: Pieces, problems: string[]): ReadEventsDoc => ({
  doc: {
    outbox: outboxOf(pieces.outbox, problems),
    clusters: clustersOf(pieces.clusters, problems),
  },
  problems,
});

const skipSpace = (text: string, at: number): number => {
  let i = at;
  while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  return i;
};

/**
 * Where the JSON value starting at `start` ends (exclusive), by brackets and strings; undefined
 * when the text ends first. Whether the slice is valid JSON is for JSON.parse to say.
 */
const valueEnd = (text: string, start: number): number | undefined => {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth <= 0) return depth === 0 ? i + 1 : undefined;
    } else if (depth === 0 && (c === ',' || /\s/.test(c))) return i;
  }
  return undefined;
};

/**
 * The elements of the array that follows `pattern` in a damaged text, each parsed on its own;
 * undefined when the pattern is not found. Stops where the array is cut short or garbled.
 */
const scanArray = (
  text: string,
  pattern: RegExp,
  name: string,
  problems: string[]
): unknown[] | undefined => {
  const found = pattern.exec(text);
  if (!found) return undefined;
  const values: unknown[] = [];
  let i = found.index + found[0].length;
  for (let entry = 0; ; entry += 1) {
    i = skipSpace(text, i);
    if (text.charAt(i) === ']') return values;
    const end = valueEnd(text, i);
    if (end === undefined) {
      problems.push(`${name} is cut short after entry ${entry}`);
      return values;
    }
    try {
      values.push(JSON.parse(text.slice(i, end)));
    } catch {
      problems.push(`${name} entry ${entry} does not parse`);
    }
    i = skipSpace(text, end);
    if (text.charAt(i) === ']') return values;
    if (text.charAt(i) !== ',') {
      problems.push(`${name} is garbled after entry ${entry}`);
      return values;
    }
    i += 1;
  }
};

/** Reads what a text that is not JSON still holds: the outbox entries and events that parse. */
const scanDamaged = (text: string, problems: string[]): Pieces => {
  const outbox = scanArray(text, /"outbox"\s*:\s*\[/, 'outbox', problems);
  if (outbox === undefined) problems.push('no outbox found');
  const clustersAt = text.search(/"clusters"\s*:\s*\{\s*"version"\s*:\s*1\s*,/);
  const events =
    clustersAt < 0
      ? undefined
      : scanArray(text.slice(clustersAt), /"events"\s*:\s*\[/, 'events', problems);
  if (events === undefined) problems.push('no event clusters of version 1 found');
  return { outbox: outbox ?? [], clusters: { version: 1, events: events ?? [] } };
};

/**
 * Reads state/events.json. Never throws: what cannot be read is left out and named in
 * `problems` (empty when the document was read whole).
 */
export const readEventsDoc = (text: string): ReadEventsDoc => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const problems = [`not valid JSON: ${errorMessage(err)}`];
    return fromPieces(scanDamaged(text, problems), problems);
  }
  if (!isObject(raw))
    return fromPieces({ outbox: [], clusters: emptyClusterState() }, ['not a JSON object']);
  return fromPieces({ outbox: raw.outbox, clusters: raw.clusters }, []);
};
