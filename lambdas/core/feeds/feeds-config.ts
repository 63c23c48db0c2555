/**
 * The feed list: an array of `{ url, name? }` objects (or plain URL/path strings), and its
 * validation on the parsed value. Two fronts read the text: parseFeedsJson here (the deployed
 * JSON the poller reads) and parseFeedsConfig in cli/yaml/feeds-config.ts (YAML or JSON, for the
 * CLI and the CDK app). No YAML parser here: the poller's bundle loads this module.
 * Pure: the caller reads the file and passes its text and a name for messages.
 */
import { InvalidInputError } from '../common/errors.ts';
import { parseJsonText } from '../common/json-text.ts';
import type { FeedConfig } from '../common/types.ts';

const KNOWN_FIELDS = new Set(['url', 'name']);

/** A URL scheme such as `https:`; a Windows drive letter (`C:\`) is a path, not a scheme. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

export type FeedLocationKind = 'http' | 'file' | 'path';

/**
 * What a configured feed location is: an http(s) URL, a file:// URL or a local path.
 * Returns a reason string instead when it is none of these.
 */
export const feedLocationKind = (url: string): FeedLocationKind | { reason: string } => {
  if (url.trim() === '') return { reason: 'url is empty' };
  if (url !== url.trim()) return { reason: `url '${url}' has leading or trailing spaces` };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || /^[a-zA-Z]:[\\/]/.test(url)) return 'path';
  if (scheme === 'http' || scheme === 'https') {
    try {
      const parsed = new URL(url);
      if (parsed.hostname === '') return { reason: `url '${url}' has no host` };
      return 'http';
    } catch {
      return { reason: `url '${url}' is not a valid URL` };
    }
  }
  if (scheme === 'file') return 'file';
  return { reason: `url '${url}' is not http(s), file:// or a path` };
};

const describe = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;

/** Throws the problems of a feed list: the first in the message, all of them in `problems`. */
export const failFeeds = (problems: readonly string[]): never => {
  const first = problems[0] ?? 'unusable';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new InvalidInputError(`${first}${more}`, problems);
};

/**
 * Validates a parsed feed list (the value JSON.parse or the YAML parser gave). `source` names the
 * file in messages (e.g. `feeds.yaml`). Accepts a top-level array, or an object with a `feeds`
 * array.
 * @throws InvalidInputError listing every problem with its entry.
 */
export const validateFeeds = (parsed: unknown, source: string): FeedConfig[] => {
  let data = parsed;
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'feeds' in data) {
    data = (data as { feeds: unknown }).feeds;
  }
  if (data === null || data === undefined) {
    return failFeeds([`${source}: the file is empty: list feeds as [{"url": "https://..."}]`]);
  }
  if (!Array.isArray(data)) {
    return failFeeds([
      `${source}: expected a list of feeds like [{"url": "https://...", "name": "..."}], got ${describe(data)}`,
    ]);
  }
  if (data.length === 0) {
    return failFeeds([
      `${source}: the list of feeds is empty: add at least one {"url": "https://..."}`,
    ]);
  }

  const problems: string[] = [];
  const feeds: FeedConfig[] = [];
  const firstIndexOf = new Map<string, number>();
  data.forEach((entry: unknown, index) => {
    const where = `${source}: entry ${index + 1}`;
    let url: unknown;
    let name: unknown;
    if (typeof entry === 'string') {
      url = entry;
    } else if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const record = entry as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!KNOWN_FIELDS.has(key)) {
          problems.push(`${where}: unknown field '${key}' (a feed has 'url' and optional 'name')`);
        }
      }
      url = record.url;
      name = record.name;
      if (url === undefined) {
        problems.push(`${where}: 'url' is missing`);
        return;
      }
    } else {
      problems.push(
        `${where}: expected {"url": "...", "name": "..."} or a URL string, got ${describe(entry)}`
      );
      return;
    }
    if (typeof url !== 'string') {
      problems.push(`${where}: url must be a string, got ${describe(url)}`);
      return;
    }
    const kind = feedLocationKind(url);
    if (typeof kind === 'object') {
      problems.push(`${where}: ${kind.reason}`);
      return;
    }
    if (name !== undefined && name !== null) {
      if (typeof name !== 'string') {
        problems.push(`${where}: name must be a string, got ${describe(name)}`);
        return;
      }
      if (name.trim() === '') {
        problems.push(`${where}: name is empty: remove it or give the outlet's name`);
        return;
      }
    }
    const seenAt = firstIndexOf.get(url);
    if (seenAt !== undefined) {
      problems.push(`${where}: url '${url}' is already listed as entry ${seenAt + 1}`);
      return;
    }
    firstIndexOf.set(url, index);
    feeds.push(typeof name === 'string' ? { url, name: name.trim() } : { url });
  });
  if (problems.length > 0) failFeeds(problems);
  return feeds;
};

/**
 * Parses and validates a feed list written as JSON (the deployed form).
 * @throws InvalidInputError naming the file and every problem, bad JSON included.
 */
export const parseFeedsJson = (text: string, source: string): FeedConfig[] => {
  const parsed = parseJsonText(text, source);
  if ('problem' in parsed) return failFeeds([`${parsed.problem}: fix it and load it again`]);
  return validateFeeds(parsed.value, source);
};
