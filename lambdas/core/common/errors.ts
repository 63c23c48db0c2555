/** Errors of the core. Messages are lowercase, name the thing and say what to do. */

/** A rules, feeds or config file that cannot be used. Carries every problem with its location. */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
    options?: ErrorOptions
  ) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

/** A feed that could not be fetched or parsed: the run goes on with the other feeds. */
export class FeedError extends Error {
  /** The server's Retry-After, as sent, when the failure came with one (a 429 or 503, say). */
  readonly retryAfter?: string;

  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions & { readonly retryAfter?: string }
  ) {
    super(message, options);
    this.name = 'FeedError';
    if (options?.retryAfter) this.retryAfter = options.retryAfter;
  }
}

/** A conditional write lost a race (the object changed since it was read). */
export class PreconditionFailedError extends Error {
  constructor(
    readonly key: string,
    options?: ErrorOptions
  ) {
    super(`${key} changed since it was read; read it again and retry`, options);
    this.name = 'PreconditionFailedError';
  }
}

export const errorMessage = (err: unknown): string =>
  err instanceof Error ? err.message : String(err);
