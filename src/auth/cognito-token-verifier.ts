import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { CognitoClaims } from './cognito-claims';
// Beside the verifier that produces them, for the guard's import.
export type { CognitoClaims } from './cognito-claims';
import { CognitoCaller } from '../internal/cognito-api';
import { RateLimitedLog } from '../internal/rate-limited-log';
import type { ResolvedCognitoOptions, ResolvedJwtSettings } from '../options/cognito-module-options';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { createPoolJwtVerifier, type PoolJwtVerifier } from './jwks-source';
import { JWKS_PENALTY_MS, JwksPenaltyBox } from './jwks-penalty-box';
import { assertTokenString, expectedIssuers, MAX_TOKEN_LENGTH, precheckJwt } from './jwt-precheck';
import { IssuerMismatchLog } from './issuer-mismatch-log';
import { RevocationCheck } from './revocation-check';
import { authErrorOf, isJwksFailure, isKeyNotCached } from './verification-errors';
import { VerifiedClaimsCache } from './verified-claims-cache';
import { isClientCredentialsToken } from './token-scopes';

/** How {@link CognitoTokenVerifier.verify} may go about it. */
export interface CognitoVerifyOptions {
  /**
   * Only check against signing keys already fetched: never fetch the JWKS (a key
   * not fetched yet answers 503 JwksUnavailable). For optional authentication,
   * where a token must not cost a fetch. Default `false`.
   */
  cachedKeysOnly?: boolean;
}

/**
 * Verifies Cognito tokens offline with aws-jwt-verify: the JWKS is cached,
 * re-fetched when a token names an unknown `kid` (but not again for 10 s after a
 * fetched JWKS lacked one, or the fetch failed: meanwhile unknown `kid`s get 503 with
 * `Retry-After`), and concurrent fetches are merged into one. A token of another issuer is
 * refused before aws-jwt-verify sees it. Used by
 * {@link CognitoAuthGuard}; inject it to verify tokens elsewhere (WebSockets, ...).
 */
@Injectable()
export class CognitoTokenVerifier {
  private readonly logger = new Logger('CognitoAuthGuard');
  private readonly settings: ResolvedJwtSettings;
  /** Where the keys come from, for the log line (configured or derived: never the token's). */
  private readonly jwksUri: string;
  private readonly verifier: PoolJwtVerifier;
  /** The `iss` values accepted, checked before aws-jwt-verify sees a token. */
  private readonly issuers: readonly string[];
  private readonly issuerMismatches: IssuerMismatchLog;
  private readonly penaltyBox = new JwksPenaltyBox();
  private readonly revocations?: RevocationCheck;
  /** Claims of tokens already verified (see {@link VerifiedClaimsCache}). */
  private readonly verified = new VerifiedClaimsCache<CognitoClaims>();
  private warming?: Promise<void>;
  /** "JWKS unavailable": tokens with made-up kids can make fetches fail, so at most a line a minute. */
  private readonly jwksFailures = new RateLimitedLog(this.logger);

  constructor(@Inject(COGNITO_MODULE_OPTIONS) options: ResolvedCognitoOptions, caller: CognitoCaller) {
    this.settings = options.jwtSettings;
    this.jwksUri =
      this.settings.jwksUri ??
      `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}/.well-known/jwks.json`;
    const { issuer, revocationCacheMs, jwks } = this.settings;
    this.issuers = expectedIssuers(options.userPoolId, issuer);
    this.issuerMismatches = new IssuerMismatchLog(this.logger, this.issuers);
    this.verifier = createPoolJwtVerifier(options.userPoolId, this.settings, this.issuers, this.penaltyBox);
    if (jwks) this.logger.log(`Token signing keys (JWKS): ${jwks.keys.length} shipped with the app (jwt.jwks)`);
    if (revocationCacheMs !== undefined) this.revocations = new RevocationCheck(revocationCacheMs, caller, this.logger);
  }

  /** The token use the guard accepts. */
  get tokenUse(): 'access' | 'id' {
    return this.settings.tokenUse;
  }

  /** The cookie the guard also reads the token from, when configured. */
  get cookieName(): string | undefined {
    return this.settings.cookie;
  }

  /**
   * @internal `revocationCheck`'s cache period (`undefined`:
   * off): how often a long-lived connection re-checks its token.
   */
  get revocationCacheMs(): number | undefined {
    return this.settings.revocationCacheMs;
  }

  /**
   * @internal The guard's startup: {@link warmUp}, unless `jwt.warmUp` is off (then the
   * first request that needs a key fetches it, or `jwt.jwks` has it).
   */
  warmUpAtStartup(): Promise<void> {
    return this.settings.warmUp ? this.warmUp() : Promise.resolve();
  }

  /**
   * Fetches the JWKS once, so that the first request does not wait for it.
   * A failure is logged, not thrown: the app still starts, and requests retry the fetch
   * (503 while it fails; after a request's failed fetch, none for 10 s). Repeated calls share the first one.
   */
  warmUp(): Promise<void> {
    this.warming ??= this.verifier.hydrate().then(
      () => this.logger.log('Token signing keys (JWKS) fetched'),
      (error: Error) => this.logJwksFailure(error),
    );
    return this.warming;
  }

  /**
   * The token's verified claims.
   * With `revocationCheck`, a user's access token is also checked with Cognito; a
   * client-credentials token (no user) is not: it cannot be revoked before its `exp`.
   * @throws CognitoUnauthorizedError (401) for a malformed, expired, wrongly signed, wrong-use or revoked token,
   *   and for anything that is not a string of at most 16 KB (`TokenInvalid`, before any parsing).
   * @throws CognitoAuthUnavailableError (503) when the JWKS (or, for the revocation check, Cognito) is unreachable,
   *   or the token's key is not known and the JWKS may not be fetched again yet (`retryAfter` says when).
   */
  async verify(token: string, { cachedKeysOnly = false }: CognitoVerifyOptions = {}): Promise<CognitoClaims> {
    assertTokenString(token);
    const cached = this.verified.get(token);
    let claims: CognitoClaims;
    if (cached === undefined) {
      try {
        precheckJwt(token, this.issuers, (iss) => this.issuerMismatches.report(iss));
        claims = (
          cachedKeysOnly ? this.verifier.verifySync(token) : await this.verifier.verify(token)
        ) as CognitoClaims;
      } catch (error) {
        throw cachedKeysOnly && isKeyNotCached(error)
          ? new CognitoAuthUnavailableError('JwksUnavailable', 'The token signing key has not been fetched')
          : this.toAuthError(error);
      }
      // Never past the token's own expiry (aws-jwt-verify checked `exp` with no grace).
      this.verified.set(token, claims, claims.exp * 1000);
    } else {
      claims = cached;
    }
    // A client-credentials token has no user for GetUser to look up, and nothing can revoke it before its `exp`.
    if (this.revocations && !isClientCredentialsToken(claims) && !(await this.revocations.isAccepted(token))) {
      throw new CognitoUnauthorizedError('TokenRevoked', 'The token has been revoked');
    }
    return claims;
  }

  /**
   * @internal The claims of a token verified before and not expired, when nothing more
   * is to be checked (no `revocationCheck`); `undefined` otherwise, and for anything
   * malformed: then {@link verify} decides. The guard's synchronous path. `connection`:
   * the request's socket, where there is one.
   */
  cachedClaims(token: string, connection?: object): CognitoClaims | undefined {
    if (this.revocations || typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
    return this.verified.get(token, connection);
  }

  /** {@link authErrorOf}, after logging a JWKS failure. */
  private toAuthError(error: unknown): unknown {
    if (isJwksFailure(error)) this.logJwksFailure(error as Error);
    return authErrorOf(error, this.settings.tokenUse, this.penaltyBox);
  }

  /** At most a line a minute: the URI and the error class, never a token or the far end's text. */
  private logJwksFailure(error: Error): void {
    // The error's class, not its message: a parse error quotes the far end's body.
    this.jwksFailures.warn(
      `Token signing keys (JWKS) unavailable at ${this.jwksUri}: ${error.constructor.name}. Tokens of keys not ` +
        `cached get 503 until they are, with a new fetch at most every ${JWKS_PENALTY_MS / 1000} s`,
    );
  }
}

/** The token of a registration's {@link CognitoTokenVerifier}: the class for the default registration. */
export function getCognitoVerifierToken(name?: string): string | typeof CognitoTokenVerifier {
  return name === undefined ? CognitoTokenVerifier : `COGNITO:VERIFIER:${name}`;
}
