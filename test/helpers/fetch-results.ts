import { FeedError } from '../../lambdas/core/common/errors.ts';
import type { FetchResult } from '../../lambdas/ports.ts';

/** The text of a fetch that must have succeeded. */
export const okText = (result: FetchResult): string => {
  if (result.status !== 'ok') throw new Error(`expected status ok, got ${result.status}`);
  return result.text;
};

/** The FeedError a fetch that must fail rejects with. */
export const failure = async (promise: Promise<unknown>): Promise<FeedError> => {
  try {
    await promise;
  } catch (err) {
    if (err instanceof FeedError) return err;
    throw err;
  }
  throw new Error('expected a FeedError');
};
