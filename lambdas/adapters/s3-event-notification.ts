/**
 * S3 event notifications as the classifier's SQS queue delivers them: the keys of the objects
 * created, read from a message body.
 */

interface S3EventRecordLike {
  readonly eventName?: string;
  readonly s3?: { readonly object?: { readonly key?: string } };
}

/** S3 writes object keys in event notifications URL-encoded, with '+' for spaces. */
export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * The keys of the objects created that an SQS message body carries: an S3 event notification
 * (possibly several records), or none for the s3:TestEvent S3 sends when the notification is
 * created.
 * @throws Error when the body is not an S3 notification at all.
 */
export const createdObjectKeys = (body: string): string[] => {
  let message: { Event?: string; Records?: S3EventRecordLike[] };
  try {
    message = JSON.parse(body);
  } catch (err) {
    throw new Error('sqs message body is not JSON: expected an s3 event notification', {
      cause: err,
    });
  }
  if (message.Event === 's3:TestEvent') return [];
  if (!Array.isArray(message.Records)) {
    throw new Error(
      `sqs message body is not an s3 event notification (no Records): ${body.slice(0, 200)}`
    );
  }
  return message.Records.filter((r) => r.eventName?.startsWith('ObjectCreated') ?? true).map(
    (r) => {
      const key = r.s3?.object?.key;
      if (!key) throw new Error('s3 event record has no object key');
      return decodeS3Key(key);
    }
  );
};
