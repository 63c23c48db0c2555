/**
 * What fetching over http(s) and reading files share: the byte cap and the error beyond it.
 */
import { FeedError } from '../core/common/errors.ts';
import { redactUrl } from '../core/common/links.ts';

/** Largest feed accepted, counted after decompression. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The byte cap an option asks for, DEFAULT_MAX_BYTES when it is unset.
 * @throws Error when it is not a positive number.
 */
export const maxBytesOption = (maxBytes: number | undefined): number => {
  const value = maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(value > 0)) throw new Error(`maxBytes must be a positive number, got ${maxBytes}`);
  return value;
};

/** 5242880 -> '5 MiB', 1500 -> '1500 bytes'. */
const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;

/** The feed is over the byte cap (`declared`: the size announced before reading, if any). */
export const tooLargeError = (url: string, maxBytes: number, declared?: number): FeedError => {
  const size = declared !== undefined ? ` (${declared} bytes declared)` : '';
  return new FeedError(
    url,
    `response over ${formatBytes(maxBytes)}${size} from ${redactUrl(url)}: not fetched in full; raise the byte cap if this feed is really that large`
  );
};
