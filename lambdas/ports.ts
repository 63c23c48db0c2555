/**
 * Ports: what the pipeline needs from the outside world, shaped to its needs.
 * Adapters (lambdas/adapters) implement them for S3, SNS, HTTP, the filesystem, the console and
 * Powertools.
 */
import type { Alert } from './core/common/types.ts';
import type { RenderedDigest } from './core/delivery/digest.ts';
import type { WebhookRequest } from './core/delivery/webhook.ts';

export interface StoredObject {
  readonly body: string;
  /** Opaque version tag: pass it back as `ifMatch` to write only if nobody wrote in between. */
  readonly etag: string;
}

export interface PutOptions {
  /** Write only if the object still has this ETag. */
  readonly ifMatch?: string;
  /** Write only if the object does not exist yet. */
  readonly ifNoneMatch?: '*';
  readonly contentType?: string;
}

/** An object store: the S3 bucket in AWS, a folder locally. Keys use '/' separators. */
export interface ObjectStore {
  /** undefined when the key does not exist. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Throws PreconditionFailedError when ifMatch/ifNoneMatch does not hold. */
  put(key: string, body: string, options?: PutOptions): Promise<{ etag: string }>;
  /** Every key under the prefix, sorted. */
  list(prefix: string): Promise<string[]>;
}

export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** What a response said about polling again, as sent (the schedule reads them). */
export interface PollHeaders {
  readonly cacheControl?: string;
  readonly retryAfter?: string;
}

export type FetchResult =
  | {
      readonly status: 'ok';
      /** The body decoded to text (charset from the HTTP header or the XML declaration). */
      readonly text: string;
      readonly bytes: number;
      readonly validators: Validators;
      readonly headers?: PollHeaders;
    }
  | {
      readonly status: 'unchanged';
      readonly validators: Validators;
      readonly headers?: PollHeaders;
    };

/**
 * Fetches a feed; throws FeedError with a readable reason on any failure (with the server's
 * Retry-After when it sent one).
 */
export interface FeedFetcher {
  fetch(url: string, validators: Validators): Promise<FetchResult>;
}

/** Sends an alert to subscribers (SNS in AWS, the console locally). */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}

/** Sends one group's daily digest (SNS with a `digestGroup` attribute in AWS). */
export interface DigestPublisher {
  publish(groupId: string, digest: RenderedDigest): Promise<void>;
}

/** Reads a secret's text by its id (Secrets Manager in AWS). */
export interface SecretReader {
  get(id: string): Promise<string>;
}

/** POSTs a webhook request; throws when the endpoint did not accept it after its retries. */
export interface WebhookPoster {
  post(url: string, request: WebhookRequest): Promise<{ status: number; attempts: number }>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Counts for the operators (CloudWatch metrics in AWS), flushed once per invocation. */
export interface MetricsSink {
  count(name: string, value: number): void;
  /** Writes the counts and clears them. */
  flush(): void;
}

/** One message for a queue; `id` names it in the answer (unique within one batch). */
export interface QueueMessage {
  readonly id: string;
  readonly body: string;
}

/** A message of a batch the queue did not take, and why. */
export interface QueueSendFailure {
  readonly id: string;
  readonly reason: string;
}

/** A message queue (SQS in AWS): sends in batches and says which messages it did not take. */
export interface QueueSender {
  /** The most messages one sendBatch takes. */
  readonly maxBatchSize: number;
  /**
   * Sends up to maxBatchSize messages; the messages not taken (none when all were). Throws when
   * the request as a whole failed (then none was taken).
   */
  sendBatch(messages: readonly QueueMessage[]): Promise<QueueSendFailure[]>;
}
