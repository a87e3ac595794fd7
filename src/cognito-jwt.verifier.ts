import { type CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwkValidationError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtBaseError,
  JwtExpiredError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { CognitoAccessTokenPayload, CognitoIdTokenPayload } from 'aws-jwt-verify/jwt-model';
import { callCognito } from './cognito-call';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, DEFAULT_TIMEOUT_MS } from './cognito.constants';
import { type CognitoModuleOptions, type ResolvedJwtSettings, resolveJwtSettings } from './cognito.options';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from './cognito-auth.errors';
import { CognitoJwksFetcher } from './cognito-jwks.fetcher';
import { RevocationCache } from './cognito-revocation.cache';
import { TokenCache } from './token-cache';

/** The verified claims of a Cognito access or ID token, as {@link CognitoUser} hands them out. */
export type CognitoClaims = CognitoAccessTokenPayload | CognitoIdTokenPayload;

/** Cognito errors that say the token itself is no longer accepted. */
const REVOKED = new Set(['NotAuthorizedException', 'UserNotFoundException']);

/**
 * Verifies Cognito tokens offline with aws-jwt-verify: the JWKS is cached,
 * re-fetched when a token names an unknown `kid` (rate-limited by aws-jwt-verify's
 * penalty box), and concurrent fetches are merged into one. Used by
 * {@link CognitoAuthGuard}; inject it to verify tokens elsewhere (WebSockets, ...).
 */
@Injectable()
export class CognitoTokenVerifier {
  private readonly logger = new Logger('CognitoAuthGuard');
  private readonly settings: ResolvedJwtSettings;
  private readonly verifier: { verify(token: string): Promise<unknown>; hydrate(): Promise<void> };
  private readonly revocations?: RevocationCache;
  /**
   * Claims of tokens already verified, until each token's `exp`: a client sends the
   * same token with every request, and the RSA check need not be redone each time.
   */
  private readonly verified = new TokenCache<CognitoClaims>();
  private readonly timeoutMs: number;
  private warming?: Promise<void>;
  private jwksReachable = true;

  constructor(
    @Inject(COGNITO_MODULE_OPTIONS) options: CognitoModuleOptions,
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
  ) {
    this.settings = resolveJwtSettings(options);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { tokenUse, issuer, jwksUri, revocationCacheMs } = this.settings;
    const jwksCache = new SimpleJwksCache({ fetcher: new CognitoJwksFetcher() });
    const { clientId, userPoolId } = options;
    this.verifier =
      issuer === undefined
        ? CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse }, { jwksCache })
        : // A custom issuer (an emulator's, or an explicit jwksUri): the same Cognito
          // checks as CognitoJwtVerifier (token_use, client_id or aud), after the signature.
          JwtRsaVerifier.create(
            { issuer, jwksUri, audience: null, customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId }) },
            { jwksCache },
          );
    if (revocationCacheMs !== undefined) this.revocations = new RevocationCache(revocationCacheMs);
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
   * Fetches the JWKS once, so that the first request does not wait for it.
   * A failure is logged, not thrown: the app still starts, and requests retry the
   * fetch (answering 503 while it fails). Repeated calls share the first one.
   */
  warmUp(): Promise<void> {
    this.warming ??= this.verifier.hydrate().then(
      () => {
        this.jwksReachable = true;
        this.logger.log('Token signing keys (JWKS) fetched');
      },
      (error: Error) => this.markJwksFailure(error),
    );
    return this.warming;
  }

  /**
   * The token's verified claims.
   * @throws CognitoUnauthorizedError (401) for a malformed, expired, wrongly signed, wrong-use or revoked token.
   * @throws CognitoAuthUnavailableError (503) when the JWKS (or, for the revocation check, Cognito) is unreachable.
   */
  async verify(token: string): Promise<CognitoClaims> {
    const key = this.verified.keyOf(token);
    let claims = this.verified.get(key);
    if (claims === undefined) {
      try {
        claims = (await this.verifier.verify(token)) as CognitoClaims;
        this.jwksReachable = true;
      } catch (error) {
        throw this.toAuthError(error);
      }
      // Never past the token's own expiry (aws-jwt-verify checked `exp` with no grace).
      this.verified.set(key, claims, claims.exp * 1000);
    }
    if (this.revocations && !(await this.revocations.isAccepted(token, () => this.askCognito(token)))) {
      throw new CognitoUnauthorizedError('TokenRevoked', 'The token has been revoked');
    }
    // A deep copy: the caller may change it (request.user, its groups array), the cache must not see that.
    return structuredClone(claims);
  }

  /** Maps aws-jwt-verify's typed errors: key trouble is 503, anything about the token 401. */
  private toAuthError(error: unknown): unknown {
    if (isJwksFailure(error)) {
      this.markJwksFailure(error as Error);
      return new CognitoAuthUnavailableError('JwksUnavailable', 'The token signing keys cannot be fetched; retry later');
    }
    if (error instanceof JwtExpiredError) return new CognitoUnauthorizedError('TokenExpired', 'The token has expired');
    if (error instanceof CognitoJwtInvalidTokenUseError) {
      return new CognitoUnauthorizedError('TokenInvalid', `An ${this.settings.tokenUse === 'access' ? 'access' : 'ID'} token is required`);
    }
    if (error instanceof CognitoJwtInvalidClientIdError) {
      return new CognitoUnauthorizedError('TokenInvalid', 'The token was issued to another app client');
    }
    if (error instanceof JwtBaseError) return new CognitoUnauthorizedError('TokenInvalid', 'The token is invalid');
    return error;
  }

  /** Logs once per outage, not per request; the message names the URI, never a token. */
  private markJwksFailure(error: Error): void {
    if (!this.jwksReachable) return;
    this.jwksReachable = false;
    this.logger.warn(`Token signing keys (JWKS) unavailable, requests get 503 until they are: ${error.constructor.name}: ${error.message}`);
  }

  /**
   * GetUser accepts only a live access token of an existing, enabled user. Under the
   * module's deadline, logged like every failed Cognito call (fingerprint only).
   */
  private async askCognito(token: string): Promise<boolean> {
    try {
      const command = new GetUserCommand({ AccessToken: token });
      await callCognito(this.client, command, { operation: 'revocationCheck', timeoutMs: this.timeoutMs, logger: this.logger, token });
      return true;
    } catch (error) {
      if (REVOKED.has((error as Error).name)) return false;
      throw new CognitoAuthUnavailableError('RevocationCheckUnavailable', 'The token cannot be checked right now; retry later');
    }
  }
}

function isJwksFailure(error: unknown): boolean {
  return (
    error instanceof FetchError ||
    error instanceof JwksValidationError ||
    error instanceof JwkValidationError ||
    error instanceof JwksNotAvailableInCacheError
  );
}
