import type { SessionStore } from './session-store';

/** An entry and the time (epoch ms) it stops being answered. */
interface Kept<T> {
  value: T;
  expiresAt: number;
}

/** @internal The in-memory store's bounds and clock (the clock for tests). */
export interface MemorySessionStoreOptions {
  /** Sessions kept at most; beyond that the least recently used is dropped. */
  maxSessions: number;
  /** WebSocket tickets kept at most (default `maxSessions`); the oldest is dropped (its page asks for another). */
  maxTickets?: number;
  /** Sign-out-everywhere marks kept at most (default `maxSessions`); see {@link MemorySessionStore.endUser}. */
  maxUserMarks?: number;
  now?: () => number;
}

/**
 * @internal The default `session.store`: this process's memory, for one instance. Every map is
 * bounded and every entry has its end; an expired entry is never answered and is removed when
 * met (or dropped first as the oldest). One thread: each method runs to its end before another
 * starts, so compare-and-set and take are atomic as written.
 */
export class MemorySessionStore implements SessionStore {
  readonly ready = true;
  private readonly sessions = new Map<string, Kept<string>>();
  private readonly tickets = new Map<string, Kept<string>>();
  private readonly userMarks = new Map<string, Kept<number>>();
  /**
   * The latest mark dropped for room (epoch ms): every user counts as signed out everywhere at
   * that time, so that a mark lost to the bound signs people out rather than letting an ended
   * session back in (fail closed). Kept as long as the marks it stands for.
   */
  private droppedMark: Kept<number> = { value: 0, expiresAt: 0 };
  private readonly maxSessions: number;
  private readonly maxTickets: number;
  private readonly maxUserMarks: number;
  private readonly now: () => number;

  constructor(options: MemorySessionStoreOptions) {
    this.maxSessions = atLeastOne(options.maxSessions);
    this.maxTickets = atLeastOne(options.maxTickets ?? options.maxSessions);
    this.maxUserMarks = atLeastOne(options.maxUserMarks ?? options.maxSessions);
    this.now = options.now ?? Date.now;
  }

  read(key: string, userKey: string): Promise<{ value: string | undefined; userEndedAt: number }> {
    const session = this.live(this.sessions, key);
    // Recently used: to the end of the map's order, the last to be dropped.
    if (session !== undefined) this.put(this.sessions, key, session, this.maxSessions);
    const mark = this.live(this.userMarks, userKey)?.value ?? 0;
    const dropped = this.droppedMark.expiresAt > this.now() ? this.droppedMark.value : 0;
    return Promise.resolve({ value: session?.value, userEndedAt: Math.max(mark, dropped) });
  }

  create(key: string, value: string, ttlMs: number): Promise<void> {
    // A fresh random key is never in use: one that is would be a bug, refused rather than overwritten.
    if (this.live(this.sessions, key) !== undefined) return Promise.reject(new Error('session key already in use'));
    this.put(this.sessions, key, this.kept(value, ttlMs), this.maxSessions);
    return Promise.resolve();
  }

  compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(this.sessions, key)?.value !== expected) return Promise.resolve(false);
    this.put(this.sessions, key, this.kept(value, ttlMs), this.maxSessions);
    return Promise.resolve(true);
  }

  delete(key: string): Promise<void> {
    this.sessions.delete(key);
    return Promise.resolve();
  }

  endUser(userKey: string, atMs: number, ttlMs: number): Promise<void> {
    const before = this.live(this.userMarks, userKey);
    // The later time wins (two sign-outs, or two clocks): a mark never moves back.
    const at = Math.max(before?.value ?? 0, atMs);
    const expiresAt = Math.max(before?.expiresAt ?? 0, this.now() + ttlMs);
    const dropped = this.put(this.userMarks, userKey, { value: at, expiresAt }, this.maxUserMarks);
    if (dropped !== undefined && dropped.expiresAt > this.now()) {
      this.droppedMark = {
        value: Math.max(this.droppedMark.value, dropped.value),
        expiresAt: Math.max(this.droppedMark.expiresAt, dropped.expiresAt),
      };
    }
    return Promise.resolve();
  }

  putTicket(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(this.tickets, key, this.kept(value, ttlMs), this.maxTickets);
    return Promise.resolve();
  }

  takeTicket(key: string): Promise<string | undefined> {
    const ticket = this.live(this.tickets, key);
    this.tickets.delete(key);
    return Promise.resolve(ticket?.value);
  }

  /** How many entries each map holds now, expired ones not yet met included (for tests). */
  get sizes(): { sessions: number; tickets: number; userMarks: number } {
    return { sessions: this.sessions.size, tickets: this.tickets.size, userMarks: this.userMarks.size };
  }

  private kept<T>(value: T, ttlMs: number): Kept<T> {
    return { value, expiresAt: this.now() + ttlMs };
  }

  /** The entry under `key` unless it has expired (then it is removed). */
  private live<T>(map: Map<string, Kept<T>>, key: string): Kept<T> | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry;
    map.delete(key);
    return undefined;
  }

  /**
   * Puts `entry` last in the map's order (a Map iterates in insertion order: its first entry is
   * the least recently used) and drops the first beyond `max` (one, as each put adds one); answers it
   * if it was live.
   */
  private put<T>(map: Map<string, Kept<T>>, key: string, entry: Kept<T>, max: number): Kept<T> | undefined {
    map.delete(key);
    let dropped: Kept<T> | undefined;
    while (map.size >= max) {
      const [oldestKey, oldest] = map.entries().next().value as [string, Kept<T>];
      map.delete(oldestKey);
      if (oldest.expiresAt > this.now()) dropped = oldest;
    }
    map.set(key, entry);
    return dropped;
  }
}

function atLeastOne(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError('a store bound must be a whole number from 1');
  return value;
}
