import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';

/**
 * @internal The `iss` values a pool's tokens may carry: the configured (or
 * endpoint-derived) issuer; on AWS, both formats Cognito issues and
 * aws-jwt-verify's `CognitoJwtVerifier` accepts (regional, and `issuer-cognito-idp`).
 */
export function expectedIssuers(userPoolId: string, issuer: string | undefined): string[] {
  if (issuer !== undefined) return [issuer];
  const region = userPoolId.split('_')[0];
  return [`https://cognito-idp.${region}.amazonaws.com/${userPoolId}`, `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`];
}

/**
 * @internal Refuses a token, before aws-jwt-verify sees it, whose unverified
 * `iss` is not one of `issuers`: aws-jwt-verify caches the key it loads under
 * that unverified `iss`, before checking the signature, with no bound, so
 * forged issuers would grow the heap with every request. Also refuses a token
 * without `exp`, which aws-jwt-verify accepts and Cognito never issues.
 * @throws aws-jwt-verify's JwtParseError for a malformed token, CognitoUnauthorizedError otherwise.
 */
export function precheckJwt(token: string, issuers: readonly string[]): void {
  const { payload } = decomposeUnverifiedJwt(token);
  if (typeof payload.iss !== 'string' || !issuers.includes(payload.iss)) {
    throw new CognitoUnauthorizedError('TokenInvalid', 'The token was not issued by this user pool');
  }
  if (payload.exp === undefined) throw new CognitoUnauthorizedError('TokenInvalid', 'The token has no expiry');
}
