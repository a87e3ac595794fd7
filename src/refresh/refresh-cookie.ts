import type { IncomingHttpHeaders } from 'node:http';
import { stringifySetCookie } from 'cookie';
import { CognitoCsrfError, CognitoInputError } from '../errors/cognito.errors';
import { countCookies, readCookie } from '../internal/cookie-header';
import { checkedRefreshToken, checkedUsername } from '../internal/input-checks';
import { validateRefreshCookieOptions } from '../options/refresh-options';
import type { CognitoRefreshCookieOptions } from '../options/cognito-module-options';

/** Cookie settings with their defaults filled in (`path` open until the route's path is known). */
export type ResolvedRefreshCookie = Required<Omit<CognitoRefreshCookieOptions, 'domain' | 'path'>> & { domain?: string; path?: string };

/** What a refresh cookie holds: the token and, when it was written with one, the internal username. */
export interface StoredRefreshCookie {
  token: string;
  username?: string;
}

const THIRTY_DAYS = 30 * 24 * 3600;
/** Between the token and the username in the cookie's value: never part of a refresh token (base64url and dots). */
const SEPARATOR = '~';
const BASE64URL = /^[\w-]+$/;

/**
 * The cookie settings with their defaults, checked (a bad one throws
 * `CognitoConfigurationError` naming it). `routePath` (e.g. `'auth/refresh'`) is
 * the `Path` when `options.path` is not set; a `__Host-` name always gets `Path=/`.
 */
export function resolveRefreshCookie(options: CognitoRefreshCookieOptions, routePath?: string): ResolvedRefreshCookie {
  validateRefreshCookieOptions(options);
  const name = options.name ?? 'cognito_refresh_token';
  const hostOnly = /^__host-/i.test(name);
  return {
    name,
    path: options.path ?? (hostOnly ? '/' : routePath === undefined ? undefined : `/${routePath.replace(/^\/+/, '')}`),
    domain: options.domain,
    sameSite: options.sameSite ?? 'strict',
    secure: options.secure ?? true,
    maxAgeSeconds: options.maxAgeSeconds ?? THIRTY_DAYS,
  };
}

/**
 * A `Set-Cookie` value holding `token` (and `username`, the internal username a
 * SECRET_HASH needs, when given), or clearing the cookie when `token` is undefined.
 * `Path` is the settings' path, `/` when they have none.
 */
export function serializeRefreshCookie(cookie: ResolvedRefreshCookie, token: string | undefined, options: { username?: string } = {}): string {
  let value = '';
  if (token !== undefined) {
    value = checkedRefreshToken(token);
    if (options.username !== undefined) value += SEPARATOR + Buffer.from(checkedUsername(options.username)).toString('base64url');
  }
  return stringifySetCookie({
    name: cookie.name,
    value,
    path: cookie.path ?? '/',
    domain: cookie.domain,
    ...(token === undefined ? { maxAge: 0, expires: new Date(0) } : { maxAge: cookie.maxAgeSeconds }),
    httpOnly: true,
    secure: cookie.secure,
    sameSite: cookie.sameSite,
  });
}

/**
 * The refresh cookie of a request, undefined when absent or empty. More than one
 * cookie of that name (one tossed in from a sibling subdomain, say) is refused:
 * which one the browser sent first says nothing about which one is genuine.
 */
export function readRefreshCookie(header: string | string[] | undefined, name: string): StoredRefreshCookie | undefined {
  if (countCookies(header, name) > 1) {
    throw new CognitoInputError('DuplicateCookie', `The request carries more than one ${name} cookie`);
  }
  const value = readCookie(header, name);
  if (value === undefined) return undefined;
  const separator = value.indexOf(SEPARATOR);
  if (separator < 0) return { token: value };
  // Only ever a SECRET_HASH input: Cognito refuses a hash over a wrong username.
  const encoded = value.slice(separator + 1);
  if (!BASE64URL.test(encoded)) throw new CognitoInputError('InvalidRefreshToken', 'The refresh cookie is malformed');
  return { token: value.slice(0, separator), username: Buffer.from(encoded, 'base64url').toString() };
}

/**
 * A browser sends cookies with cross-site requests too. A custom header cannot be
 * sent cross-site without a CORS preflight, and `Origin` names the page that sent it.
 */
export function assertSameSiteRequest(headers: IncomingHttpHeaders, csrfHeader: string, allowedOrigins?: string[]): void {
  if (!headers[csrfHeader.toLowerCase()]) {
    throw new CognitoCsrfError(`A refresh from the cookie needs the ${csrfHeader} header`);
  }
  if (allowedOrigins) assertAllowedOrigin(headers, allowedOrigins, 'This origin may not refresh from the cookie');
}

/** The request's `Origin` is on the list (a request without one is refused): 403 `CsrfCheckFailed` otherwise. */
export function assertAllowedOrigin(headers: IncomingHttpHeaders, allowedOrigins: string[], message: string): void {
  if (!allowedOrigins.includes(String(headers.origin ?? ''))) throw new CognitoCsrfError(message);
}
