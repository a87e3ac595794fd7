import { createHmac, hash } from 'node:crypto';
import { CognitoInputError } from '../errors/cognito.errors';
import { checkedUsername } from './input-checks';

/**
 * Cognito's SECRET_HASH: `Base64(HMAC_SHA256(clientSecret, username + clientId))`.
 * `username` must be the user's internal Cognito username (the access token's
 * `username` claim, the ID token's `cognito:username`), not an email alias:
 * hashing the alias is what makes Cognito answer "Unable to verify secret hash".
 */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

/**
 * A short, non-reversible name for a token in logs: the first 8 hex digits of
 * its SHA-256. Enough to match two log lines, useless to an attacker.
 */
export function fingerprint(token: string): string {
  return hash('sha256', token, 'hex').slice(0, 8);
}

/**
 * The SECRET_HASH of a call for `username`, which must be given (the caller's
 * input: a body field, a bearer token's claim, a method argument).
 */
export function secretHashFor(
  options: { clientSecret?: string; clientId: string },
  username: string | undefined,
): string {
  if (username === undefined || username === '') {
    throw new CognitoInputError(
      'UsernameRequired',
      'This app client has a secret: the username (the access token\'s "username" claim) is required',
    );
  }
  return secretHash(options.clientSecret!, checkedUsername(username), options.clientId);
}
