import { type CognitoAuthError, CognitoAuthUnavailableError } from '../errors/cognito-auth.errors';

/** graphql-ws's 4401 Unauthorized: no, bad, expired or revoked token (graphql-ws clients take it as final). */
export const UNAUTHORIZED = 4401;
/** 1013 Try Again Later: the token cannot be judged yet (keys or Cognito unavailable); graphql-ws clients retry it. */
export const TRY_AGAIN_LATER = 1013;
/** `ws`'s `WebSocket.OPEN`. */
export const OPEN = 1;

/** @internal The close code a connection is ended with for a refusal. */
export function closeCodeOf(refusal: CognitoAuthError): number {
  return refusal instanceof CognitoAuthUnavailableError ? TRY_AGAIN_LATER : UNAUTHORIZED;
}
