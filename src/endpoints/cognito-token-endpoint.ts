import type { IncomingHttpHeaders } from 'node:http';
import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { Optional, UseFilters } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoInputError, CognitoSyncError, tagCallerUsername } from '../errors/cognito.errors';
import type { CognitoRefreshControllerOptions } from '../options/cognito-module-options';
import { Public } from '../auth/cognito-auth.decorators';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import {
  assertOriginMaySignIn,
  assertSameSiteRequest,
  type CookieUsernameCheck,
  readRefreshCookie,
  serializeRefreshCookie,
  type StoredRefreshCookie,
} from './refresh-cookie';
import { CognitoRefreshCookies } from './cognito-refresh-cookies';
import { refusedBody, setNoStore } from './refresh-body-rules';
import { type RefreshTokensResponse, toRefreshTokensResponse } from './tokens-response';
import { CognitoSyncService } from '../service/cognito-sync.service';

/** @internal The settings of one registration's token endpoints. */
export interface TokenEndpointSettings {
  /** Cookie mode; the cookie itself is the registration's {@link CognitoRefreshCookies}. */
  cookie: boolean;
  csrfHeader: string;
  allowedOrigins?: string[];
}

/** @internal The settings of `refreshController` or `authController` (already validated). */
export function tokenEndpointSettings(options: CognitoRefreshControllerOptions): TokenEndpointSettings {
  return {
    cookie: options.cookie !== undefined,
    csrfHeader: options.csrfHeader ?? 'x-requested-with',
    allowedOrigins: options.allowedOrigins,
  };
}

/** @internal A request as the endpoints read it. */
export interface EndpointRequest {
  headers: IncomingHttpHeaders;
}

/**
 * @internal What the refresh endpoint and the auth endpoints share: the body rules,
 * `no-store`, the cookie behind the CSRF checks, and the refresh itself. Its
 * subclasses add the routes; errors go through {@link CognitoExceptionFilter}.
 */
@Public()
@UseFilters(CognitoExceptionFilter)
export abstract class CognitoTokenEndpoint {
  protected readonly settings: TokenEndpointSettings = { cookie: false, csrfHeader: 'x-requested-with' };

  constructor(
    protected readonly cognito: CognitoSyncService,
    protected readonly adapterHost: HttpAdapterHost,
    // Present in cookie mode only; another registration's one is ignored (settings.cookie).
    @Optional() protected readonly cookies?: CognitoRefreshCookies,
  ) {}

  /** The registration's cookie in cookie mode, else undefined. */
  protected get cookieJar(): CognitoRefreshCookies | undefined {
    return this.settings.cookie ? this.cookies : undefined;
  }

  /**
   * First thing on every route: `no-store` (set first, so that error answers carry it
   * too), then UTF-8 JSON with no content coding left undecoded, on both adapters alike:
   * Express would otherwise also parse a form post, Fastify would read any declared
   * charset as UTF-8 and a body declared as gzip or br as if it were not encoded.
   */
  protected prepare(headers: IncomingHttpHeaders, response: unknown): void {
    setNoStore(this.adapterHost.httpAdapter, response);
    const refused = refusedBody(headers, this.adapterHost.httpAdapter.getType());
    if (refused) throw refused;
  }

  /**
   * In cookie mode with `allowedOrigins`, a route that sets the cookie (sign-in,
   * challenge) answers only those origins, and requests without an Origin (not a browser's).
   * A page elsewhere needs a CORS preflight to send it JSON; this holds where the app's CORS lets one through.
   */
  protected assertOriginMaySetCookie(headers: IncomingHttpHeaders): void {
    const { allowedOrigins } = this.settings;
    if (this.cookieJar && allowedOrigins) assertOriginMaySignIn(headers, allowedOrigins);
  }

  /** In cookie mode, the request's refresh cookie, once the CSRF checks pass; undefined when there is none. */
  protected storedCookie(headers: IncomingHttpHeaders): StoredRefreshCookie | undefined {
    const cookies = this.cookieJar;
    if (!cookies) return undefined;
    const stored = readRefreshCookie(headers.cookie, cookies.settings.name);
    if (stored) assertSameSiteRequest(headers, this.settings.csrfHeader, this.settings.allowedOrigins);
    return stored;
  }

  /**
   * The refresh: `{ "refreshToken": "..." }` (or `refresh_token`), optional `username`
   * and `deviceKey`; in cookie mode the token may come from the cookie instead. See
   * {@link CognitoRefreshController}.
   */
  protected async refreshFrom(
    body: unknown,
    { headers }: EndpointRequest,
    response: unknown,
  ): Promise<RefreshTokensResponse> {
    this.prepare(headers, response);
    const fields = readRefreshBody(body);
    let refreshToken = fields.refreshToken;
    // Browser mode applies only when the token came from the cookie: a client that
    // sent it in the body keeps getting a rotated token in the body.
    let stored: StoredRefreshCookie | undefined;
    if (refreshToken === undefined) {
      stored = this.storedCookie(headers);
      refreshToken = stored?.token;
      // No token anywhere in cookie mode: signed out (or never signed
      // in), a 401 that says "sign in", not a malformed request.
      if (refreshToken === undefined && this.cookieJar)
        throw new CognitoSyncError('There is no refresh cookie: sign in', 'RefreshTokenMissing', 401);
    }
    // The username a SECRET_HASH needs: the body's, else the one stored beside the token, else the bearer token's.
    const username =
      fields.username ??
      (this.cognito.requiresUsername ? (stored?.username ?? usernameFromBearer(headers.authorization)) : undefined);
    const fromCookie = username !== undefined && fields.username === undefined && username === stored?.username;
    let signature: CookieUsernameCheck | undefined;
    let output: AdminInitiateAuthCommandOutput;
    try {
      // A cookie whose username does not verify is refused before any call to Cognito.
      signature = stored && this.cookieJar!.check(stored);
      output = await this.cognito.refreshTokens(refreshToken as string, { username, deviceKey: fields.deviceKey });
    } catch (error) {
      // Unless the cookie's MAC vouches for it, the username is the request's own choice.
      if (username !== undefined && !(fromCookie && signature !== 'unsigned')) tagCallerUsername(error);
      // A cookie that does not verify cannot work again: cleared, like one Cognito refuses (401).
      const answer = stored && error instanceof Error ? toCognitoHttpError(error) : undefined;
      if (answer && (answer.statusCode === 401 || answer.code === 'InvalidRefreshCookie'))
        this.setCookie(response, this.cookieJar!.clear());
      throw error;
    }
    const answer = toRefreshTokensResponse(output);
    if (stored && answer.authenticationResult) {
      const rotated = answer.authenticationResult.refreshToken;
      // The username is signed only when its MAC or Cognito (a hash over
      // it just accepted) vouched for it; else carried over as it came.
      const vouched = signature !== 'unsigned' || fromCookie;
      const carried = (token: string) =>
        serializeRefreshCookie(this.cookieJar!.settings, token, { username: stored!.username });
      if (rotated !== null)
        this.setCookie(
          response,
          vouched ? this.cookieJar!.serialize(rotated, { username: stored.username }) : carried(rotated),
        );
      // A username Cognito has just accepted from a cookie without a MAC (or under an older key): signed anew.
      else if (fromCookie && signature !== 'signed')
        this.setCookie(response, this.cookieJar!.serialize(stored.token, { username: stored.username }));
      answer.authenticationResult.refreshToken = null;
    }
    return answer;
  }

  protected setCookie(response: unknown, value: string): void {
    this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', value);
  }
}

/** @internal The body as a JSON object; no body at all is `{}`. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CognitoInputError('InvalidRequestBody', 'The body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** @internal Fields that, when present, must be strings. */
export function optionalStrings(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && typeof value !== 'string')
      throw new CognitoInputError('InvalidParameter', `${name} must be a string`);
  }
}

/** @internal The refresh token of a body: `refreshToken` or `refresh_token`, not both. */
export function bodyRefreshToken(fields: Record<string, unknown>): unknown {
  const { refreshToken, refresh_token: snakeToken } = fields;
  if (refreshToken !== undefined && snakeToken !== undefined) {
    throw new CognitoInputError('InvalidRequestBody', 'Give refreshToken or refresh_token, not both');
  }
  return refreshToken ?? snakeToken;
}

interface RefreshBody {
  refreshToken?: unknown;
  username?: string;
  deviceKey?: string;
}

function readRefreshBody(body: unknown): RefreshBody {
  // No body at all is fine in cookie mode; an empty one still lacks a token.
  const fields = bodyObject(body);
  const refreshToken = bodyRefreshToken(fields);
  const { username, deviceKey } = fields;
  optionalStrings({ username, deviceKey });
  return { refreshToken, username: username as string, deviceKey: deviceKey as string };
}

function usernameFromBearer(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  let payload: Record<string, unknown> | undefined;
  try {
    payload = match ? (decomposeUnverifiedJwt(match[1]).payload as Record<string, unknown>) : undefined;
  } catch {
    payload = undefined;
  }
  const username = payload?.username ?? payload?.['cognito:username'];
  if (typeof username !== 'string') {
    throw new CognitoInputError(
      'InvalidAuthorizationHeader',
      'The Authorization header must carry a Cognito access or ID token',
    );
  }
  return username;
}
