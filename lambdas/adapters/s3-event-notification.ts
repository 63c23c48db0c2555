/**
 * S3 event notifications as S3 invokes the classifier with them: the keys of the objects
 * created.
 */

interface S3EventRecordLike {
  readonly eventName?: string;
  readonly s3?: { readonly object?: { readonly key?: string } };
}

/** S3 writes object keys in event notifications URL-encoded, with '+' for spaces. */
export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * The keys of the objects created that an S3 event notification names (possibly several
 * records), decoded; none for the s3:TestEvent S3 sends to some destinations when the
 * notification is created.
 * @throws Error when the event is not an S3 notification at all.
 */
export const createdObjectKeys = (event: unknown): string[] => {
  const notification = (event ?? {}) as { Event?: string; Records?: S3EventRecordLike[] };
  if (notification.Event === 's3:TestEvent') return [];
  if (!Array.isArray(notification.Records)) {
    throw new Error(
      `event is not an s3 event notification (no Records): ${JSON.stringify(event)?.slice(0, 200)}`
    );
  }
  return notification.Records.filter((r) => r.eventName?.startsWith('ObjectCreated') ?? true).map(
    (r) => {
      const key = r.s3?.object?.key;
      if (!key) throw new Error('s3 event record has no object key');
      return decodeS3Key(key);
    }
  );
};
