import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, parseRuleFile } from '../../cli/yaml/rules.ts';
import { parseItemLines } from '../../lambdas/core/common/item-lines.ts';
import type { Item } from '../../lambdas/core/common/types.ts';
import type { RuleSet } from '../../lambdas/core/rules/index.ts';

export const fixturePath = (relative: string): string =>
  fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));

export const projectPath = (relative: string): string =>
  fileURLToPath(new URL(`../../${relative}`, import.meta.url));

/** The seed reports as items: [Worthy News report, second outlet's report, ...four teasers]. */
export const seedItems = (): Item[] => {
  const path = fixturePath('items/seeds.jsonl');
  return parseItemLines(readFileSync(path, 'utf8'), path);
};

let defaultRules: RuleSet | undefined;
/** The default rules of config/rules.yaml, compiled once per test file. */
export const defaultRuleSet = (): RuleSet => {
  const path = projectPath('config/rules.yaml');
  defaultRules ??= loadRules(readFileSync(path, 'utf8'), path);
  return defaultRules;
};

const FEED_DATE =
  /(<(pubDate|published|updated|dc:date|lastBuildDate|issued|modified)>)([^<]+)(<\/\2>)/g;

/**
 * A feed document as if it came out just now: every date in it moved by the same amount so the
 * newest is `now` minus `ageMinutes` (news older than a few hours raises no alert, and the
 * fixtures are from 2024). RSS dates stay RFC 822, Atom dates ISO 8601.
 */
export const recentFeed = (xml: string, now = new Date(), ageMinutes = 30): string => {
  const dates = [...xml.matchAll(FEED_DATE)].map((m) => Date.parse(m[3] ?? ''));
  const newest = Math.max(...dates.filter((d) => !Number.isNaN(d)));
  if (!Number.isFinite(newest)) return xml;
  const shift = now.getTime() - ageMinutes * 60_000 - newest;
  return xml.replace(FEED_DATE, (whole, open: string, tag: string, text: string, close: string) => {
    const time = Date.parse(text);
    if (Number.isNaN(time)) return whole;
    const moved = new Date(time + shift);
    const rfc822 = tag === 'pubDate' || tag === 'lastBuildDate';
    return `${open}${rfc822 ? moved.toUTCString() : moved.toISOString()}${close}`;
  });
};

let recentDir: string | undefined;
/** A copy of a feed file with its dates made recent (see recentFeed), in a temporary folder. */
export const recentFeedFile = (path: string): string => {
  recentDir ??= mkdtempSync(join(tmpdir(), 'newsalert-recent-'));
  const copy = join(recentDir, basename(path));
  writeFileSync(copy, recentFeed(readFileSync(path, 'utf8')));
  return copy;
};

/** config/rules.yaml as the deploy uploads it to config/rules.json. */
export const defaultRulesJson = (): string => {
  const path = projectPath('config/rules.yaml');
  return JSON.stringify(parseRuleFile(readFileSync(path, 'utf8'), path).document);
};
