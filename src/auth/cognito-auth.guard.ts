import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  Optional,
  type Type,
} from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { COGNITO_POOL } from '../options/constants';
import { CognitoForbiddenError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { tokenOfRequest } from './request-token';
import { type CognitoClaims, CognitoTokenVerifier, getCognitoVerifierToken } from './cognito-token-verifier';
import type { AuthRequest } from './auth-request';
import { connectionOf, requestOf } from './request-of-context';
import { meetsRoute } from './token-scopes';
import { readRouteRules, type RouteRules } from './route-rules';
import { admit, admitOptionally, authenticateOptionally } from './guard-admission';
import { refusalFor, setRetryAfter } from './guard-refusal';
import { CognitoSessionAuthenticator } from './session-authenticator';
import { admitSession, sessionTokenOf } from './session-admission';

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
 * set, that cookie; else, with `session`, the session its cookie names (a socket: its
 * ticket). The claims land on `request.user` (see {@link CognitoUser}).
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
    /**
     * Server-side sessions (`session`), the default registration's only: a named pool's guard passes
     * none (a session holds the default pool's tokens, which another pool's verifier refuses).
     */
    @Optional() private readonly sessions?: CognitoSessionAuthenticator,
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
      return decided === true ? decided : decided.catch((error: unknown) => refusalFor(context, error));
    } catch (error) {
      return refusalFor(context, error);
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
    // The request's socket, if any: a kept-alive connection's token is found without being hashed again.
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
    // A token the request carries takes precedence: the session (or a socket's ticket) is asked only in its absence.
    const fromSession =
      request !== undefined && token === undefined && this.sessions !== undefined
        ? sessionTokenOf(context, request, this.sessions)
        : undefined;
    if (request !== undefined && fromSession !== undefined)
      return admitSession(context, rules, fromSession, (read) =>
        this.decide(context, request, read, this.verifier.cachedClaims(read, connection), rules),
      );
    if (request === undefined || token === undefined) {
      if (rules.isPublic) return true;
      throw new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required');
    }
    return this.decide(context, request, token, found.claims, rules);
  }

  /** A token read, verified before (`claims`, from the cache) or not: admitted now, or verified first. */
  private decide(
    context: ExecutionContext,
    request: AuthRequest,
    token: string,
    claims: CognitoClaims | undefined,
    rules: RouteRules,
  ): true | Promise<boolean> {
    if (claims !== undefined && rules.isPublic) return admitOptionally(request, token, claims, this.verifier);
    if (claims !== undefined && meetsRoute(claims, rules.groups, rules.scopes))
      return admit(request, token, claims, this.verifier);
    return rules.isPublic
      ? authenticateOptionally(request, token, this.verifier)
      : this.verified(context, request, token, rules);
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
      setRetryAfter(context, error);
      throw error;
    }
    if (!meetsRoute(claims, rules.groups, [])) throw new CognitoForbiddenError();
    if (!meetsRoute(claims, undefined, rules.scopes)) throw new CognitoForbiddenError(undefined, 'InsufficientScope');
    return admit(request, token, claims, this.verifier);
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
      rules = readRouteRules(
        this.reflector,
        handler,
        controller,
        this.leavesToAnotherPool(handler, controller),
        (target) => hasAuthGuard(this.reflector, target),
      );
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
