import type {
  AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Optional,
  Post,
  Req,
  Res,
  type OnModuleInit,
  type Type,
  UseFilters,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CognitoInputError } from '../errors/cognito.errors';
import { callerUsername, requiredStrings, usernameClaim } from './sign-in-fields';
import type { CognitoAuthControllerOptions, ResolvedCognitoOptions } from '../options/cognito-module-options';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import { CognitoServerSessions } from '../session/cognito-server-sessions';
import type { CognitoSessionSummary } from '../session/session-summary';
import { CognitoSyncService } from '../service/cognito-sync.service';
import { CognitoRefreshCookies } from './cognito-refresh-cookies';
import {
  notServed,
  SessionEndpoints,
  type SessionEndpointRequest,
  type SessionSignInResponse,
} from './session-endpoints';
import type { CognitoChallengeName } from '../internal/input-checks';
import { Public } from '../auth/cognito-auth.decorators';
import { AnswerBodyErrors } from './bad-body-answers';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import { validateRefreshControllerOptions } from '../options/refresh-options';
import { setNoStore } from './refresh-body-rules';
import {
  bodyObject,
  bodyRefreshToken,
  CognitoTokenEndpoint,
  type EndpointRequest,
  tokenEndpointSettings,
} from './cognito-token-endpoint';
import { type RefreshTokensResponse, toRefreshTokensResponse } from './tokens-response';

/**
 * The auth endpoints, under `auth` (or `path`; `auth/<name>` for a named pool):
 *
 * - `POST sign-in` with `{ username, password }`: ADMIN_USER_PASSWORD_AUTH. 200 with
 *   the tokens, or with `challengeName` and `session` when Cognito asks for more. An
 *   unknown user and a wrong password get the same 401.
 * - `POST challenge` with `{ challengeName, session, username, responses }`:
 *   AdminRespondToAuthChallenge. 200 with the tokens or the next challenge.
 * - `POST refresh`: exactly the refresh endpoint ({@link CognitoRefreshController}).
 * - `POST sign-out` with `{ refreshToken }` (or, in cookie mode, the cookie): RevokeToken.
 *   204, also when there is nothing (left) to revoke.
 *
 * In cookie mode sign-in and challenge answers put the refresh token (and, for an app
 * client with a secret, the internal username its SECRET_HASH needs) in the `HttpOnly`
 * cookie only, never in the JSON; refresh and sign-out read it from there behind the
 * CSRF checks, and sign-out clears it. Every answer is `Cache-Control: no-store`; the
 * bodies must be UTF-8 JSON. Registered by `authController`; `@Public()`.
 *
 * In session mode (the `session` option) no token reaches the browser: sign-in and challenge answer
 * `{ signedIn: true, session }` and set the session cookie, sign-out ends the session and revokes its
 * refresh token, `GET session` answers who is signed in, `POST ws-ticket` a WebSocket connection ticket,
 * and `POST refresh` is not served (404: the session refreshes itself on the server). Without it those
 * two routes answer 404.
 */
@Public()
@UseFilters(CognitoExceptionFilter)
export class CognitoAuthController extends CognitoTokenEndpoint implements OnModuleInit {
  /** The registration's `authController` option (the subclass's). */
  protected readonly authControllerOptions: CognitoAuthControllerOptions = {};
  /** Set in session mode only, at startup (once the subclass's settings are in place). */
  protected sessions?: SessionEndpoints;

  constructor(
    cognito: CognitoSyncService,
    adapterHost: HttpAdapterHost,
    // Named: a union type would be emitted as Object.
    @Optional() @Inject(CognitoRefreshCookies) cookies: CognitoRefreshCookies | undefined,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
    @Optional() private readonly serverSessions?: CognitoServerSessions,
  ) {
    super(cognito, adapterHost, cookies);
  }

  /** Session mode or not (see {@link SessionEndpoints.of}): `session` is a module option, known from here on. */
  onModuleInit(): void {
    const { options, authControllerOptions, serverSessions, cognito, settings, adapterHost } = this;
    this.sessions = SessionEndpoints.of(options, authControllerOptions, serverSessions, cognito, settings, adapterHost);
  }

  @Post('sign-in')
  @HttpCode(200)
  @AnswerBodyErrors()
  async signIn(
    @Body() body: unknown,
    @Req() request: SessionEndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse | SessionSignInResponse> {
    this.prepare(request.headers, response);
    this.assertOriginMaySignIn(request.headers);
    const { username, password } = requiredStrings(bodyObject(body), ['username', 'password']);
    return this.answer(await callerUsername(this.cognito.signIn(username, password)), request, response);
  }

  @Post('challenge')
  @HttpCode(200)
  @AnswerBodyErrors()
  async challenge(
    @Body() body: unknown,
    @Req() request: SessionEndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse | SessionSignInResponse> {
    this.prepare(request.headers, response);
    this.assertOriginMaySignIn(request.headers);
    const fields = bodyObject(body);
    const { challengeName, session, username } = requiredStrings(fields, ['challengeName', 'session', 'username']);
    const { responses } = fields;
    if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) {
      throw new CognitoInputError('InvalidParameter', 'responses must be an object of strings');
    }
    // The service checks the challenge's name and its answers before any call.
    const output = await callerUsername(
      this.cognito.respondToAuthChallenge(
        challengeName as CognitoChallengeName,
        session,
        username,
        responses as Record<string, string>,
      ),
    );
    return this.answer(output, request, response);
  }

  @Post('refresh')
  @HttpCode(200)
  @AnswerBodyErrors()
  refresh(
    @Body() body: unknown,
    @Req() request: EndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse> {
    // A session refreshes itself on the server: its refresh token never leaves it.
    if (this.sessions) setNoStore(this.adapterHost.httpAdapter, response);
    if (this.sessions) throw notServed('Not served in session mode: the session refreshes itself on the server');
    return this.refreshFrom(body, request, response);
  }

  @Post('sign-out')
  @HttpCode(204)
  @AnswerBodyErrors()
  async signOut(
    @Body() body: unknown,
    @Req() request: SessionEndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<void> {
    const { headers } = request;
    this.prepare(headers, response);
    if (this.sessions) return this.sessions.signOut(request, response);
    let refreshToken = bodyRefreshToken(bodyObject(body));
    // As on refresh: the cookie is read (behind the CSRF checks) only when the body has no token.
    const stored = refreshToken === undefined ? this.storedCookie(headers) : undefined;
    refreshToken ??= stored?.token;
    // Cookie mode without a cookie: signed out already (a second sign-out, say).
    if (refreshToken === undefined && this.cookieJar) return;
    try {
      await this.cognito.signOut(refreshToken as string);
    } catch (error) {
      // A cookie whose token Cognito would never take (malformed)
      // is of no use: cleared too. Faults keep it, for a retry.
      if (stored && error instanceof Error && toCognitoHttpError(error).statusCode < 500)
        this.setCookie(response, this.cookieJar!.clear());
      throw error;
    }
    if (stored) this.setCookie(response, this.cookieJar!.clear());
  }

  @Get('session')
  async session(
    @Req() request: SessionEndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<CognitoSessionSummary> {
    setNoStore(this.adapterHost.httpAdapter, response);
    if (!this.sessions) throw notServed('Served only with server-side sessions (the session option)');
    return this.sessions.summary(request);
  }

  @Post('ws-ticket')
  @HttpCode(200)
  @AnswerBodyErrors()
  async wsTicket(
    @Req() request: SessionEndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<{ ticket: string; expiresIn: number }> {
    this.prepare(request.headers, response);
    if (!this.sessions) throw notServed('Served only with server-side sessions (the session option)');
    return this.sessions.ticket(request);
  }

  private assertOriginMaySignIn(headers: SessionEndpointRequest['headers']): void {
    if (this.sessions) this.sessions.assertOriginMaySignIn(headers);
    else this.assertOriginMaySetCookie(headers);
  }

  /**
   * The token answer; in cookie mode the refresh token goes to the cookie instead of the JSON, in
   * session mode every token goes to a new session.
   */
  private async answer(
    output: AdminInitiateAuthCommandOutput | AdminRespondToAuthChallengeCommandOutput,
    request: SessionEndpointRequest,
    response: unknown,
  ): Promise<RefreshTokensResponse | SessionSignInResponse> {
    const answer = toRefreshTokensResponse(output);
    const username = (token: string) => (this.cognito.requiresUsername ? usernameClaim(token) : undefined);
    if (this.sessions) return this.sessions.signedIn(answer, username, request, response);
    const cookies = this.cookieJar;
    const result = answer.authenticationResult;
    if (cookies && result) {
      if (result.refreshToken !== null) {
        this.setCookie(response, cookies.serialize(result.refreshToken, { username: username(result.accessToken!) }));
      }
      result.refreshToken = null;
    }
    return answer;
  }
}

/**
 * The controller class for one module registration, under its path and with its
 * settings; the options are checked here, at startup.
 */
export function authControllerFor(options: CognitoAuthControllerOptions, path: string): Type<CognitoAuthController> {
  validateRefreshControllerOptions(options, 'authController');
  const settings = tokenEndpointSettings(options);
  @Controller(path)
  class ConfiguredCognitoAuthController extends CognitoAuthController {
    protected override readonly settings = settings;
    protected override readonly authControllerOptions = options;
  }
  return ConfiguredCognitoAuthController;
}
