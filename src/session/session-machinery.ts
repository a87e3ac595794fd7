import type { AuthRequest } from '../auth/auth-request';
import type { ResolvedSession } from '../options/session-options';
import { ConnectionTickets } from './connection-tickets';
import { createSessionStore } from './create-session-store';
import { SessionCipher } from './session-cipher';
import { clearingSetCookie, readSessionCookie, type SessionCookieValue, sessionSetCookie } from './session-cookie';
import { assertSessionCsrf, type SessionCsrfSettings } from './session-csrf';
import { SessionKeeper } from './session-keeper';
import type { TokenRefresh } from './session-refresh';
import type { SessionStore } from './session-store';
import type {
  CognitoSessionEnd,
  CognitoSessionStart,
  CognitoSessionSummary,
  CognitoSessionTokens,
} from './session-summary';
import { summaryOfRecord } from './session-summary-of-record';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';

/** @internal What the sessions are built from (the store and clock may be given, for tests). */
export interface SessionMachineryOptions {
  settings: ResolvedSession;
  csrf: SessionCsrfSettings;
  refresher: TokenRefresh;
  store?: SessionStore;
  now?: () => number;
}

/**
 * @internal `CognitoServerSessions`' work, loaded only when `session` is set: requests' cookies and
 * CSRF checks, the records (SessionKeeper) and the connection tickets.
 */
export class SessionMachinery {
  private readonly keeper: SessionKeeper;
  private readonly tickets: ConnectionTickets;

  constructor(private readonly options: SessionMachineryOptions) {
    const { settings, refresher, now } = options;
    const store = options.store ?? createSessionStore(settings);
    this.keeper = new SessionKeeper(settings, store, new SessionCipher(settings.secrets), refresher, now);
    this.tickets = new ConnectionTickets(settings.secrets[0], store, (call) => this.keeper.stored(call));
  }

  start(tokens: CognitoSessionTokens, request: AuthRequest): Promise<string[]> {
    return this.startWithSummary(tokens, request).then(({ setCookie }) => setCookie);
  }

  /** start(), answering also the new session's summary (from the record just written: no store read). */
  async startWithSummary(tokens: CognitoSessionTokens, request: AuthRequest): Promise<CognitoSessionStart> {
    const { cookieName, secure } = this.options.settings;
    // Never reuse the id a request came with (session fixation): the old session goes.
    // A malformed or repeated cookie does not stop a sign-in: there is nothing of it to delete.
    const previous = (() => {
      try {
        return this.cookieOf(request, false);
      } catch {
        return undefined;
      }
    })();
    if (previous !== undefined) await this.keeper.remove(previous.id);
    const { cookie, maxAgeMs, record } = await this.keeper.create(tokens);
    return {
      setCookie: [sessionSetCookie(cookieName, cookie, secure, maxAgeMs)],
      session: summaryOfRecord(record, this.options.settings.idleMs),
    };
  }

  async summaryOf(request: AuthRequest): Promise<CognitoSessionSummary | undefined> {
    const cookie = this.cookieOf(request, true);
    if (cookie === undefined) return undefined;
    return summaryOfRecord(await this.keeper.current(cookie), this.options.settings.idleMs);
  }

  async end(request: AuthRequest): Promise<CognitoSessionEnd> {
    const { cookieName, secure } = this.options.settings;
    const setCookie = [clearingSetCookie(cookieName, secure)];
    const cookie = this.cookieOf(request, true);
    if (cookie === undefined) return { setCookie };
    const loaded = await this.keeper.load(cookie).catch(() => undefined);
    await this.keeper.remove(cookie.id);
    if (loaded === undefined) return { setCookie };
    return { refreshToken: loaded.record.refreshToken, username: loaded.record.username, setCookie };
  }

  endAllOf(sub: string): Promise<void> {
    return this.keeper.endAllOf(sub);
  }

  async issueTicket(request: AuthRequest): Promise<{ ticket: string; expiresIn: number }> {
    const cookie = this.cookieOf(request, true);
    if (cookie === undefined) throw new CognitoUnauthorizedError('SessionInvalid', 'No session cookie');
    await this.keeper.load(cookie);
    return this.tickets.issue(cookie);
  }

  async accessTokenOf(request: AuthRequest): Promise<string | undefined> {
    // A WebSocket handshake never authenticates by cookie (cross-site WebSocket hijacking).
    if (request.headers?.upgrade !== undefined) return undefined;
    const cookie = this.cookieOf(request, true);
    if (cookie === undefined) return undefined;
    return (await this.keeper.current(cookie)).accessToken;
  }

  async redeemTicket(ticket: string): Promise<string> {
    const cookie = await this.tickets.redeem(ticket);
    return (await this.keeper.current(cookie)).accessToken;
  }

  /** The request's session cookie, CSRF-checked (for unsafe methods) when `csrf`. */
  private cookieOf(request: AuthRequest, csrf: boolean): SessionCookieValue | undefined {
    const cookie = readSessionCookie(request.headers, this.options.settings.cookieName);
    if (cookie !== undefined && csrf) assertSessionCsrf(request.method, request.headers, this.options.csrf);
    return cookie;
  }
}
