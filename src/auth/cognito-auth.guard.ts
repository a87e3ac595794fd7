import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { COGNITO_GROUPS, COGNITO_POOL, COGNITO_REQUEST_USER, COGNITO_SCOPES } from '../options/constants';
import {
  CognitoAuthUnavailableError,
  CognitoForbiddenError,
  CognitoUnauthorizedError,
} from '../errors/cognito-auth.errors';
import { tokenOfRequest } from './request-token';
import { type CognitoClaims, CognitoTokenVerifier, getCognitoVerifierToken } from './cognito-token-verifier';
import { CognitoGraphQLError } from '../errors/cognito-graphql-error';
import { toWsRefusal } from '../errors/ws-refusal';
import { watchSocketToken } from './websockets/socket-token-expiry';
import { watchGraphQLConnection } from './graphql/graphql-connection-watch';
import type { AuthRequest } from './auth-request';
import { connectionOf, requestOf, responseOf } from './request-of-context';
import { meetsRoute } from './token-scopes';
import { isPublicRoute } from './route-rules';

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
 * `@UseGuards(CognitoAuthGuard)`. Either way the JWKS is fetched at startup (unless `jwt.warmUp` is off).
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

  /**
   * The guard of the pool registered as `CognitoModule.forRoot({ name, ... })`:
   * `@UseGuards(CognitoAuthGuard.for('staff'))`.
   */
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

  /** Prefetches the JWKS before the app takes requests, unless `jwt.warmUp` is off (a failure is logged, not fatal). */
  onApplicationBootstrap(): Promise<void> {
    return this.verifier.warmUpAtStartup();
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    try {
      const decided = this.authorize(context);
      return decided === true ? decided : decided.catch((error: unknown) => this.refusal(context, error));
    } catch (error) {
      return this.refusal(context, error);
    }
  }

  /**
   * The guard's one path, where the cache decides: a token verified before, on a route it
   * passes (or a public one), is let through here and now, without a promise; any other
   * token is verified (on a public route, tried) asynchronously, and a refusal is always a
   * rejected promise. On a route it does not pass, a cached token is verified again, so
   * that the full check alone refuses.
   */
  private authorize(context: ExecutionContext): true | Promise<boolean> {
    const rules = this.rulesOf(context.getHandler(), context.getClass());
    if (rules.leavesToAnotherPool) return true;
    const request = requestOf(context);
    // Where there is one, the request's socket: a kept-alive
    // connection's token is then found without being hashed again.
    const connection = connectionOf(request);
    const found: { claims?: CognitoClaims } = {};
    let token: string | undefined;
    try {
      token =
        request === undefined
          ? undefined
          : tokenOfRequest(
              request,
              this.verifier.cookieName,
              (read) => (found.claims = this.verifier.cachedClaims(read, connection)) !== undefined,
            );
    } catch (error) {
      // An unreadable token (malformed or repeated header, cookie sent twice) leaves a public route's caller anonymous.
      if (rules.isPublic) return true;
      throw error;
    }
    if (request === undefined || token === undefined) {
      if (rules.isPublic) return true;
      throw new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required');
    }
    const { claims } = found;
    if (claims !== undefined && rules.isPublic) return this.admitOptionally(request, token, claims);
    if (claims !== undefined && meetsRoute(claims, rules.groups, rules.scopes))
      return this.admit(request, token, claims);
    return rules.isPublic ? this.authenticateOptionally(request, token) : this.verified(context, request, token, rules);
  }

  /**
   * GraphQL answers with errors in its own shape (extensions.code), not with
   * HTTP statuses; a gateway's exception handling renders only WsExceptions.
   */
  private async refusal(context: ExecutionContext, error: unknown): Promise<never> {
    const type = context.getType<string>();
    throw type === 'graphql' ? CognitoGraphQLError.fromGuard(error) : type === 'ws' ? await toWsRefusal(error) : error;
  }

  /** The full check of a token on a route that asks for one: signature, expiry, revocation, groups, scopes. */
  private async verified(
    context: ExecutionContext,
    request: AuthRequest,
    token: string,
    rules: RouteRules,
  ): Promise<boolean> {
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

  /** On a public route: a connection that cannot be watched leaves its caller anonymous, as a failed token does. */
  private admitOptionally(request: AuthRequest, token: string, claims: CognitoClaims): true {
    try {
      return this.admit(request, token, claims);
    } catch {
      return true;
    }
  }

  /**
   * Leaves the claims on the request; a socket or GraphQL connection
   * also ends with its token (one that cannot be watched throws).
   */
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
        isPublic: isPublicRoute(this.reflector, handler, controller, (target) => hasAuthGuard(this.reflector, target)),
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
    for (const [name, named] of namedGuards)
      if (guard === named || (guard as Type).prototype instanceof named) return name;
    return undefined;
  }

  /**
   * A public route's optional authentication of a token not found in the cache: a valid
   * one fills `request.user`; any failure (bad, expired, key not fetched, Cognito down)
   * leaves the caller anonymous. Against the keys already fetched only, so that tokens on
   * public routes (an expired one on the refresh route, made-up `kid`s) never cost a JWKS fetch.
   */
  private async authenticateOptionally(request: AuthRequest, token: string): Promise<true> {
    try {
      this.admit(request, token, await this.verifier.verify(token, { cachedKeysOnly: true }));
    } catch (error) {
      // Anonymous: a public route never answers 401 or 503. A socket keeps the claims of its
      // last check: a token now found revoked (or expired) must not leave them there.
      if (
        error instanceof CognitoUnauthorizedError &&
        (error.code === 'TokenRevoked' || error.code === 'TokenExpired')
      ) {
        request[COGNITO_REQUEST_USER] = undefined;
      }
    }
    return true;
  }
}

/** `CognitoAuthGuard`, a pool's `CognitoAuthGuard.for(name)`, a subclass, or an instance of one. */
export function isAuthGuard(guard: unknown): boolean {
  if (typeof guard === 'function') return guard === CognitoAuthGuard || guard.prototype instanceof CognitoAuthGuard;
  return guard instanceof CognitoAuthGuard;
}

/** @internal Whether `target`'s (a handler's or a class's) `@UseGuards` has a `CognitoAuthGuard`. */
export function hasAuthGuard(reflector: Reflector, target: object): boolean {
  return (reflector.get<unknown[] | undefined>(GUARDS_METADATA, target as Type) ?? []).some(isAuthGuard);
}
