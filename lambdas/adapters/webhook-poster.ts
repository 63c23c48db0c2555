import type { WebhookRequest } from '../core/delivery/webhook.ts';
import type { WebhookPoster } from '../ports.ts';

/**
 * A webhook POST that failed for good. The message names the status or the network error,
 * never the URL (a chat webhook's URL is its password).
 */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
    options?: ErrorOptions
  ) {
    super(message, options);
    this.name = 'WebhookDeliveryError';
  }
}

export interface WebhookPosterOptions {
  /** Per attempt. @default 10_000 */
  readonly timeoutMs?: number;
  /** @default 4 */
  readonly maxAttempts?: number;
  /** The wait before the second attempt, doubled before each next one. @default 1_000 */
  readonly baseDelayMs?: number;
  /**
   * The whole delivery, waits included: no attempt starts that could end after it (the Lambda's
   * own retries take over). Keep it under the function timeout. @default 45_000
   */
  readonly budgetMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

const RETRIABLE_STATUS = (status: number): boolean => status === 429 || status >= 500;

/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or bad. */
export const retryAfterMs = (value: string | null, nowMs: number): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
};

const snippet = async (response: Response): Promise<string> => {
  try {
    const text = (await response.text()).replace(/\s+/g, ' ').trim();
    return text ? `: ${text.slice(0, 120)}` : '';
  } catch {
    return '';
  }
};

/**
 * POSTs with a timeout per attempt; retries network errors, timeouts, 429 and 5xx with
 * exponential backoff (a Retry-After answer sets the wait instead), within a time budget; any
 * other answer outside 2xx (redirects included: they are not followed) fails at once.
 */
export const httpWebhookPoster = (options: WebhookPosterOptions = {}): WebhookPoster => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const budgetMs = options.budgetMs ?? 45_000;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  return {
    async post(url: string, request: WebhookRequest) {
      const start = now();
      let lastError = '';
      let lastStatus: number | undefined;
      for (let attempt = 1; ; attempt += 1) {
        let wait: number | undefined;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: request.headers,
            body: request.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (response.status >= 200 && response.status < 300) {
            await response.body?.cancel();
            return { status: response.status, attempts: attempt };
          }
          lastStatus = response.status;
          lastError = `the endpoint answered ${response.status}${await snippet(response)}`;
          if (!RETRIABLE_STATUS(response.status)) {
            throw new WebhookDeliveryError(`${lastError} (not retried)`, attempt, response.status);
          }
          wait = retryAfterMs(response.headers.get('retry-after'), now());
        } catch (err) {
          if (err instanceof WebhookDeliveryError) throw err;
          lastStatus = undefined;
          const name = err instanceof Error ? err.name : '';
          const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
          lastError =
            name === 'TimeoutError'
              ? `no answer within ${timeoutMs} ms`
              : `network error: ${(cause as { code?: string } | undefined)?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))}`;
        }
        wait ??= baseDelayMs * 2 ** (attempt - 1);
        const elapsed = now() - start;
        if (attempt >= maxAttempts || elapsed + wait + timeoutMs > budgetMs) {
          throw new WebhookDeliveryError(
            `webhook delivery failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${lastError}`,
            attempt,
            lastStatus
          );
        }
        await sleep(wait);
      }
    },
  };
};
