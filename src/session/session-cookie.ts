import { createHash, randomBytes } from 'node:crypto';
import { serialize } from 'cookie';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { countCookies, readCookie } from '../internal/cookie-header';

/** 32 random bytes, base64url: 43 characters. */
const SESSION_ID = /^[\w-]{43}$/;

/** @internal What the session cookie holds: the session's random id and its user's tag (never a token). */
export interface SessionCookieValue {
  id: string;
  /** sha256 of the user's `sub`: the store's key of the user's "signed out everywhere" mark. */
  userTag: string;
}

/** @internal A fresh session id (also a ticket): 32 random bytes, base64url. */
export function randomId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * @internal The key of a user's sign-out mark: a hash of `sub`, so that the cookie and the store
 * hold no readable user id. The session is read with it in one round trip (`SessionStore.read`).
 */
export function userTagOf(sub: string): string {
  return createHash('sha256').update(sub).digest('base64url');
}

/**
 * @internal The session cookie of `headers`: undefined without one; refused (401 `SessionInvalid`) when
 * repeated (which of two is genuine cannot be told) or not of the shape this module writes.
 */
export function readSessionCookie(
  headers: Record<string, string | string[] | undefined> | undefined,
  name: string,
): SessionCookieValue | undefined {
  const header = headers?.cookie;
  if (countCookies(header, name) > 1) {
    throw new CognitoUnauthorizedError('SessionInvalid', 'The session cookie was sent more than once');
  }
  const value = readCookie(header, name);
  if (value === undefined) return undefined;
  const [id, userTag, extra] = value.split('.');
  if (extra !== undefined || !SESSION_ID.test(id) || userTag === undefined || !SESSION_ID.test(userTag)) {
    throw new CognitoUnauthorizedError('SessionInvalid', 'The session cookie is malformed');
  }
  return { id, userTag };
}

/** @internal The `Set-Cookie` value of a new session (HttpOnly, SameSite=Lax, Path=/; Secure unless plain http). */
export function sessionSetCookie(name: string, value: SessionCookieValue, secure: boolean, maxAgeMs: number): string {
  return serialize(name, `${value.id}.${value.userTag}`, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    maxAge: Math.max(0, Math.floor(maxAgeMs / 1000)),
  });
}

/** @internal The `Set-Cookie` value that removes the session cookie. */
export function clearingSetCookie(name: string, secure: boolean): string {
  return serialize(name, '', { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: 0 });
}
