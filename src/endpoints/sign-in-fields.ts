import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { CognitoBadResponseError, CognitoInputError, tagCallerUsername } from '../errors/cognito.errors';

// What sign-in and challenge read: the body's strings, and the username in Cognito's answer.

/**
 * @internal `call`, whose username the request's body chose: a SECRET_HASH Cognito refuses over it is
 * the caller's doing (a rate-limited warning), not a wrong clientSecret (an ERROR per request).
 */
export async function callerUsername<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    tagCallerUsername(error);
    throw error;
  }
}

/**
 * The internal username (the access token's `username` claim) that a later refresh's
 * SECRET_HASH is computed over. The token is decoded without verifying it: it is
 * Cognito's own answer to the call just made, received over TLS from the configured
 * endpoint, never a client's input, so there is nothing to verify it against.
 */
export function usernameClaim(accessToken: string | null): string {
  let username: unknown;
  try {
    username = decomposeUnverifiedJwt(accessToken ?? '').payload.username;
  } catch {
    username = undefined;
  }
  if (typeof username !== 'string')
    throw new CognitoBadResponseError('Cognito answered with an access token without a username');
  return username;
}

export function requiredStrings<K extends string>(fields: Record<string, unknown>, names: K[]): Record<K, string> {
  for (const name of names) {
    if (typeof fields[name] !== 'string') throw new CognitoInputError('InvalidParameter', `${name} must be a string`);
  }
  return fields as Record<K, string>;
}
