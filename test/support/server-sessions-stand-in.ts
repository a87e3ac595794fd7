import { randomBytes } from 'node:crypto';
import { type DynamicModule, Global, Injectable, Module } from '@nestjs/common';
import { CognitoUnauthorizedError } from '../../src/errors/cognito-auth.errors';
import type { AuthRequest } from '../../src/auth/auth-request';
import { readCookie } from '../../src/internal/cookie-header';
import { CognitoServerSessions } from '../../src/session/cognito-server-sessions';
import type {
  CognitoSessionStart,
  CognitoSessionSummary,
  CognitoSessionTokens,
} from '../../src/session/session-summary';

export const STAND_IN_SESSION_COOKIE = 'cognito-session';

/** The public API of CognitoServerSessions that the session endpoints use (issue 26's shared design). */
type ServerSessionsApi = Pick<
  CognitoServerSessions,
  | 'cookieName'
  | 'csrfHeader'
  | 'start'
  | 'startWithSummary'
  | 'summaryOf'
  | 'end'
  | 'endAllOf'
  | 'issueTicket'
  | 'accessTokenOf'
  | 'redeemTicket'
>;

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/**
 * A stand-in for CognitoServerSessions (src/session/ provides the real one, on another branch): an
 * in-memory map of random session ids to the tokens the endpoints hand it, the contract's cookie (without
 * `Secure`, as on plain http to this machine), its summary read from the ID token's claims, single-use
 * tickets. It checks no CSRF itself (the endpoints' own checks are what the tests exercise) and never
 * refreshes. Every session ever started is kept in `started`, for the tests that revoke its tokens.
 */
@Injectable()
export class StandInServerSessions implements ServerSessionsApi {
  readonly cookieName = STAND_IN_SESSION_COOKIE;
  readonly csrfHeader = 'x-requested-with';
  readonly sessions = new Map<string, CognitoSessionTokens>();
  readonly started: CognitoSessionTokens[] = [];
  private readonly tickets = new Map<string, string>();

  start(tokens: CognitoSessionTokens, request: AuthRequest): Promise<string[]> {
    // A new id at every sign-in, the old session dropped (no fixation), as the contract says.
    const old = this.idOf(request);
    if (old !== undefined) this.sessions.delete(old);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, tokens);
    this.started.push(tokens);
    return Promise.resolve([`${this.cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`]);
  }

  async startWithSummary(tokens: CognitoSessionTokens, request: AuthRequest): Promise<CognitoSessionStart> {
    const setCookie = await this.start(tokens, request);
    const session = await this.summaryOf({ method: 'GET', headers: { cookie: setCookie[0].split(';')[0] } });
    return { setCookie, session: session! };
  }

  summaryOf(request: AuthRequest): Promise<CognitoSessionSummary | undefined> {
    const id = this.idOf(request);
    if (id === undefined) return Promise.resolve(undefined);
    const tokens = this.sessions.get(id);
    if (!tokens) return Promise.reject(new CognitoUnauthorizedError('SessionInvalid', 'The session is not valid'));
    const id_ = claimsOf(tokens.idToken);
    const access = claimsOf(tokens.accessToken);
    return Promise.resolve({
      sub: String(id_.sub),
      username: String(access.username ?? id_['cognito:username']),
      email: typeof id_.email === 'string' ? id_.email : undefined,
      groups: Array.isArray(access['cognito:groups']) ? (access['cognito:groups'] as string[]) : [],
      expiresAt: Math.floor(Date.now() / 1000) + 86_400,
      accessTokenExpiresAt: Number(access.exp),
    });
  }

  end(request: AuthRequest): Promise<{ refreshToken?: string; username?: string; setCookie: string[] }> {
    const id = this.idOf(request);
    const tokens = id === undefined ? undefined : this.sessions.get(id);
    if (id !== undefined) this.sessions.delete(id);
    const setCookie = [`${this.cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`];
    return Promise.resolve({ refreshToken: tokens?.refreshToken, username: tokens?.username, setCookie });
  }

  endAllOf(sub: string): Promise<void> {
    for (const [id, tokens] of this.sessions) if (claimsOf(tokens.idToken).sub === sub) this.sessions.delete(id);
    return Promise.resolve();
  }

  issueTicket(request: AuthRequest): Promise<{ ticket: string; expiresIn: number }> {
    const id = this.idOf(request);
    if (id === undefined || !this.sessions.has(id))
      return Promise.reject(new CognitoUnauthorizedError('SessionInvalid', 'The session is not valid'));
    const ticket = randomBytes(32).toString('base64url');
    this.tickets.set(ticket, id);
    return Promise.resolve({ ticket, expiresIn: 30 });
  }

  accessTokenOf(request: AuthRequest): Promise<string | undefined> {
    const id = this.idOf(request);
    return Promise.resolve(id === undefined ? undefined : this.sessions.get(id)?.accessToken);
  }

  redeemTicket(ticket: string): Promise<string> {
    const id = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    const token = id === undefined ? undefined : this.sessions.get(id)?.accessToken;
    if (token === undefined) return Promise.reject(new CognitoUnauthorizedError('TicketInvalid', 'Not valid'));
    return Promise.resolve(token);
  }

  private idOf(request: AuthRequest): string | undefined {
    const cookie = request.headers?.cookie;
    return readCookie(cookie, this.cookieName);
  }
}

/**
 * Provides `standIn` app-wide under CognitoServerSessions' token (the endpoints inject that class):
 * until the real sessions are wired, nothing in src/ registers it. Tests also override the token with
 * it, so that the stand-in stays in use once src/ provides the real class.
 */
@Global()
@Module({})
export class StandInServerSessionsModule {
  static with(standIn: StandInServerSessions): DynamicModule {
    const providers = [
      { provide: StandInServerSessions, useValue: standIn },
      { provide: CognitoServerSessions, useValue: standIn },
    ];
    return { module: StandInServerSessionsModule, providers, exports: [StandInServerSessions, CognitoServerSessions] };
  }
}
