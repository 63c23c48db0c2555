import { silentLogger } from '../../lambdas/adapters/stderr-logger.ts';
import type { Logger } from '../../lambdas/ports.ts';

export interface LoggedError {
  readonly message: string;
  readonly extra?: Record<string, unknown>;
}

/** A Logger that keeps what is logged at error level, in `errors`, and drops the rest. */
export const errorRecorder = (): { readonly logger: Logger; readonly errors: LoggedError[] } => {
  const errors: LoggedError[] = [];
  return {
    errors,
    logger: {
      ...silentLogger,
      error: (message, extra) => {
        errors.push(extra ? { message, extra } : { message });
      },
    },
  };
};
