/**
 * The YAML front of the subscribers file (`cdk deploy -c subscribers=FILE`, YAML or JSON), for
 * the CDK app; validation is lambdas/core/delivery/subscribers.ts's. Every problem carries the
 * file, line and column.
 */
import { InvalidInputError } from '../../lambdas/core/common/errors.ts';
import type { Subscriber } from '../../lambdas/core/common/types.ts';
import {
  type SubscriberVocabulary,
  validateSubscribers,
} from '../../lambdas/core/delivery/subscribers.ts';
import { parseLocated } from './located.ts';

/** The problems of a subscribers file, each `source:line:col: entry N (channel): ...`. */
export const checkSubscribers = (
  text: string,
  source: string,
  vocabulary: SubscriberVocabulary = {}
): { subscribers: Subscriber[]; problems: string[] } => {
  const parsed = parseLocated(text, source);
  if (parsed.problems) return { subscribers: [], problems: parsed.problems };
  return validateSubscribers(parsed.root, parsed.locate, vocabulary);
};

/**
 * Reads and validates a subscribers file. `vocabulary` holds the gazetteer's countries and the
 * rules' categories that watchlists may name.
 * @throws InvalidInputError listing every problem with its file:line:col.
 */
export const readSubscribers = (
  text: string,
  source: string,
  vocabulary: SubscriberVocabulary = {}
): Subscriber[] => {
  const { subscribers, problems } = checkSubscribers(text, source, vocabulary);
  if (problems.length > 0) {
    throw new InvalidInputError(
      `${source}: ${problems.length} problem${problems.length > 1 ? 's' : ''} in the subscribers file:\n  ${problems.join('\n  ')}`,
      problems
    );
  }
  return subscribers;
};
