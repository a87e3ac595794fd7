import type { IncomingHttpHeaders } from 'node:http';
import { NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { CognitoBadResponseError, CognitoConfigurationError, CognitoCsrfError } from '../errors/cognito.errors';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { errorBody } from '../errors/error-body';
import type { CognitoAuthControllerOptions, ResolvedCognitoOptions } from '../options/cognito-module-options';
import { assertSessionWithoutRefreshCookie } from '../options/refresh-options';
import { readCookie } from '../internal/cookie-header';
import type { AuthRequest } from '../auth/auth-request';
import type { CognitoServerSessions } from '../session/cognito-server-sessions';
import type { CognitoSessionSummary } from '../session/session-summary';
import type { CognitoSyncService } from '../service/cognito-sync.service';
import { assertOriginMaySignIn } from './refresh-cookie';
import type { TokenEndpointSettings } from './cognito-token-endpoint';
import type { RefreshTokensResponse } from './tokens-response';

/** The answer of sign-in and challenge in session mode once signed in: who, never a token. */
export interface SessionSignInResponse {
  signedIn: true;
  session: CognitoSessionSummary;
}

/** A request as the session endpoints read it (Nest's request: its headers, method and the rest). */
export type SessionEndpointRequest = AuthRequest & { headers: IncomingHttpHeaders };

/**
 * @internal The auth endpoints in session mode (the `session` option): sign-in and challenge start a
 * server-side session and set its cookie instead of answering tokens, sign-out ends it and revokes its
 * refresh token, `GET session` says who is signed in, `POST ws-ticket` issues a WebSocket connection ticket.
 * The sessions themselves (store, seal, refresh, cookie) are {@link CognitoServerSessions}'.
 */
export class SessionEndpoints {
  constructor(
    private readonly sessions: CognitoServerSessions,
    private readonly cognito: CognitoSyncService,
    private readonly settings: TokenEndpointSettings,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Session mode when the registration's `session` option is set. It is a module option (async
   * registrations give it at runtime), so the routes exist either way and the mode is chosen here.
   */
  static of(
    options: ResolvedCognitoOptions,
    authController: CognitoAuthControllerOptions,
    sessions: CognitoServerSessions | undefined,
    cognito: CognitoSyncService,
    settings: TokenEndpointSettings,
    adapterHost: HttpAdapterHost,
  ): SessionEndpoints | undefined {
    assertSessionWithoutRefreshCookie(options.session, authController);
    if (options.session === undefined) return undefined;
    if (!sessions) throw new CognitoConfigurationError('session is set but the server-side sessions are not provided');
    const allowedOrigins = settings.allowedOrigins ?? defaultOrigins(options);
    return new SessionEndpoints(sessions, cognito, { ...settings, allowedOrigins }, adapterHost);
  }

  /** Sign-in and challenge: the same Origin allow-list as in cookie mode (a page elsewhere may not sign in). */
  assertOriginMaySignIn(headers: IncomingHttpHeaders): void {
    const { allowedOrigins } = this.settings;
    if (allowedOrigins) assertOriginMaySignIn(headers, allowedOrigins);
  }

  /**
   * The tokens Cognito has just answered become a new session (a new id even when the request had
   * one: no fixation); the answer is its summary, the tokens stay here. A challenge passes as it is.
   */
  async signedIn(
    answer: RefreshTokensResponse,
    username: (accessToken: string) => string | undefined,
    request: SessionEndpointRequest,
    response: unknown,
  ): Promise<RefreshTokensResponse | SessionSignInResponse> {
    const result = answer.authenticationResult;
    if (!result) return answer;
    const { accessToken, idToken, refreshToken } = result;
    if (accessToken === null || idToken === null || refreshToken === null)
      throw new CognitoBadResponseError('Cognito answered a sign-in without an access, ID or refresh token');
    const { setCookie, session } = await this.sessions.startWithSummary(
      { accessToken, idToken, refreshToken, username: username(accessToken) },
      request,
    );
    this.setCookies(response, setCookie);
    return { signedIn: true, session };
  }

  /**
   * Ends the request's session (CSRF-checked when it carries one), clears its cookie and revokes its
   * refresh token (RevokeToken; the access token stops working with it). No session: signed out already.
   */
  async signOut(request: SessionEndpointRequest, response: unknown): Promise<void> {
    if (readCookie(request.headers.cookie, this.sessions.cookieName) !== undefined) this.assertSameSite(request);
    const { refreshToken, setCookie } = await this.sessions.end(request);
    // Cleared first: the session is gone whatever Cognito answers to the revocation.
    this.setCookies(response, setCookie);
    if (refreshToken !== undefined) await this.cognito.signOut(refreshToken);
  }

  /** `GET session`: the summary, or 401 when the request has no session (the sessions' refusals pass as they are). */
  async summary(request: SessionEndpointRequest): Promise<CognitoSessionSummary> {
    const summary = await this.sessions.summaryOf(request);
    if (!summary) throw new CognitoUnauthorizedError('SessionInvalid', 'There is no session: sign in');
    return summary;
  }

  /** `POST ws-ticket`: a short-lived, single-use WebSocket connection ticket for the request's session. */
  ticket(request: SessionEndpointRequest): Promise<{ ticket: string; expiresIn: number }> {
    this.assertSameSite(request);
    return this.sessions.issueTicket(request);
  }

  /** An unsafe request that acts on the session cookie: the CSRF header, or an allowed Origin. */
  private assertSameSite({ headers }: SessionEndpointRequest): void {
    const { csrfHeader, allowedOrigins } = this.settings;
    if (headers[csrfHeader.toLowerCase()]) return;
    if (allowedOrigins?.includes(String(headers.origin ?? ''))) return;
    const orOrigin = allowedOrigins ? ' or an allowed Origin' : '';
    throw new CognitoCsrfError(`A request with the session cookie needs the ${csrfHeader} header${orOrigin}`);
  }

  private setCookies(response: unknown, values: string[]): void {
    // Node and Fastify both send an array as one Set-Cookie line each.
    if (values.length > 0) this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', values as unknown as string);
  }
}

/**
 * What a route answers in the mode that does not serve it (refresh in session mode, session and ws-ticket
 * without it): 404 with the module's error body, code `NotFound`.
 */
export function notServed(message: string): NotFoundException {
  return new NotFoundException(errorBody(404, 'NotFound', message));
}

/** The allowed origins by default in session mode: managed login's redirect URI's. */
function defaultOrigins({ managedLogin }: ResolvedCognitoOptions): string[] | undefined {
  return managedLogin?.redirectUri === undefined ? undefined : [new URL(managedLogin.redirectUri).origin];
}
