/**
 * Mutes: an analyst handling an event stops its updates for a while. The mutes are a document of
 * their own (the pipeline stores it as state/mutes.json), so muting never races the writes of the
 * event clusters. While an event is muted its updates are recorded silently, except one that
 * raises the severity: that one is sent, and says that the event was muted and why it is sent.
 * Pure: the time is passed in.
 */
import { InvalidInputError } from '../common/errors.ts';

export interface Mute {
  readonly eventId: string;
  /** ISO-8601: the mute ends then. */
  readonly until: string;
  /** ISO-8601: when it was set. */
  readonly at: string;
  /** Who set it or why, as given. */
  readonly note?: string;
}

export interface MuteList {
  readonly version: 1;
  readonly mutes: Mute[];
}

export const emptyMuteList = (): MuteList => ({ version: 1, mutes: [] });

const isMute = (value: unknown): value is Mute => {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.eventId === 'string' &&
    typeof m.until === 'string' &&
    !Number.isNaN(Date.parse(m.until)) &&
    typeof m.at === 'string' &&
    (m.note === undefined || typeof m.note === 'string')
  );
};

/** Reads the stored mutes; throws InvalidInputError naming the problem. */
export const parseMuteList = (text: string): MuteList => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(`mutes are not valid JSON: ${(err as Error).message}`);
  }
  const list = raw as Partial<MuteList> | null;
  if (typeof list !== 'object' || list === null || list.version !== 1) {
    throw new InvalidInputError('mutes must be {"version": 1, "mutes": [...]}');
  }
  if (!Array.isArray(list.mutes) || !list.mutes.every(isMute)) {
    throw new InvalidInputError('mutes must list {eventId, until, at, note?} objects');
  }
  return { version: 1, mutes: list.mutes };
};

/** The mutes still in force at `now` (an expired one is ignored, and dropped on the next write). */
export const activeMutes = (list: MuteList, now: Date): Mute[] =>
  list.mutes.filter((m) => Date.parse(m.until) > now.getTime());

/** The mute in force on an event at `now`, if any. */
export const muteOf = (mutes: readonly Mute[], eventId: string, now: Date): Mute | undefined =>
  mutes.find((m) => m.eventId === eventId && Date.parse(m.until) > now.getTime());

/** The list with `mute` set (replacing any earlier one of its event) and expired mutes dropped. */
export const withMute = (list: MuteList, mute: Mute, now: Date): MuteList => ({
  version: 1,
  mutes: [...activeMutes(list, now).filter((m) => m.eventId !== mute.eventId), mute],
});

/** The list without the event's mute and without expired mutes. */
export const withoutMute = (list: MuteList, eventId: string, now: Date): MuteList => ({
  version: 1,
  mutes: activeMutes(list, now).filter((m) => m.eventId !== eventId),
});
