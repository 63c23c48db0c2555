/**
 * The YAML front of the feed list (YAML or JSON text, as people write it), for the CLI and the
 * CDK app; validation is feeds-config.ts's. Imports the `yaml` parser, so Lambda code must not
 * import it: the poller reads the deployed JSON through parseFeedsJson.
 */
import { parseDocument } from 'yaml';
import type { FeedConfig } from '../../lambdas/core/common/types.ts';
import { failFeeds, validateFeeds } from '../../lambdas/core/feeds/feeds-config.ts';

/** Parses a YAML (or JSON) document; problems carry the file, line and column. */
export const readFeedsDocument = (text: string, source: string): unknown => {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    failFeeds(
      doc.errors.map((e) => {
        const line = e.linePos?.[0];
        const where = line ? `${source}:${line.line}:${line.col}` : source;
        const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return `${where}: not valid JSON or YAML: ${message}`;
      })
    );
  }
  try {
    // Aliases that point nowhere, or too many of them (a YAML "billion laughs"), throw here.
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    return failFeeds([`${source}: not usable YAML: ${(err as Error).message}`]);
  }
};

/**
 * Parses and validates a feed list written as YAML or JSON. `source` names the file in messages.
 * @throws InvalidInputError listing every problem with its location.
 */
export const parseFeedsConfig = (text: string, source: string): FeedConfig[] =>
  validateFeeds(readFeedsDocument(text, source), source);
