import type { INestApplicationContext } from '@nestjs/common';
import { CognitoServerSessions } from '../session/cognito-server-sessions';
import type { CognitoSessionSummary, CognitoSessionTokens } from '../session/session-summary';

/** A signed-in session for a test's requests: what a browser would hold after signing in, and who it is. */
export interface CognitoTestSession {
  /** `name=value` of the session cookie, for supertest's `.set('Cookie', session.cookie)`. */
  readonly cookie: string;
  /**
   * The header that passes the CSRF check of unsafe methods (POST, PUT, PATCH, DELETE):
   * `{ 'x-requested-with': 'XMLHttpRequest' }`, or `authController.csrfHeader` when set.
   */
  readonly csrfHeaders: Readonly<Record<string, string>>;
  /** The cookie and the CSRF header together, for `.set(session.headers)` on any method. */
  readonly headers: Readonly<Record<string, string>>;
  /** What `GET <path>/session` answers for it (never a token). */
  readonly summary: CognitoSessionSummary;
}

/**
 * Starts a server-side session in `app` (or a testing module) for `tokens`, as the sign-in endpoints do,
 * without the browser flow: the tokens go into the app's own session store (in memory or Redis), and the
 * answer is the cookie the browser would get. Nothing is verified here (the guard verifies the access
 * token at each request): pass tokens of `local.signIn()` (cognito-local) or of `createCognitoTestKit()`
 * for an app that trusts the kit. Refused when the app was registered without the `session` option.
 */
export async function signInSession(
  app: INestApplicationContext,
  tokens: CognitoSessionTokens,
): Promise<CognitoTestSession> {
  const sessions = serverSessionsOf(app);
  const { setCookie, session } = await sessions.startWithSummary(tokens, { method: 'POST', headers: {} });
  const cookie = setCookie.map((line) => line.split(';')[0]).find((pair) => pair.startsWith(`${sessions.cookieName}=`));
  if (cookie === undefined) throw new Error('signInSession: the sessions answered no session cookie');
  const csrfHeaders = { [sessions.csrfHeader.toLowerCase()]: 'XMLHttpRequest' };
  return { cookie, csrfHeaders, headers: { cookie, ...csrfHeaders }, summary: session };
}

function serverSessionsOf(app: INestApplicationContext): CognitoServerSessions {
  let sessions: CognitoServerSessions | undefined;
  try {
    sessions = app.get(CognitoServerSessions, { strict: false });
  } catch {
    sessions = undefined;
  }
  // Registered without `session`, the provider exists and is undefined.
  if (!(sessions instanceof CognitoServerSessions)) {
    throw new TypeError(
      'signInSession: the app has no server-side sessions: register CognitoModule with the `session` option ' +
        '(and authController)',
    );
  }
  return sessions;
}
