import { COGNITO_REQUEST_USER } from '../options/constants';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import type { CognitoClaims, CognitoTokenVerifier } from './cognito-token-verifier';
import { watchSocketToken } from './websockets/socket-token-expiry';
import { watchGraphQLConnection } from './graphql/graphql-connection-watch';
import { type AuthRequest, COGNITO_REQUEST_TOKEN } from './auth-request';

/**
 * Leaves the claims on the request; a socket or GraphQL connection
 * also ends with its token (one that cannot be watched throws).
 */
export function admit(
  request: AuthRequest,
  token: string,
  claims: CognitoClaims,
  verifier: CognitoTokenVerifier,
): true {
  watchGraphQLConnection(request, token, claims.exp, verifier);
  request[COGNITO_REQUEST_USER] = claims;
  setAdmittedToken(request, token);
  watchSocketToken(request, token, claims.exp, verifier);
  return true;
}

/** On a public route: a connection that cannot be watched leaves its caller anonymous, as a failed token does. */
export function admitOptionally(
  request: AuthRequest,
  token: string,
  claims: CognitoClaims,
  verifier: CognitoTokenVerifier,
): true {
  try {
    return admit(request, token, claims, verifier);
  } catch {
    return true;
  }
}

/**
 * A public route's optional authentication of a token not found in the cache: a valid
 * one fills `request.user`; any failure (bad, expired, key not fetched, Cognito down)
 * leaves the caller anonymous. Against the keys already fetched only, so that tokens on
 * public routes (an expired one on the refresh route, made-up `kid`s) never cost a JWKS fetch.
 */
export async function authenticateOptionally(
  request: AuthRequest,
  token: string,
  verifier: CognitoTokenVerifier,
): Promise<true> {
  try {
    admit(request, token, await verifier.verify(token, { cachedKeysOnly: true }), verifier);
  } catch (error) {
    // Anonymous: a public route never answers 401 or 503. A socket keeps the claims of its
    // last check: a token now found revoked (or expired) must not leave them there.
    if (error instanceof CognitoUnauthorizedError && (error.code === 'TokenRevoked' || error.code === 'TokenExpired')) {
      request[COGNITO_REQUEST_USER] = undefined;
      setAdmittedToken(request, undefined);
    }
  }
  return true;
}

/**
 * The token `@CognitoAccessToken()` reads, not enumerable: a request logged whole (util.inspect,
 * console.log) or copied shows it no more than its JSON does (in session mode it is nowhere else).
 */
function setAdmittedToken(request: AuthRequest, token: string | undefined): void {
  Object.defineProperty(request, COGNITO_REQUEST_TOKEN, {
    value: token,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}
