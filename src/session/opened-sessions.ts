import type { SessionCipher, SessionRecord } from './session-cipher';
import { userTagOf } from './session-cookie';
import { refreshAtOf } from './session-refresh';

/** @internal A session record as opened from the value the store holds, with what each request derives from it. */
export interface OpenedSession {
  /** The sealed value it was opened from (or sealed as, by this process). */
  sealed: string;
  /** Frozen: shared by every request that reads the same value. */
  record: Readonly<SessionRecord>;
  /** `userTagOf(record.sub)`, compared with the cookie's on every request. */
  userTag: string;
  /** When the access token is due for a refresh (epoch ms; see `refreshDue`). */
  refreshAt: number;
}

/** The most opened records kept (each about 5 KB with its sealed value), whatever `maxSessions` says. */
export const MAX_OPENED_SESSIONS = 1000;

/**
 * @internal The records this process opened, by session id, each with the exact sealed value it came
 * from: a request whose store read answers that same value skips the AES-GCM opening, the JSON parse
 * and the hashes; any other value (written by a refresh, a last-seen write or another instance) is
 * opened and checked in full. The store is still read on every request, so that a change, a deletion or
 * a sign-out everywhere is never missed, and a value opens here only under the id it was sealed for, as
 * in the cipher. Bounded: the least recently used is dropped first.
 */
export class OpenedSessions {
  private readonly entries = new Map<string, OpenedSession>();

  constructor(
    private readonly cipher: SessionCipher,
    private readonly max: number,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError('a bound of opened sessions must be a whole number from 1');
  }

  /** The record sealed in `sealed` for the session `id`, or undefined (tampered, foreign, not a record). */
  open(id: string, sealed: string): OpenedSession | undefined {
    const kept = this.entries.get(id);
    if (kept !== undefined && kept.sealed === sealed) {
      // Recently used: to the end of the map's order, the last to be dropped.
      this.entries.delete(id);
      this.entries.set(id, kept);
      return kept;
    }
    const record = this.cipher.open(sealed, id);
    if (record === undefined) {
      this.entries.delete(id);
      return undefined;
    }
    return this.remember(id, sealed, record);
  }

  /** A record this process has just sealed as `sealed` for `id` (and written): its next read needs no opening. */
  remember(id: string, sealed: string, record: SessionRecord): OpenedSession {
    const opened: OpenedSession = {
      sealed,
      record: Object.freeze({ ...record }),
      userTag: userTagOf(record.sub),
      refreshAt: refreshAtOf(record),
    };
    this.entries.delete(id);
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(id, opened);
    return opened;
  }

  /** Forgets a session (deleted). */
  forget(id: string): void {
    this.entries.delete(id);
  }

  /** How many records are kept (for tests). */
  get size(): number {
    return this.entries.size;
  }
}
