import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import {
  COGNITO_GROUPS,
  COGNITO_POOL,
  COGNITO_PUBLIC,
  COGNITO_REQUEST_USER,
  COGNITO_SCOPES,
} from '../options/constants';
import { CognitoAuthGuard } from './cognito-auth.guard';
import type { CognitoClaims } from './cognito-claims';
import { requestOf } from './request-of-context';
import { COGNITO_REQUEST_TOKEN } from './auth-request';
import { isScopeName } from './token-scopes';

/**
 * Lets requests through {@link CognitoAuthGuard} without a token; a valid token
 * still fills {@link CognitoUser}, any other leaves it undefined (never a 401 or
 * 503 there). On a method it overrides the controller's protection. On a
 * controller it opens the routes that do not ask for protection themselves: a
 * method's `@CognitoGroups`, `@CognitoPool` or `@UseGuards(CognitoAuthGuard)`
 * (or a pool's `CognitoAuthGuard.for(name)`) keeps that route protected. Where
 * `@Public()` and such protection meet on the same method or controller,
 * protection wins. Like Nest's own class metadata, a controller's `@Public()` is
 * inherited by its subclasses (reflect-metadata reads the prototype chain): a
 * controller that extends a `@Public()` class is public unless it asks for
 * protection itself.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('catalog')
 * catalog(@CognitoUser() user: CognitoClaims | undefined) {}
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(COGNITO_PUBLIC, true);

/**
 * Protects a controller or route with the pool registered as
 * `CognitoModule.forRoot({ name, ... })`: attaches `CognitoAuthGuard.for(name)`, and
 * tells every other pool's guard (the app-wide one of `authGuard: true`, say) to
 * leave the route to it. Without it, a route under an app-wide guard would need a
 * token of that guard's pool too. On a method it overrides the controller's mark.
 *
 * Another pool's guard leaves the route alone only when it is not attached as
 * closely as the mark: a guard in the method's own `@UseGuards`, or in the
 * `@UseGuards` of the controller that carries the mark, checks its own pool's token
 * as well, so no token passes both (contradictory decorators fail closed). The
 * metadata alone (`SetMetadata`) without that pool's guard attached leaves nothing
 * to anyone: every guard checks.
 *
 * @example
 * ```ts
 * @CognitoPool('staff') // staff tokens only
 * @Controller('admin')
 * export class AdminController {}
 * ```
 */
export const CognitoPool = (name: string): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(COGNITO_POOL, name), UseGuards(CognitoAuthGuard.for(name)));

/**
 * Requires membership of at least one of `groups` (the token's `cognito:groups`),
 * compared exactly: Cognito's group names are case-sensitive. A valid token
 * without any of them gets 403. On a method it replaces the controller's groups.
 * The guard checks them, so a route needs one: `authGuard: true`, or
 * `@UseGuards(CognitoAuthGuard)` (or `@CognitoPool(name)`) on the route or its
 * controller. Without one the app does not start (`CognitoConfigurationError`
 * naming the route), rather than serve the route to anyone.
 *
 * @example
 * ```ts
 * @CognitoGroups('Admins', 'Auditors') // either one
 * @Delete(':id')
 * remove(@Param('id') id: string) {}
 * ```
 */
export const CognitoGroups = (...groups: string[]): MethodDecorator & ClassDecorator => {
  if (groups.length === 0 || groups.some((group) => typeof group !== 'string' || group === '')) {
    throw new Error('@CognitoGroups() needs at least one non-empty group name');
  }
  return SetMetadata(COGNITO_GROUPS, groups);
};

/**
 * Requires every one of `scopes` in the token's `scope` claim (space-separated),
 * compared exactly: the OAuth scopes of an access token, such as a
 * client-credentials (machine-to-machine) token's `orders/read`. A valid token
 * lacking one gets 403 `InsufficientScope`; so does an ID token, which has no
 * scopes. On a controller and a method, the route requires the scopes of both
 * (unlike `@CognitoGroups`, a method cannot loosen its controller's scopes).
 * Like `@CognitoGroups`, it asks for protection (a `@Public()` does not open the
 * route) and needs a `CognitoAuthGuard` to check it, or the app does not start.
 *
 * @example
 * ```ts
 * @CognitoScopes('orders/read', 'orders/write') // both
 * @Post()
 * create() {}
 * ```
 */
export const CognitoScopes = (...scopes: string[]): MethodDecorator & ClassDecorator => {
  if (scopes.length === 0 || !scopes.every(isScopeName)) {
    throw new Error('@CognitoScopes() needs at least one scope name, without spaces (e.g. "orders/read")');
  }
  return SetMetadata(COGNITO_SCOPES, scopes);
};

/**
 * The verified claims of the request's token, or one claim:
 * `@CognitoUser() claims: CognitoClaims`, `@CognitoUser('username') username: string`.
 * `undefined` on a `@Public()` route reached without a valid token. A
 * client-credentials (machine-to-machine) token has no `username`: its app client
 * is `client_id` (and `sub`), its rights are `scope`.
 * (A user record as `CognitoSyncService.findUser` returns it is a `CognitoUserRecord`.)
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@CognitoUser() claims: CognitoClaims, @CognitoUser('username') username: string) {}
 * ```
 */
export const CognitoUser = createParamDecorator(
  (claim: keyof CognitoClaims | string | undefined, context: ExecutionContext) => {
    // Where the guard left them: over GraphQL the first argument is the parent object, and over WebSockets
    // the claims sit on the socket's stand-in request, not on the socket.
    const claims = requestOf(context)?.[COGNITO_REQUEST_USER] as CognitoClaims | undefined;
    return claim === undefined ? claims : claims?.[claim];
  },
);

/**
 * The access token {@link CognitoAuthGuard} admitted the request with, for calling other APIs on the
 * user's behalf (an API Gateway or a service of your own that checks Cognito tokens): the bearer
 * token the request carried or, with server-side sessions (`session`), the session's current one,
 * refreshed on the server first when it was about to expire (the browser never sees it). Over
 * WebSockets, the token the connection was admitted with (its handshake token, or the one its
 * ticket was redeemed for). `undefined` on a `@Public()` route reached without a valid token or
 * session, and wherever the guard did not run.
 *
 * It is a credential: send it only to the API it is meant for, over TLS, and never log it, put
 * it in an answer body, a URL or an error message.
 *
 * @example
 * ```ts
 * @Get('orders')
 * orders(@CognitoAccessToken() accessToken: string) {}
 * ```
 */
export const CognitoAccessToken = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = requestOf(context);
  // Only beside claims still valid: a socket's stand-in forgets its claims at their `exp`.
  return request?.[COGNITO_REQUEST_USER] === undefined ? undefined : (request[COGNITO_REQUEST_TOKEN] as string);
});
