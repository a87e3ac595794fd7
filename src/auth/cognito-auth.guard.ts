import { type CanActivate, type ExecutionContext, Inject, Injectable, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { COGNITO_GROUPS, COGNITO_POOL, COGNITO_PUBLIC, COGNITO_REQUEST_USER, COGNITO_SCOPES } from '../options/constants';
import { CognitoAuthUnavailableError, CognitoForbiddenError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { bearerCandidate, repeatsAuthorization, requestToken, tokenOfRequest } from './request-token';
import { type CognitoClaims, CognitoTokenVerifier } from './cognito-token-verifier';
import { getCognitoVerifierToken } from '../cognito.tokens';
import { CognitoGraphQLError } from '../graphql/cognito-graphql-error';
import { toWsRefusal } from '../websockets/ws-refusal';
import { watchSocketToken } from '../websockets/socket-token-expiry';
import { watchGraphQLConnection } from '../graphql/graphql-connection-watch';
import type { AuthRequest } from './auth-request';
import { connectionOf, requestOf, responseOf } from './execution-request';
import { meetsRoute } from './token-scopes';

/** What a route's decorators ask of one guard (see `rulesOf`). */
type RouteRules = { leavesToAnotherPool: boolean; isPublic: boolean; groups: string[] | undefined; scopes: string[] };

/** The guard classes of named pools ({@link CognitoAuthGuard.for}), by pool name. */
const namedGuards = new Map<string, Type<CognitoAuthGuard>>();

/**
 * Lets a request through when it carries a valid Cognito token (offline check:
 * signature against the pool's JWKS, expiry, issuer, `token_use`, and `client_id`
 * or `aud`), its user is in one of the route's {@link CognitoGroups}, and it has
 * every one of the route's {@link CognitoScopes}.
 * `@Public()` routes need no token; a valid one there still fills `request.user`,
 * anything else leaves it undefined (see {@link Public} for which routes are
 * public). The token comes from `Authorization: Bearer` or, when `jwt.cookie` is
 * set, that cookie. The claims land on `request.user` (see {@link CognitoUser}).
 *
 * Refusals: 401 (no, bad, expired or revoked token), 403 (groups or scopes not met), 503
 * (JWKS unreachable and not cached, or a token's new key not fetchable yet, with
 * `Retry-After`), in the module's JSON error body.
 *
 * App-wide with the module option `authGuard: true`, or per route with
 * `@UseGuards(CognitoAuthGuard)`. Either way the JWKS is fetched at startup.
 * HTTP, GraphQL (refusals as {@link CognitoGraphQLError}s: `docs/graphql.md`) and
 * gateways' `@SubscribeMessage` handlers (the token given at the handshake, checked on
 * every message; refusals as the `exception` event; a socket it admits is disconnected
 * when its token expires or is found revoked: `docs/websockets.md`). Other
 * contexts (RPC) are refused unless `@Public()`.
 * For a pool registered with a `name`, use `@CognitoPool(name)` (or
 * `CognitoAuthGuard.for(name)`). A route marked `@CognitoPool(name)` is left to that
 * pool's guard by the others, unless they are attached as closely as the mark (see
 * {@link CognitoPool}): then every guard checks its own pool's token.
 */
@Injectable()
export class CognitoAuthGuard implements CanActivate, OnApplicationBootstrap {
  /** The registration this guard verifies for; `undefined` is the default one. */
  protected readonly pool: string | undefined = undefined;
  /** Each route's {@link RouteRules}, by controller then handler. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteRules>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: CognitoTokenVerifier,
  ) {}

  /** The guard of the pool registered as `CognitoModule.forRoot({ name, ... })`: `@UseGuards(CognitoAuthGuard.for('staff'))`. */
  static for(name: string): Type<CognitoAuthGuard> {
    let guard = namedGuards.get(name);
    if (guard === undefined) {
      @Injectable()
      class NamedCognitoAuthGuard extends CognitoAuthGuard {
        protected override readonly pool = name;

        constructor(reflector: Reflector, @Inject(getCognitoVerifierToken(name)) verifier: CognitoTokenVerifier) {
          super(reflector, verifier);
        }
      }
      guard = NamedCognitoAuthGuard;
      namedGuards.set(name, guard);
    }
    return guard;
  }

  /** Prefetches the JWKS before the app takes requests (a failure is logged, not fatal). */
  onApplicationBootstrap(): Promise<void> {
    return this.verifier.warmUp();
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // A token verified before, on a route it passes: answered without a promise. Anything
    // else, refusals included, takes the full path below, which decides it afresh.
    return this.passesFromCache(context) || this.checked(context);
  }

  private async checked(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.authorize(context);
    } catch (error) {
      // GraphQL answers with errors in its own shape (extensions.code), not with HTTP statuses; a gateway's
      // exception handling renders only WsExceptions: anything else reads "Internal server error".
      const type = context.getType<string>();
      throw type === 'graphql' ? CognitoGraphQLError.fromGuard(error) : type === 'ws' ? await toWsRefusal(error) : error;
    }
  }

  private passesFromCache(context: ExecutionContext): boolean {
    try {
      const rules = this.rulesOf(context.getHandler(), context.getClass());
      if (rules.leavesToAnotherPool || rules.isPublic) return rules.leavesToAnotherPool;
      const request = requestOf(context);
      if (request === undefined || repeatsAuthorization(request)) return false;
      const headers = request.headers ?? {};
      const token = bearerCandidate(headers) ?? requestToken(headers, this.verifier.cookieName);
      if (token === undefined) return false;
      const claims = this.verifier.cachedClaims(token, connectionOf(request));
      return claims !== undefined && meetsRoute(claims, rules.groups, rules.scopes) && this.admit(request, token, claims);
    } catch {
      return false;
    }
  }

  private async authorize(context: ExecutionContext): Promise<boolean> {
    const rules = this.rulesOf(context.getHandler(), context.getClass());
    if (rules.leavesToAnotherPool) return true;
    const request = requestOf(context);
    if (rules.isPublic) {
      if (request !== undefined) await this.authenticateOptionally(request);
      return true;
    }
    const token = request === undefined ? undefined : tokenOfRequest(request, this.verifier.cookieName);
    if (request === undefined || token === undefined) throw new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required');
    let claims: CognitoClaims;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof CognitoAuthUnavailableError && error.retryAfter !== undefined) {
        // On Express's response or Fastify's reply (both have `header(name, value)`).
        responseOf(context)?.header?.('Retry-After', String(error.retryAfter));
      }
      throw error;
    }
    if (!meetsRoute(claims, rules.groups, [])) throw new CognitoForbiddenError();
    if (!meetsRoute(claims, undefined, rules.scopes)) throw new CognitoForbiddenError(undefined, 'InsufficientScope');
    return this.admit(request, token, claims);
  }

  /** Leaves the claims on the request; a socket or GraphQL connection also ends with its token (one that cannot be watched throws). */
  private admit(request: AuthRequest, token: string, claims: CognitoClaims): true {
    watchGraphQLConnection(request, token, claims.exp, this.verifier);
    request[COGNITO_REQUEST_USER] = claims;
    watchSocketToken(request, token, claims.exp, this.verifier);
    return true;
  }

  /**
   * What the decorators of a handler in a class ask of this guard: metadata is fixed once
   * the app runs, so it is read once per route rather than on every request. Bounded by
   * the app's own handlers; weakly held, as the classes are.
   */
  private rulesOf(handler: object, controller: object): RouteRules {
    let byHandler = this.routes.get(controller);
    if (byHandler === undefined) this.routes.set(controller, (byHandler = new WeakMap()));
    let rules = byHandler.get(handler);
    if (rules === undefined) {
      const targets = [handler as Type, controller as Type];
      rules = {
        leavesToAnotherPool: this.leavesToAnotherPool(handler, controller),
        isPublic: this.isPublic(handler, controller),
        groups: this.reflector.getAllAndOverride<string[] | undefined>(COGNITO_GROUPS, targets),
        // The controller's scopes and the handler's, all of them: a handler cannot loosen its controller's.
        scopes: this.reflector.getAllAndMerge<string[]>(COGNITO_SCOPES, targets),
      };
      byHandler.set(handler, rules);
    }
    return rules;
  }

  /**
   * Whether another pool's guard decides this route alone: the route is marked
   * `@CognitoPool(P)` for another pool P (the handler's mark over the controller's),
   * P's guard is attached to the handler or the controller, and this guard is not
   * attached as closely as the mark (not on the handler; not on the controller that
   * carries the mark). Otherwise this guard checks: a mark alone opens nothing, and
   * contradictory decorators have every guard check its own pool's token.
   */
  private leavesToAnotherPool(handler: object, controller: object): boolean {
    const onHandler = this.reflector.get<unknown>(COGNITO_POOL, handler as Type);
    const pool = onHandler ?? this.reflector.get<unknown>(COGNITO_POOL, controller as Type);
    if (typeof pool !== 'string' || pool === this.pool) return false;
    if (!this.hasGuardOf(pool, handler) && !this.hasGuardOf(pool, controller)) return false;
    if (this.hasGuardOf(this.pool, handler)) return false;
    return onHandler !== undefined || !this.hasGuardOf(this.pool, controller);
  }

  /** Whether `target`'s `@UseGuards` has the guard of `pool` (`undefined`: the default registration's). */
  private hasGuardOf(pool: string | undefined, target: object): boolean {
    const guards = this.reflector.get<unknown[] | undefined>(GUARDS_METADATA, target as Type) ?? [];
    return guards.some((guard) => isAuthGuard(guard) && CognitoAuthGuard.poolOf(guard) === pool);
  }

  /** The pool of a `CognitoAuthGuard` class or instance: `for(name)` (or a subclass) is `name`'s. */
  private static poolOf(guard: unknown): string | undefined {
    if (guard instanceof CognitoAuthGuard) return guard.pool;
    for (const [name, named] of namedGuards) if (guard === named || (guard as Type).prototype instanceof named) return name;
    return undefined;
  }

  /**
   * Protection asked for on the handler wins over `@Public()` anywhere; then the
   * handler's `@Public()`; then the controller's protection over its `@Public()`.
   * Protection is `@CognitoGroups`, `@CognitoScopes`, `@CognitoPool` or a `CognitoAuthGuard` in `@UseGuards`.
   */
  private isPublic(handler: object, controller: object): boolean {
    if (this.asksProtection(handler)) return false;
    if (this.reflector.get<boolean | undefined>(COGNITO_PUBLIC, handler as Type) === true) return true;
    return !this.asksProtection(controller) && this.reflector.get<boolean | undefined>(COGNITO_PUBLIC, controller as Type) === true;
  }

  private asksProtection(target: object): boolean {
    const get = <T>(key: string) => this.reflector.get<T | undefined>(key, target as Type);
    return (
      get(COGNITO_GROUPS) !== undefined ||
      get(COGNITO_SCOPES) !== undefined ||
      get(COGNITO_POOL) !== undefined ||
      (get<unknown[]>(GUARDS_METADATA) ?? []).some(isAuthGuard)
    );
  }

  /**
   * A public route's optional authentication: a valid token fills `request.user`;
   * none, or any failure (bad, expired, key not fetched, Cognito down), leaves the
   * caller anonymous. Against the keys already fetched only, so that tokens on
   * public routes (an expired one on the refresh route, made-up `kid`s) never
   * cost a JWKS fetch.
   */
  private async authenticateOptionally(request: AuthRequest): Promise<void> {
    try {
      const token = tokenOfRequest(request, this.verifier.cookieName);
      if (token !== undefined) this.admit(request, token, await this.verifier.verify(token, { cachedKeysOnly: true }));
    } catch (error) {
      // Anonymous: a public route never answers 401 or 503. A socket keeps the claims of its
      // last check: a token now found revoked (or expired) must not leave them there.
      if (error instanceof CognitoUnauthorizedError && (error.code === 'TokenRevoked' || error.code === 'TokenExpired')) {
        request[COGNITO_REQUEST_USER] = undefined;
      }
    }
  }
}

/** `CognitoAuthGuard`, a pool's `CognitoAuthGuard.for(name)`, a subclass, or an instance of one. */
export function isAuthGuard(guard: unknown): boolean {
  if (typeof guard === 'function') return guard === CognitoAuthGuard || guard.prototype instanceof CognitoAuthGuard;
  return guard instanceof CognitoAuthGuard;
}
