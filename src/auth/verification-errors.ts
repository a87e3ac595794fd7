import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwkValidationError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtBaseError,
  JwtExpiredError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import type { JwksPenaltyBox } from './jwks-penalty-box';

/**
 * Maps aws-jwt-verify's typed errors: key trouble is 503, anything about the token 401.
 * `tokenUse`: the one the verifier accepts; `penaltyBox`: its JWKS fetches' (for `Retry-After`).
 */
export function authErrorOf(error: unknown, tokenUse: 'access' | 'id', penaltyBox: JwksPenaltyBox): unknown {
  if (error instanceof CognitoUnauthorizedError) return error;
  if (error instanceof WaitPeriodNotYetEndedJwkError) {
    // An unknown kid while the JWKS may not be fetched again yet (a made-up kid was just
    // probed, or a fetch failed): it may be a newly rotated key, so not the caller's fault yet.
    // A kid missing from a freshly fetched JWKS is KidNotFoundInJwksError: 401.
    return new CognitoAuthUnavailableError(
      'JwksUnavailable',
      'The token signing key is not known yet (keys may be rotating); keep your credentials and retry later',
      Math.max(1, Math.ceil(penaltyBox.remainingMs() / 1000)),
    );
  }
  if (isJwksFailure(error)) {
    // The failed fetch closed the penalty box (PoolJwksCache): no new fetch before then.
    const closedMs = penaltyBox.remainingMs();
    return new CognitoAuthUnavailableError(
      'JwksUnavailable',
      'The token signing keys cannot be fetched; retry later',
      closedMs > 0 ? Math.ceil(closedMs / 1000) : undefined,
    );
  }
  if (error instanceof JwtExpiredError) return new CognitoUnauthorizedError('TokenExpired', 'The token has expired');
  if (error instanceof CognitoJwtInvalidTokenUseError) {
    return new CognitoUnauthorizedError(
      'TokenInvalid',
      `An ${tokenUse === 'access' ? 'access' : 'ID'} token is required`,
    );
  }
  if (error instanceof CognitoJwtInvalidClientIdError) {
    return new CognitoUnauthorizedError('TokenInvalid', 'The token was issued to another app client');
  }
  if (error instanceof JwtBaseError) return new CognitoUnauthorizedError('TokenInvalid', 'The token is invalid');
  return error;
}

/** The cached-keys-only check found no key to check with: nothing said about the token. */
export function isKeyNotCached(error: unknown): boolean {
  return error instanceof JwksNotAvailableInCacheError || error instanceof KidNotFoundInJwksError;
}

/** The JWKS could not be fetched or used (logged by the verifier, answered 503 by {@link authErrorOf}). */
export function isJwksFailure(error: unknown): boolean {
  return (
    error instanceof FetchError ||
    error instanceof JwksValidationError ||
    error instanceof JwkValidationError ||
    error instanceof JwksNotAvailableInCacheError
  );
}
