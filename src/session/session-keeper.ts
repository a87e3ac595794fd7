import { Logger } from '@nestjs/common';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import type { ResolvedSession } from '../options/session-options';
import { loggedErrorName } from '../errors/log-safe-text';
import { RateLimitedLog } from '../internal/rate-limited-log';
import { MAX_OPENED_SESSIONS, OpenedSessions } from './opened-sessions';
import type { SessionCipher, SessionRecord } from './session-cipher';
import { randomId, type SessionCookieValue, userTagOf } from './session-cookie';
import { SessionRefresh, type TokenRefresh } from './session-refresh';
import type { SessionStore } from './session-store';
import { claimsOf, timeClaimMs } from '../internal/token-claims';

/**
 * The store keeps a session this long past its limits, so that a late request is told `SessionExpired`
 * (sign in again) rather than `SessionInvalid`.
 */
const KEPT_AFTER_END_MS = 300_000;
/** lastSeenAt is written back at most this often (and a tenth of the idle limit when that is shorter). */
const TOUCH_EVERY_MS = 60_000;
/** Compare-and-set rounds a refresh's write-back tries against writes that only noted a request. */
const MAX_WRITE_BACKS = 3;

/** @internal A session as read: its record and the sealed value it was read as (for compare-and-set). */
export interface LoadedSession {
  id: string;
  /** Frozen: the same object for every request that read the same stored value. */
  record: Readonly<SessionRecord>;
  sealed: string;
  /** When its access token is due for a refresh (epoch ms). */
  refreshAt: number;
}

const expired = () => new CognitoUnauthorizedError('SessionExpired', 'The session has ended: sign in again');
const invalid = () => new CognitoUnauthorizedError('SessionInvalid', 'The session cookie names no session');

/**
 * @internal The sessions' records in the store: created, read and checked against the idle and absolute
 * limits and the user's "signed out everywhere" mark, kept fresh (refresh, last seen), removed. Every
 * store failure is a 503 `SessionStoreUnavailable` (fail closed); nothing here logs a token or an id.
 */
export class SessionKeeper {
  private readonly logger = new Logger('CognitoServerSessions');
  /** A store down fails every request: one line per interval, not one per request. */
  private readonly storeFailures = new RateLimitedLog(this.logger);
  private readonly refresh: SessionRefresh;
  /** Records opened (or sealed) here, by the exact value stored: a request reading the same value opens nothing. */
  private readonly opened: OpenedSessions;

  constructor(
    readonly settings: ResolvedSession,
    private readonly store: SessionStore,
    private readonly cipher: SessionCipher,
    refresher: TokenRefresh,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.refresh = new SessionRefresh(refresher, (id) => this.remove(id));
    this.opened = new OpenedSessions(cipher, Math.min(settings.maxSessions, MAX_OPENED_SESSIONS));
  }

  /** Stores a new session for tokens Cognito has just issued; answers its cookie value and lifetime, and the record. */
  async create(tokens: {
    accessToken: string;
    idToken: string;
    refreshToken: string;
    username?: string;
  }): Promise<{ cookie: SessionCookieValue; maxAgeMs: number; record: SessionRecord }> {
    const claims = claimsOf(tokens.accessToken);
    const sub = claims?.sub;
    const accessExp = timeClaimMs(claims, 'exp');
    const username = tokens.username ?? claims?.username;
    if (typeof sub !== 'string' || typeof username !== 'string' || accessExp === undefined) {
      throw new TypeError('start() needs the access token Cognito issued (with sub, username and exp)');
    }
    const now = this.now();
    const record: SessionRecord = {
      v: 1,
      sub,
      username,
      accessToken: tokens.accessToken,
      idToken: tokens.idToken,
      refreshToken: tokens.refreshToken,
      accessExp,
      createdAt: now,
      absoluteExp: now + this.settings.absoluteMs,
      lastSeenAt: now,
    };
    const id = randomId();
    const sealed = this.cipher.seal(record, id);
    await this.stored(() => this.store.create(id, sealed, this.ttlOf(record, now)));
    this.opened.remember(id, sealed, record);
    // The cookie lives as long as the session may (its absolute limit): the idle limit is the server's to
    // enforce, since a Max-Age set once at sign-in would drop an active user's cookie at the idle limit.
    return { cookie: { id, userTag: userTagOf(sub) }, maxAgeMs: record.absoluteExp - now, record };
  }

  /** The live session the cookie names: 401 `SessionInvalid` (unknown, tampered, foreign) or `SessionExpired`. */
  async load(cookie: SessionCookieValue): Promise<LoadedSession> {
    const { value, userEndedAt } = await this.stored(() => this.store.read(cookie.id, cookie.userTag));
    if (value === undefined) throw invalid();
    const opened = this.opened.open(cookie.id, value);
    if (opened === undefined || opened.userTag !== cookie.userTag) throw invalid();
    const { record } = opened;
    const now = this.now();
    if (
      userEndedAt >= record.createdAt ||
      now - record.lastSeenAt > this.settings.idleMs ||
      now >= record.absoluteExp
    ) {
      await this.remove(cookie.id);
      throw expired();
    }
    return { id: cookie.id, record, sealed: value, refreshAt: opened.refreshAt };
  }

  /** The session with a usable access token (refreshed when due) and its last request noted. */
  async current(cookie: SessionCookieValue): Promise<SessionRecord> {
    const loaded = await this.load(cookie);
    const now = this.now();
    if (loaded.refreshAt < now) {
      return this.refresh.refreshed(loaded.id, loaded.record, (next) =>
        this.writeBack(loaded, cookie, { ...next, lastSeenAt: now }),
      );
    }
    if (now - loaded.record.lastSeenAt >= Math.min(TOUCH_EVERY_MS, this.settings.idleMs / 10)) {
      // Losing this race is fine: whoever wrote first saw the session as recently.
      const touched = { ...loaded.record, lastSeenAt: now };
      const sealed = this.cipher.seal(touched, loaded.id);
      const won = await this.stored(() =>
        this.store.compareAndSet(loaded.id, loaded.sealed, sealed, this.ttlOf(touched, now)),
      );
      if (won) this.opened.remember(loaded.id, sealed, touched);
      return touched;
    }
    return loaded.record;
  }

  /** Removes a session; what is gone is no error. */
  remove(id: string): Promise<void> {
    this.opened.forget(id);
    return this.stored(() => this.store.delete(id));
  }

  /** Ends every session of the user `sub` started until now (every instance, through the store's mark). */
  endAllOf(sub: string): Promise<void> {
    return this.stored(() => this.store.endUser(userTagOf(sub), this.now(), this.settings.absoluteMs));
  }

  /** How long the store keeps `record`: until its idle or absolute limit, whichever comes first (and a grace). */
  ttlOf(record: SessionRecord, now: number): number {
    return this.lifetimeOf(record, now) + KEPT_AFTER_END_MS;
  }

  /** How long `record` may still be used: until its idle or absolute limit, whichever comes first. */
  lifetimeOf(record: SessionRecord, now: number): number {
    return Math.max(1, Math.min(record.lastSeenAt + this.settings.idleMs, record.absoluteExp) - now);
  }

  /** Runs a store call; any failure of the store is a 503 (fail closed), logged without a key or value. */
  async stored<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.storeFailures.warn(`Session store call failed: ${loggedErrorName((error as Error | null)?.name)}`);
      throw new CognitoAuthUnavailableError('SessionStoreUnavailable', 'The session store cannot be reached', 1);
    }
  }

  /**
   * Writes refreshed tokens back; a refresh elsewhere that wrote first wins, and its tokens are used.
   * A write that only noted a request (same tokens, later lastSeenAt) is no refresh: the tokens are
   * written again over it, or a rotated refresh token would be lost (the old one then stops working).
   */
  private async writeBack(
    loaded: LoadedSession,
    cookie: SessionCookieValue,
    next: SessionRecord,
  ): Promise<SessionRecord> {
    let current = loaded;
    for (let attempt = 0; attempt < MAX_WRITE_BACKS; attempt++) {
      const now = this.now();
      const record = { ...next, lastSeenAt: Math.max(next.lastSeenAt, current.record.lastSeenAt) };
      const sealed = this.cipher.seal(record, loaded.id);
      const won = await this.stored(() =>
        this.store.compareAndSet(loaded.id, current.sealed, sealed, this.ttlOf(record, now)),
      );
      if (won) {
        this.opened.remember(loaded.id, sealed, record);
        return record;
      }
      const { value } = await this.stored(() => this.store.read(cookie.id, cookie.userTag));
      const winner = value === undefined ? undefined : this.opened.open(cookie.id, value);
      if (value === undefined || winner === undefined) throw expired();
      if (winner.record.accessToken !== loaded.record.accessToken) return winner.record;
      current = { id: loaded.id, record: winner.record, sealed: value, refreshAt: winner.refreshAt };
    }
    return current.record;
  }
}
