// A stand-in for CognitoServerSessions for the managed-login endpoints' e2e: sessions in a
// Map under a random id, the cookie plain, so the test can read the tokens a login stored.
import { randomBytes } from 'node:crypto';
import type { AuthRequest } from '../../src/auth/auth-request';
import type { CognitoSessionEnd, CognitoSessionTokens } from '../../src/session/session-summary';

export const STAND_IN_SESSION_COOKIE = 'stand-in-session';

export class ServerSessionsStandIn {
  readonly cookieName = STAND_IN_SESSION_COOKIE;
  readonly sessions = new Map<string, CognitoSessionTokens>();

  start(tokens: CognitoSessionTokens, request: AuthRequest): Promise<string[]> {
    // As the real one: a new id every time, the old session dropped (fixation).
    const old = this.idOf(request);
    if (old !== undefined) this.sessions.delete(old);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, tokens);
    return Promise.resolve([`${STAND_IN_SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`]);
  }

  end(request: AuthRequest): Promise<CognitoSessionEnd> {
    const id = this.idOf(request);
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (id !== undefined) this.sessions.delete(id);
    return Promise.resolve({
      ...(session ? { refreshToken: session.refreshToken, username: session.username } : {}),
      setCookie: [`${STAND_IN_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`],
    });
  }

  private idOf(request: AuthRequest): string | undefined {
    const header = request.headers?.cookie;
    const cookie = typeof header === 'string' ? header : undefined;
    const match = cookie?.split(/;\s*/).find((part) => part.startsWith(`${STAND_IN_SESSION_COOKIE}=`));
    return match?.slice(STAND_IN_SESSION_COOKIE.length + 1);
  }
}
