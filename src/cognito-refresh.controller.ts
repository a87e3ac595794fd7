import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { Body, Controller, Headers, HttpCode, Post, type Type, UseFilters } from '@nestjs/common';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { CognitoSyncService } from './cognito-sync.service';
import { CognitoInputError, CognitoSyncError } from './cognito.errors';

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

/**
 * `POST /auth/refresh` with `{ "refreshToken": "..." }` (or `refresh_token`),
 * optional `username` and `deviceKey`. For an app client with a secret and no
 * `username`, the username is read from an `Authorization: Bearer` access or ID
 * token; its signature and expiry do not matter, since it only feeds the
 * SECRET_HASH and a wrong one is refused by Cognito.
 *
 * Registered by `refreshController` in the module options, at the configured path.
 * Its errors go through {@link CognitoExceptionFilter} even when the app-wide
 * filter is turned off.
 */
@UseFilters(CognitoExceptionFilter)
export class CognitoRefreshController {
  constructor(private readonly cognito: CognitoSyncService) {}

  @Post()
  @HttpCode(200)
  async refresh(
    @Body() body: unknown,
    @Headers('authorization') authorization?: string,
    @Headers('content-type') contentType?: string,
  ): Promise<RefreshTokensResponse> {
    // UTF-8 JSON only (RFC 8259), on both adapters alike: Express would otherwise also parse
    // a form post, Fastify would read any declared charset as UTF-8.
    if (!/^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(contentType ?? '')) {
      throw new CognitoSyncError('The body must be UTF-8 JSON (Content-Type: application/json)', 'UnsupportedMediaType', 415);
    }
    const fields = readBody(body);
    const username = fields.username ?? (this.cognito.requiresUsername ? usernameFromBearer(authorization) : undefined);
    const output = await this.cognito.refreshTokens(fields.refreshToken as string, {
      username,
      deviceKey: fields.deviceKey,
    });
    return toRefreshTokensResponse(output);
  }
}

/** The controller class served at `path`: one subclass per module registration. */
export function refreshControllerAt(path: string): Type<CognitoRefreshController> {
  @Controller(path)
  class ConfiguredCognitoRefreshController extends CognitoRefreshController {}
  return ConfiguredCognitoRefreshController;
}

interface RefreshBody {
  refreshToken?: unknown;
  username?: string;
  deviceKey?: string;
}

function readBody(body: unknown): RefreshBody {
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
