import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';

/** @internal Longer than any Cognito token (a few KB, even with many groups); refused before parsing. */
export const MAX_TOKEN_LENGTH = 16_384;

/**
 * @internal Refuses what is not a token at all before anything hashes or parses it:
 * not a string (a caller outside HTTP may hand over anything), or over
 * {@link MAX_TOKEN_LENGTH} characters.
 * @throws CognitoUnauthorizedError (401 TokenInvalid)
 */
export function assertTokenString(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    throw new CognitoUnauthorizedError('TokenInvalid', 'The token is invalid');
  }
}

/**
 * @internal The `iss` values a pool's tokens may carry: the configured (or
 * endpoint-derived) issuer, and for an emulator on this machine its other loopback
 * spellings (see {@link loopbackSpellings}); on AWS, both formats Cognito issues and
 * aws-jwt-verify's `CognitoJwtVerifier` accepts (regional, and `issuer-cognito-idp`).
 */
export function expectedIssuers(userPoolId: string, issuer: string | undefined): string[] {
  if (issuer !== undefined) return loopbackSpellings(issuer);
  const region = userPoolId.split('_')[0];
  return [
    `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`,
  ];
}

const LOOPBACK_URL = /^(https?:\/\/)(localhost|127\.0\.0\.1|\[::1\])((?::\d+)?(?:\/.*)?)$/i;

/**
 * @internal An issuer on this machine in each of its usual spellings, same scheme,
 * port and path (the configured one first): `localhost`, `127.0.0.1` and `[::1]` name
 * the same emulator, and cognito-local prints one while its tokens may say another
 * (its `IssuerDomain` follows its own settings, not the address it is called at).
 * Any other issuer as it is.
 */
export function loopbackSpellings(issuer: string): string[] {
  const match = LOOPBACK_URL.exec(issuer);
  if (!match) return [issuer];
  const [, scheme, host, rest] = match;
  const others = ['localhost', '127.0.0.1', '[::1]']
    .filter((other) => other !== host.toLowerCase())
    .map((other) => `${scheme}${other}${rest}`);
  return [issuer, ...others];
}

/**
 * @internal Refuses a token, before aws-jwt-verify sees it, whose unverified
 * `iss` is not one of `issuers`: aws-jwt-verify caches the key it loads under
 * that unverified `iss`, before checking the signature, with no bound, so
 * forged issuers would grow the heap with every request. Also refuses a token
 * without `exp`, which aws-jwt-verify accepts and Cognito never issues, and a
 * signature not spelled in canonical base64url: `=` padding, or set bits in the
 * unused low bits of its last character. aws-jwt-verify accepts those, so one
 * token would have some 48 spellings, each its own cache entry, RSA check and
 * revocation call. `onForeignIssuer` hears of each token refused for its `iss`.
 * @throws aws-jwt-verify's JwtParseError for a malformed token, CognitoUnauthorizedError otherwise.
 */
export function precheckJwt(token: string, issuers: readonly string[], onForeignIssuer?: (iss: unknown) => void): void {
  const { payload } = decomposeUnverifiedJwt(token);
  const signature = token.slice(token.lastIndexOf('.') + 1);
  if (signature.includes('=') || Buffer.from(signature, 'base64url').toString('base64url') !== signature) {
    throw new CognitoUnauthorizedError('TokenInvalid', 'The token signature is not in canonical base64url');
  }
  if (typeof payload.iss !== 'string' || !issuers.includes(payload.iss)) {
    onForeignIssuer?.(payload.iss);
    throw new CognitoUnauthorizedError('TokenInvalid', 'The token was not issued by this user pool');
  }
  if (payload.exp === undefined) throw new CognitoUnauthorizedError('TokenInvalid', 'The token has no expiry');
}
