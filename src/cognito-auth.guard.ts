import { type CanActivate, type ExecutionContext, Inject, Injectable, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { COGNITO_GROUPS, COGNITO_POOL, COGNITO_PUBLIC, COGNITO_REQUEST_USER } from './cognito.constants';
import { CognitoForbiddenError, CognitoUnauthorizedError } from './cognito-auth.errors';
import { readCookie } from './cognito-cookies';
import { CognitoTokenVerifier } from './cognito-jwt.verifier';
import { getCognitoVerifierToken } from './cognito.tokens';

/** Longer than any Cognito token; refused before parsing. */
const MAX_TOKEN_LENGTH = 16_384;

/**
 * Lets a request through when it carries a valid Cognito token (offline check:
 * signature against the pool's JWKS, expiry, issuer, `token_use`, and `client_id`
 * or `aud`), and its user is in one of the route's {@link CognitoGroups}.
 * `@Public()` routes need no token. The token comes from `Authorization: Bearer`
 * or, when `jwt.cookie` is set, that cookie. The claims land on `request.user`
 * (see {@link CognitoUser}).
 *
 * Refusals: 401 (no, bad, expired or revoked token), 403 (groups not met), 503
 * (JWKS unreachable and not cached), in the module's JSON error body.
 *
 * App-wide with the module option `authGuard: true`, or per route with
 * `@UseGuards(CognitoAuthGuard)`. Either way the JWKS is fetched at startup.
 * HTTP only: other contexts (RPC, WebSockets) are refused unless `@Public()`.
 * For a pool registered with a `name`, use `@CognitoPool(name)` (or
 * `CognitoAuthGuard.for(name)`). A route marked `@CognitoPool(name)` is left to that
 * pool's guard by the others.
 */
@Injectable()
export class CognitoAuthGuard implements CanActivate, OnApplicationBootstrap {
  private static readonly named = new Map<string, Type<CognitoAuthGuard>>();
  /** The registration this guard verifies for; `undefined` is the default one. */
  protected readonly pool: string | undefined = undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: CognitoTokenVerifier,
  ) {}

  /** The guard of the pool registered as `CognitoModule.forRoot({ name, ... })`: `@UseGuards(CognitoAuthGuard.for('staff'))`. */
  static for(name: string): Type<CognitoAuthGuard> {
    let guard = CognitoAuthGuard.named.get(name);
    if (guard === undefined) {
      @Injectable()
      class NamedCognitoAuthGuard extends CognitoAuthGuard {
        protected override readonly pool = name;

        constructor(reflector: Reflector, @Inject(getCognitoVerifierToken(name)) verifier: CognitoTokenVerifier) {
          super(reflector, verifier);
        }
      }
      guard = NamedCognitoAuthGuard;
      CognitoAuthGuard.named.set(name, guard);
    }
    return guard;
  }

  /** Prefetches the JWKS before the app takes requests (a failure is logged, not fatal). */
  onApplicationBootstrap(): Promise<void> {
    return this.verifier.warmUp();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(COGNITO_PUBLIC, targets)) return true;
    // A route of another pool: @CognitoPool attached that pool's guard, which decides.
    const pool = this.reflector.getAllAndOverride<string | undefined>(COGNITO_POOL, targets);
    if (pool !== undefined && pool !== this.pool) return true;
    const request = context.getType() === 'http' ? context.switchToHttp().getRequest() : undefined;
    const token = request === undefined ? undefined : this.tokenOf(request.headers ?? {});
    if (token === undefined) throw new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required');
    if (token.length > MAX_TOKEN_LENGTH) throw new CognitoUnauthorizedError('TokenInvalid', 'The token is invalid');
    const claims = await this.verifier.verify(token);
    const groups = this.reflector.getAllAndOverride<string[] | undefined>(COGNITO_GROUPS, targets);
    if (groups !== undefined && !inAnyGroup(claims['cognito:groups'], groups)) throw new CognitoForbiddenError();
    request[COGNITO_REQUEST_USER] = claims;
    return true;
  }

  private tokenOf(headers: Record<string, string | string[] | undefined>): string | undefined {
    const authorization = headers.authorization;
    if (typeof authorization === 'string' && authorization !== '') {
      const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
      if (!match) throw new CognitoUnauthorizedError('TokenInvalid', 'The Authorization header must be "Bearer <token>"');
      return match[1];
    }
    const cookie = this.verifier.cookieName;
    return cookie === undefined ? undefined : readCookie(headers.cookie, cookie);
  }
}

/** Cognito group names are case-sensitive: exact comparison, any of `required`. */
export function inAnyGroup(groups: unknown, required: readonly string[]): boolean {
  return Array.isArray(groups) && required.some((group) => groups.includes(group));
}
