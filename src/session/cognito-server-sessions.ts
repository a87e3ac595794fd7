import { Injectable } from '@nestjs/common';
import type { AuthRequest } from '../auth/auth-request';
import { CognitoSessionAuthenticator } from '../auth/session-authenticator';
import type * as Machinery from './session-machinery';
import type {
  CognitoSessionEnd,
  CognitoSessionStart,
  CognitoSessionSummary,
  CognitoSessionTokens,
} from './session-summary';

/**
 * Server-side sessions (the `session` option): the tokens stay on the server, the browser holds an
 * opaque `HttpOnly` cookie. The auth endpoints start and end sessions through this; the guard asks it
 * (as `CognitoSessionAuthenticator`) for the access token behind a request's cookie or a socket's
 * ticket. Provided only when `session` is set; its machinery is loaded only then.
 */
@Injectable()
export class CognitoServerSessions extends CognitoSessionAuthenticator {
  readonly cookieName: string;
  /**
   * The header an unsafe request authenticated by the session carries to pass the CSRF check
   * (`authController.csrfHeader`, default `x-requested-with`); any non-empty value passes.
   */
  readonly csrfHeader: string;
  private readonly machinery: Machinery.SessionMachinery;

  /** @internal Built by the module (see session.providers.ts). */
  constructor(options: Machinery.SessionMachineryOptions) {
    super();
    this.cookieName = options.settings.cookieName;
    this.csrfHeader = options.csrf.header;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only with session set, see above
    const { SessionMachinery } = require('./session-machinery') as typeof Machinery;
    this.machinery = new SessionMachinery(options);
  }

  /**
   * Stores a new session for tokens Cognito has just issued (nothing is verified here: never pass a
   * request's tokens), under a new random id, deleting the one the request came with (fixation), and
   * answers the `Set-Cookie` values to send.
   */
  start(tokens: CognitoSessionTokens, request: AuthRequest): Promise<string[]> {
    return this.machinery.start(tokens, request);
  }

  /**
   * {@link start}, answering also the new session's summary (what `GET <path>/session` would answer),
   * read from the record just stored rather than from the store again.
   */
  startWithSummary(tokens: CognitoSessionTokens, request: AuthRequest): Promise<CognitoSessionStart> {
    return this.machinery.startWithSummary(tokens, request);
  }

  /** The signed-in user of the request's session (no token), or undefined without a session cookie. */
  summaryOf(request: AuthRequest): Promise<CognitoSessionSummary | undefined> {
    return this.machinery.summaryOf(request);
  }

  /** Deletes the request's session; answers what to revoke at Cognito and the clearing `Set-Cookie`. */
  end(request: AuthRequest): Promise<CognitoSessionEnd> {
    return this.machinery.end(request);
  }

  /** Ends every session of the user `sub` on every instance sharing the store. */
  endAllOf(sub: string): Promise<void> {
    return this.machinery.endAllOf(sub);
  }

  /** A single-use WebSocket connection ticket (30 s) for the request's session (CSRF-checked). */
  issueTicket(request: AuthRequest): Promise<{ ticket: string; expiresIn: number }> {
    return this.machinery.issueTicket(request);
  }

  accessTokenOf(request: AuthRequest): Promise<string | undefined> {
    return this.machinery.accessTokenOf(request);
  }

  redeemTicket(ticket: string): Promise<string> {
    return this.machinery.redeemTicket(ticket);
  }
}
