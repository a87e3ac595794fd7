// The storage behind server-side sessions (`session.store`): what CognitoServerSessions needs of it.
// Two implementations: bounded in memory (the default, one instance) and Redis (a Keyv on @keyv/redis,
// shared by every instance). Values are opaque strings: the session's record sealed with a key derived
// from `session.secret` (src/internal/sealed-box), so the store never holds a readable token.
// Keys are given as they are (the session id, the user's `sub`, the ticket): the Redis store hashes them
// into its own keys, so that no id is readable in Redis; a key hashed before it is given works as well.

/** @internal */
export interface SessionStore {
  /**
   * The session stored under `key` and the time (epoch ms) the user of `userKey` was last signed
   * out everywhere (0 when never, or forgotten): one round trip (Redis MGET).
   */
  read(key: string, userKey: string): Promise<{ value: string | undefined; userEndedAt: number }>;
  /** Stores a new session (a fresh random key: set-if-absent), kept `ttlMs`. */
  create(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Replaces `key`'s value only if it is still `expected` (atomic: a refresh on another instance
   * that wrote first wins, and this one reads the winner's); `false` when it was not.
   */
  compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean>;
  /** Removes a session (sign-out); removing what is gone is no error. */
  delete(key: string): Promise<void>;
  /** Marks every session of `userKey` started before now as ended, kept `ttlMs` (the longest a session lives). */
  endUser(userKey: string, atMs: number, ttlMs: number): Promise<void>;
  /** Stores a WebSocket ticket's value, kept `ttlMs`. */
  putTicket(key: string, value: string, ttlMs: number): Promise<void>;
  /** Takes a ticket's value and removes it in one step (Redis GETDEL): a second take finds nothing. */
  takeTicket(key: string): Promise<string | undefined>;
  /** Whether the store is there to answer (Redis connected). */
  readonly ready: boolean;
}
