import type { IncomingHttpHeaders } from 'node:http';
import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { Body, Controller, HttpCode, Optional, Post, Req, Res, type Type, UseFilters } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoInputError } from '../errors/cognito.errors';
import type { CognitoRefreshControllerOptions } from '../options/cognito-module-options';
import { Public } from '../auth/cognito-auth.decorators';
import { AnswerBodyErrors } from './cognito-body-errors';
import { CognitoExceptionFilter } from '../errors/cognito-exception.filter';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import { assertSameSiteRequest, readRefreshCookie, type StoredRefreshCookie } from './refresh-cookie';
import { validateRefreshControllerOptions } from '../options/refresh-options';
import { CognitoRefreshCookies } from './cognito-refresh-cookies';
import { refusedBody, setNoStore } from './refresh-body-rules';
import { CognitoSyncService } from '../cognito-sync.service';

/** The refresh endpoint's 200 answer: Cognito's response in camelCase, absent fields `null`. */
export interface RefreshTokensResponse {
  challengeName: string | null;
  session: string | null;
  challengeParameters: Record<string, string>;
  authenticationResult: {
    accessToken: string | null;
    expiresIn: number | null;
    tokenType: string | null;
    refreshToken: string | null;
    idToken: string | null;
    newDeviceMetadata: { deviceKey: string | null; deviceGroupKey: string | null } | null;
  } | null;
}

interface RefreshSettings {
  /** Cookie mode; the cookie itself is the registration's {@link CognitoRefreshCookies}. */
  cookie: boolean;
  csrfHeader: string;
  allowedOrigins?: string[];
}

/**
 * `POST /auth/refresh` with `{ "refreshToken": "..." }` (or `refresh_token`),
 * optional `username` and `deviceKey`. For an app client with a secret and no
 * `username`, the username is read from an `Authorization: Bearer` access or ID
 * token; its signature and expiry do not matter, since it only feeds the
 * SECRET_HASH and a wrong one is refused by Cognito. In cookie mode the token may
 * come from an `HttpOnly` cookie instead, behind CSRF checks; a cookie written with
 * the username ({@link CognitoRefreshCookies}) supplies that too. Every answer is
 * `Cache-Control: no-store`.
 *
 * Registered by `refreshController` in the module options, at the configured path.
 * Its errors go through {@link CognitoExceptionFilter} even when the app-wide
 * filter is turned off. It is `@Public()`: a client refreshes because its access
 * token has expired, so `authGuard: true` must not lock it out.
 */
@Public()
@UseFilters(CognitoExceptionFilter)
export class CognitoRefreshController {
  protected readonly settings: RefreshSettings = { cookie: false, csrfHeader: 'x-requested-with' };

  constructor(
    private readonly cognito: CognitoSyncService,
    private readonly adapterHost: HttpAdapterHost,
    // Present in cookie mode only; another registration's one is ignored (settings.cookie).
    @Optional() private readonly cookies?: CognitoRefreshCookies,
  ) {}

  @Post()
  @HttpCode(200)
  @AnswerBodyErrors()
  async refresh(
    @Body() body: unknown,
    @Req() request: { headers: IncomingHttpHeaders },
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse> {
    const { headers } = request;
    const { csrfHeader, allowedOrigins } = this.settings;
    const cookies = this.settings.cookie ? this.cookies : undefined;
    const { httpAdapter } = this.adapterHost;
    // Set first, so that error answers carry it too.
    setNoStore(httpAdapter, response);
    // UTF-8 JSON, with no content coding left undecoded, on both adapters alike: Express would
    // otherwise also parse a form post, Fastify would read any declared charset as UTF-8 and a
    // body declared as gzip or br as if it were not encoded.
    const refused = refusedBody(headers, httpAdapter.getType());
    if (refused) throw refused;
    const fields = readBody(body);
    let refreshToken = fields.refreshToken;
    // Browser mode applies only when the token came from the cookie: a client that
    // sent it in the body keeps getting a rotated token in the body.
    let stored: StoredRefreshCookie | undefined;
    if (refreshToken === undefined && cookies) {
      stored = readRefreshCookie(headers.cookie, cookies.settings.name);
      if (stored) assertSameSiteRequest(headers, csrfHeader, allowedOrigins);
      refreshToken = stored?.token;
    }
    const fromCookie = stored !== undefined;
    // The username a SECRET_HASH needs: the body's, else the one stored beside the token, else the bearer token's.
    const username = fields.username ?? (this.cognito.requiresUsername ? (stored?.username ?? usernameFromBearer(headers.authorization)) : undefined);
    let output: AdminInitiateAuthCommandOutput;
    try {
      output = await this.cognito.refreshTokens(refreshToken as string, { username, deviceKey: fields.deviceKey });
    } catch (error) {
      if (fromCookie && error instanceof Error && toCognitoHttpError(error).statusCode === 401) {
        this.setCookie(response, cookies!.clear());
      }
      throw error;
    }
    const answer = toRefreshTokensResponse(output);
    if (fromCookie && answer.authenticationResult) {
      const rotated = answer.authenticationResult.refreshToken;
      if (rotated !== null) this.setCookie(response, cookies!.serialize(rotated, { username: stored!.username }));
      answer.authenticationResult.refreshToken = null;
    }
    return answer;
  }

  private setCookie(response: unknown, value: string): void {
    this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', value);
  }
}

/**
 * The controller class for one module registration, at its path and with its
 * settings; the options are checked here, at startup.
 */
export function refreshControllerFor(options: CognitoRefreshControllerOptions, path: string): Type<CognitoRefreshController> {
  validateRefreshControllerOptions(options);
  const settings: RefreshSettings = {
    cookie: options.cookie !== undefined,
    csrfHeader: options.csrfHeader ?? 'x-requested-with',
    allowedOrigins: options.allowedOrigins,
  };
  @Controller(path)
  class ConfiguredCognitoRefreshController extends CognitoRefreshController {
    protected override readonly settings = settings;
  }
  return ConfiguredCognitoRefreshController;
}

interface RefreshBody {
  refreshToken?: unknown;
  username?: string;
  deviceKey?: string;
}

function readBody(body: unknown): RefreshBody {
  // No body at all is fine in cookie mode; an empty one still lacks a token.
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CognitoInputError('InvalidRequestBody', 'The body must be a JSON object');
  }
  const { refreshToken, refresh_token: snakeToken, username, deviceKey } = body as Record<string, unknown>;
  if (refreshToken !== undefined && snakeToken !== undefined) {
    throw new CognitoInputError('InvalidRequestBody', 'Give refreshToken or refresh_token, not both');
  }
  for (const [name, value] of Object.entries({ username, deviceKey })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new CognitoInputError('InvalidParameter', `${name} must be a string`);
    }
  }
  return { refreshToken: refreshToken ?? snakeToken, username: username as string, deviceKey: deviceKey as string };
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
    throw new CognitoInputError('InvalidAuthorizationHeader', 'The Authorization header must carry a Cognito access or ID token');
  }
  return username;
}

/** Cognito's response as the endpoint answers it. */
export function toRefreshTokensResponse(output: AdminInitiateAuthCommandOutput): RefreshTokensResponse {
  const result = output.AuthenticationResult;
  const device = result?.NewDeviceMetadata;
  return {
    challengeName: output.ChallengeName ?? null,
    session: output.Session ?? null,
    challengeParameters: output.ChallengeParameters ?? {},
    authenticationResult: result
      ? {
          accessToken: result.AccessToken ?? null,
          expiresIn: result.ExpiresIn ?? null,
          tokenType: result.TokenType ?? null,
          refreshToken: result.RefreshToken ?? null,
          idToken: result.IdToken ?? null,
          newDeviceMetadata: device ? { deviceKey: device.DeviceKey ?? null, deviceGroupKey: device.DeviceGroupKey ?? null } : null,
        }
      : null,
  };
}
