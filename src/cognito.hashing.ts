import { createHash, createHmac } from 'node:crypto';

/**
 * Cognito's SECRET_HASH: `Base64(HMAC_SHA256(clientSecret, username + clientId))`.
 * `username` must be the user's internal Cognito username (the access token's
 * `username` claim, the ID token's `cognito:username`), not an email alias:
 * hashing the alias is what makes Cognito answer "Unable to verify secret hash".
 */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/**
 * A short, non-reversible name for a token in logs: the first 8 hex digits of
 * its SHA-256. Enough to match two log lines, useless to an attacker.
 */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}
