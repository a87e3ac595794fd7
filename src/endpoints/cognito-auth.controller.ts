import type {
  AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { Body, Controller, HttpCode, Post, Req, Res, type Type, UseFilters } from '@nestjs/common';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoBadResponseError, CognitoInputError, tagCallerUsername } from '../errors/cognito.errors';
import type { CognitoAuthControllerOptions } from '../options/cognito-module-options';
import type { CognitoChallengeName } from '../internal/input-checks';
import { Public } from '../auth/cognito-auth.decorators';
import { AnswerBodyErrors } from './bad-body-answers';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import { validateRefreshControllerOptions } from '../options/refresh-options';
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
 */
@Public()
@UseFilters(CognitoExceptionFilter)
export class CognitoAuthController extends CognitoTokenEndpoint {
  @Post('sign-in')
  @HttpCode(200)
  @AnswerBodyErrors()
  async signIn(
    @Body() body: unknown,
    @Req() { headers }: EndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse> {
    this.prepare(headers, response);
    this.assertOriginMaySetCookie(headers);
    const { username, password } = requiredStrings(bodyObject(body), ['username', 'password']);
    return this.answer(await callerUsername(this.cognito.signIn(username, password)), response);
  }

  @Post('challenge')
  @HttpCode(200)
  @AnswerBodyErrors()
  async challenge(
    @Body() body: unknown,
    @Req() { headers }: EndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse> {
    this.prepare(headers, response);
    this.assertOriginMaySetCookie(headers);
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
    return this.answer(output, response);
  }

  @Post('refresh')
  @HttpCode(200)
  @AnswerBodyErrors()
  refresh(
    @Body() body: unknown,
    @Req() request: EndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse> {
    return this.refreshFrom(body, request, response);
  }

  @Post('sign-out')
  @HttpCode(204)
  @AnswerBodyErrors()
  async signOut(
    @Body() body: unknown,
    @Req() { headers }: EndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<void> {
    this.prepare(headers, response);
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

  /** The token answer; in cookie mode the refresh token goes to the cookie instead of the JSON. */
  private answer(
    output: AdminInitiateAuthCommandOutput | AdminRespondToAuthChallengeCommandOutput,
    response: unknown,
  ): RefreshTokensResponse {
    const answer = toRefreshTokensResponse(output);
    const cookies = this.cookieJar;
    const result = answer.authenticationResult;
    if (cookies && result) {
      if (result.refreshToken !== null) {
        const username = this.cognito.requiresUsername ? usernameClaim(result.accessToken) : undefined;
        this.setCookie(response, cookies.serialize(result.refreshToken, { username }));
      }
      result.refreshToken = null;
    }
    return answer;
  }
}

/**
 * `call`, whose username the request's body chose: a SECRET_HASH Cognito refuses over it is
 * the caller's doing (a rate-limited warning), not a wrong clientSecret (an ERROR per request).
 */
async function callerUsername<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    tagCallerUsername(error);
    throw error;
  }
}

/**
 * The internal username (the access token's `username` claim) that a later refresh's
 * SECRET_HASH is computed over. The token is decoded without verifying it: it is
 * Cognito's own answer to the call just made, received over TLS from the configured
 * endpoint, never a client's input, so there is nothing to verify it against.
 */
function usernameClaim(accessToken: string | null): string {
  let username: unknown;
  try {
    username = decomposeUnverifiedJwt(accessToken ?? '').payload.username;
  } catch {
    username = undefined;
  }
  if (typeof username !== 'string')
    throw new CognitoBadResponseError('Cognito answered with an access token without a username');
  return username;
}

function requiredStrings<K extends string>(fields: Record<string, unknown>, names: K[]): Record<K, string> {
  for (const name of names) {
    if (typeof fields[name] !== 'string') throw new CognitoInputError('InvalidParameter', `${name} must be a string`);
  }
  return fields as Record<K, string>;
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
  }
  return ConfiguredCognitoAuthController;
}
