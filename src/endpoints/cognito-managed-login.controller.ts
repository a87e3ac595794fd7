import type { IncomingHttpHeaders } from 'node:http';
import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  Optional,
  Post,
  Query,
  Req,
  Res,
  type Type,
  UseFilters,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '../auth/cognito-auth.decorators';
import type { AuthRequest } from '../auth/auth-request';
import { CognitoConfigurationError, CognitoCsrfError, CognitoSyncError } from '../errors/cognito.errors';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import { cognitoLogoutUrl } from '../oauth/cognito-oauth-server';
import { consumeLoginState, createLoginState } from '../oauth/login-state-cookie';
import { CognitoManagedLoginFlow } from '../oauth/managed-login-flow';
import { checkReturnTo } from '../oauth/return-to';
import { CognitoServerSessions } from '../session/cognito-server-sessions';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { setNoStore } from './refresh-body-rules';

/** The settings of the logout's Origin check, from `authController`. */
export interface ManagedLoginEndpointSettings {
  csrfHeader: string;
  /** `authController.allowedOrigins`; default (undefined): `managedLogin.redirectUri`'s origin. */
  allowedOrigins?: string[];
}

type LoginRequest = AuthRequest & { headers: IncomingHttpHeaders };

/** The flag a login the user (or the identity provider) cancelled adds to `returnTo`. */
export const LOGIN_ERROR_PARAM = 'loginError';
/** RFC 6749's error codes are of this shape; anything else from the query is reported as `unknown`. */
const OAUTH_ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * Managed login (Cognito's hosted pages, the OAuth 2.0 code flow done by the server), under
 * `authController`'s path, with `managedLogin` and `session`:
 *
 * - `GET login[?provider=&returnTo=]`: 302 to Cognito's `/oauth2/authorize` (PKCE S256, state, nonce,
 *   the configured scopes, `identity_provider` when given), the login state in its own sealed cookie.
 * - `GET callback`: checks the state, exchanges the code, verifies the ID token and its nonce, starts a
 *   server-side session and 302s to `returnTo` with the session cookie. A login cancelled at Cognito
 *   (`error=` with a valid state) 302s to `returnTo` with `loginError=<code>` instead.
 * - `POST logout` (a top-level form post): Origin-checked; ends the session, revokes its refresh token,
 *   303 to Cognito's `/logout`, which sends the browser on to `managedLogin.logoutUri`.
 *
 * Without `managedLogin` (known only once the module options are resolved) every route answers 404.
 */
@Public()
@UseFilters(CognitoExceptionFilter)
export class CognitoManagedLoginController {
  protected readonly settings: ManagedLoginEndpointSettings = { csrfHeader: 'x-requested-with' };

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
    @Inject(CognitoManagedLoginFlow) private readonly managedLogin: CognitoManagedLoginFlow | null,
    // Provided by the session wiring when `session` is set; managed login keeps its tokens nowhere else.
    @Optional() private readonly serverSessions?: CognitoServerSessions,
  ) {
    if (managedLogin !== null && serverSessions === undefined) {
      throw new CognitoConfigurationError('managedLogin needs session: the tokens stay on the server');
    }
  }

  private get sessions(): CognitoServerSessions {
    return this.serverSessions!;
  }

  @Get('login')
  login(@Query() query: Record<string, unknown>, @Req() request: LoginRequest, @Res() response: unknown): void {
    const flow = this.prepare(response);
    const returnTo = checkReturnTo(asParam(query.returnTo), flow.login.redirectUri);
    if (!returnTo.ok) {
      throw new CognitoSyncError(
        `returnTo is refused (${returnTo.reason}): give a path of this site`,
        'ReturnToRefused',
        400,
      );
    }
    const provider = query.provider;
    if (provider !== undefined && !(typeof provider === 'string' && flow.login.identityProviders.includes(provider))) {
      throw new CognitoSyncError(
        'provider is not one of the configured identity providers',
        'UnknownIdentityProvider',
        400,
      );
    }
    const created = createLoginState(
      flow.stateCookie,
      { returnTo: returnTo.returnTo, ...(provider === undefined ? {} : { provider }) },
      request.headers.cookie,
    );
    this.setCookies(response, created.setCookies);
    this.adapterHost.httpAdapter.redirect(response, 302, flow.authorizeUrl(created, provider));
  }

  @Get('callback')
  async callback(
    @Query() query: Record<string, unknown>,
    @Req() request: LoginRequest,
    @Res() response: unknown,
  ): Promise<void> {
    const flow = this.prepare(response);
    const consumed = consumeLoginState(flow.stateCookie, query.state, request.headers.cookie);
    if (!consumed.ok) {
      if (consumed.setCookie !== undefined) this.setCookies(response, [consumed.setCookie]);
      throw new CognitoSyncError(
        `The login state is ${consumed.reason}: start the login again`,
        'LoginStateInvalid',
        400,
      );
    }
    // From here on the login's cookie becomes a used mark, whatever the answer (one Set-Cookie list per answer).
    const used = consumed.setCookie;
    if (query.error !== undefined) {
      const code = typeof query.error === 'string' && OAUTH_ERROR_CODE.test(query.error) ? query.error : 'unknown';
      this.setCookies(response, [used]);
      return this.redirect(response, 302, withParam(consumed.returnTo, LOGIN_ERROR_PARAM, code));
    }
    let sessionCookies: string[];
    try {
      const tokens = await flow.exchange({
        query,
        state: query.state as string,
        codeVerifier: consumed.codeVerifier,
        nonce: consumed.nonce,
      });
      sessionCookies = await this.sessions.start(tokens, request);
    } catch (error) {
      this.setCookies(response, [used]);
      throw error;
    }
    this.setCookies(response, [used, ...sessionCookies]);
    this.redirect(response, 302, consumed.returnTo);
  }

  @Post('logout')
  async logout(@Req() request: LoginRequest, @Res() response: unknown): Promise<void> {
    const flow = this.prepare(response);
    this.assertLogoutOrigin(request.headers, flow.login.redirectUri);
    const ended = await this.sessions.end(request);
    // Revoked at Cognito too; a failure there is logged and the local sign-out stands.
    if (ended.refreshToken !== undefined) await flow.revoke(ended.refreshToken);
    this.setCookies(response, ended.setCookie);
    this.redirect(response, 303, cognitoLogoutUrl(flow.login, this.options.clientId));
  }

  /** `no-store` first (error answers carry it too), and the flow, or 404 without `managedLogin`. */
  private prepare(response: unknown): CognitoManagedLoginFlow {
    setNoStore(this.adapterHost.httpAdapter, response);
    if (this.managedLogin === null) throw new NotFoundException();
    return this.managedLogin;
  }

  /**
   * A form post can come from any site, with the browser's cookies (SameSite=Lax lets a top-level POST
   * through only on the same site, but a sibling subdomain is the same site): the Origin must be an
   * allowed one. Without an Origin (an old browser, a script), only a request with the CSRF header,
   * which a cross-site form cannot send.
   */
  private assertLogoutOrigin(headers: IncomingHttpHeaders, redirectUri: string): void {
    const allowed = this.settings.allowedOrigins ?? [new URL(redirectUri).origin];
    const origin = headers.origin;
    if (origin === undefined) {
      if (!headers[this.settings.csrfHeader.toLowerCase()])
        throw new CognitoCsrfError(`A logout without an Origin header needs the ${this.settings.csrfHeader} header`);
      return;
    }
    if (!allowed.includes(origin)) throw new CognitoCsrfError('This origin may not sign out');
  }

  private setCookies(response: unknown, values: string[]): void {
    // Both adapters take a list for Set-Cookie (Express's res.set, Fastify's reply.header); the type says string.
    if (values.length > 0) this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', values as unknown as string);
  }

  private redirect(response: unknown, status: 302 | 303, location: string): void {
    this.adapterHost.httpAdapter.redirect(response, status, location);
  }
}

/** A query parameter as checkReturnTo reads it: a nested or repeated one is not a single string. */
function asParam(value: unknown): string | readonly string[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : [];
}

/** `path` (a checked same-origin path) with one query parameter set, its fragment kept. */
function withParam(path: string, name: string, value: string): string {
  const url = new URL(path, 'http://placeholder.invalid');
  url.searchParams.set(name, value);
  return url.pathname + url.search + url.hash;
}

/** The controller class for one registration, under `path`. */
export function managedLoginControllerFor(
  path: string,
  settings: ManagedLoginEndpointSettings,
): Type<CognitoManagedLoginController> {
  @Controller(path)
  class ConfiguredCognitoManagedLoginController extends CognitoManagedLoginController {
    protected override readonly settings = settings;
  }
  return ConfiguredCognitoManagedLoginController;
}
