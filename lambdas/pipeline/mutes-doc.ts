/**
 * state/mutes.json: the events analysts muted (core/events/mutes.ts). The CLI writes it with
 * conditional writes; the classifier only reads it, parsed again only when its ETag changes.
 * A damaged document mutes nothing (alerts keep flowing) and the log says so.
 */
import { errorMessage, PreconditionFailedError } from '../core/common/errors.ts';
import { emptyMuteList, type MuteList, parseMuteList } from '../core/events/index.ts';
import type { Logger, ObjectStore } from '../ports.ts';
import { MUTES_KEY } from './keys.ts';

const lastMutes = new WeakMap<ObjectStore, { readonly etag: string; readonly list: MuteList }>();

/** The stored mutes (none when there is no document, or it cannot be read: then logged). */
export const readMutes = async (store: ObjectStore, logger?: Logger): Promise<MuteList> =>
  (await readMutesWithEtag(store, logger)).list;

const readMutesWithEtag = async (
  store: ObjectStore,
  logger?: Logger
): Promise<{ list: MuteList; etag?: string }> => {
  const stored = await store.get(MUTES_KEY);
  if (!stored) return { list: emptyMuteList() };
  const known = lastMutes.get(store);
  if (known?.etag === stored.etag) return { list: known.list, etag: stored.etag };
  let list: MuteList;
  try {
    list = parseMuteList(stored.body);
  } catch (err) {
    logger?.error(`${MUTES_KEY} cannot be read; no event is muted until it is fixed`, {
      key: MUTES_KEY,
      error: errorMessage(err),
    });
    list = emptyMuteList();
  }
  lastMutes.set(store, { etag: stored.etag, list });
  return { list, etag: stored.etag };
};

/**
 * Read-modify-write of state/mutes.json with a conditional write, retried when another writer
 * wrote in between. A document that cannot be read is replaced by the change applied to none.
 */
export const updateMutes = async (
  store: ObjectStore,
  change: (list: MuteList) => MuteList
): Promise<MuteList> => {
  for (let attempt = 1; ; attempt += 1) {
    const { list, etag } = await readMutesWithEtag(store);
    const next = change(list);
    try {
      const written = await store.put(MUTES_KEY, `${JSON.stringify(next, null, 2)}\n`, {
        contentType: 'application/json',
        ...(etag ? { ifMatch: etag } : { ifNoneMatch: '*' as const }),
      });
      lastMutes.set(store, { etag: written.etag, list: next });
      return next;
    } catch (err) {
      if (!(err instanceof PreconditionFailedError) || attempt >= 8) throw err;
    }
  }
};
