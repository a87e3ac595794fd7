import { Global, Injectable, Module } from '@nestjs/common';
import {
  CognitoAuthUnavailableError,
  CognitoForbiddenError,
  CognitoUnauthorizedError,
} from '../../src/errors/cognito-auth.errors';
import type { AuthRequest } from '../../src/auth/auth-request';
import { CognitoSessionAuthenticator } from '../../src/auth/session-authenticator';
import { readCookie } from '../../src/internal/cookie-header';
import { isUpgradeRequest } from '../../src/auth/request-token';

export const SESSION_COOKIE = 'cognito-session';

/**
 * A stand-in for the guard's view of server-side sessions (src/session/ provides the real one):
 * session ids and tickets mapped to real access tokens of cognito-local, and the refusals the
 * contract names, each on a session id of its own. Ids: any string set with {@link StandInSessions.start}.
 */
@Injectable()
export class StandInSessions extends CognitoSessionAuthenticator {
  readonly cookieName = SESSION_COOKIE;
  private readonly sessions = new Map<string, string>();
  private readonly tickets = new Map<string, string>();
  /** Every request asked about, for the tests that no handshake is. */
  readonly asked: AuthRequest[] = [];

  start(id: string, accessToken: string): void {
    this.sessions.set(id, accessToken);
  }

  issueTicket(ticket: string, accessToken: string): void {
    this.tickets.set(ticket, accessToken);
  }

  async accessTokenOf(request: AuthRequest): Promise<string | undefined> {
    this.asked.push(request);
    const headers = request.headers ?? {};
    // As the contract says: a handshake never authenticates by cookie.
    if (isUpgradeRequest(headers)) return undefined;
    const id = readCookie(headers.cookie, SESSION_COOKIE);
    if (id === undefined) return undefined;
    if (id === 'expired') throw new CognitoUnauthorizedError('SessionExpired', 'The session has ended: sign in again');
    if (id === 'store-down')
      throw new CognitoAuthUnavailableError('SessionStoreUnavailable', 'The session store cannot be reached', 3);
    const method = typeof request.method === 'string' ? request.method : 'GET';
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && headers['x-requested-with'] === undefined)
      throw new CognitoForbiddenError(undefined, 'CsrfCheckFailed');
    const token = this.sessions.get(id);
    if (token === undefined) throw new CognitoUnauthorizedError('SessionInvalid', 'The session cookie is not valid');
    return token;
  }

  async redeemTicket(ticket: string): Promise<string> {
    const token = this.tickets.get(ticket);
    // Single use: gone at the first redemption.
    this.tickets.delete(ticket);
    if (token === undefined) throw new CognitoUnauthorizedError('TicketInvalid', 'The connection ticket is not valid');
    return token;
  }
}

/** Provides the stand-in app-wide, as the session wiring provides the real one. */
@Global()
@Module({
  providers: [StandInSessions, { provide: CognitoSessionAuthenticator, useExisting: StandInSessions }],
  exports: [StandInSessions, CognitoSessionAuthenticator],
})
export class StandInSessionsModule {}

/** A `Cookie` header naming session `id`. */
export const sessionCookie = (id: string) => ({ Cookie: `${SESSION_COOKIE}=${id}` });
