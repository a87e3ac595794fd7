import { Body, Controller, HttpCode, Post, Req, Res, type Type, UseFilters } from '@nestjs/common';
import type { CognitoRefreshControllerOptions } from '../options/cognito-module-options';
import { Public } from '../auth/cognito-auth.decorators';
import { AnswerBodyErrors } from './bad-body-answers';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { validateRefreshControllerOptions } from '../options/refresh-options';
import { CognitoTokenEndpoint, type EndpointRequest, tokenEndpointSettings } from './cognito-token-endpoint';
import type { RefreshTokensResponse } from './tokens-response';

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
export class CognitoRefreshController extends CognitoTokenEndpoint {
  @Post()
  @HttpCode(200)
  @AnswerBodyErrors()
  refresh(
    @Body() body: unknown,
    @Req() request: EndpointRequest,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<RefreshTokensResponse> {
    return this.refreshFrom(body, request, response);
  }
}

/**
 * The controller class for one module registration, at its path and with its
 * settings; the options are checked here, at startup.
 */
export function refreshControllerFor(
  options: CognitoRefreshControllerOptions,
  path: string,
): Type<CognitoRefreshController> {
  validateRefreshControllerOptions(options);
  const settings = tokenEndpointSettings(options);
  @Controller(path)
  class ConfiguredCognitoRefreshController extends CognitoRefreshController {
    protected override readonly settings = settings;
  }
  return ConfiguredCognitoRefreshController;
}
