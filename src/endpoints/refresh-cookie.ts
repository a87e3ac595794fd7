import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { stringifySetCookie } from 'cookie';
import { CognitoCsrfError, CognitoInputError } from '../errors/cognito.errors';
import { countCookies, readCookie } from '../internal/cookie-header';
import { checkedRefreshToken, checkedUsername } from '../internal/input-checks';
import { validateRefreshCookieOptions } from '../options/refresh-options';
import type { CognitoRefreshCookieOptions } from '../options/cognito-module-options';

/**
 * Cookie settings with their defaults filled in (`path` open until the route's path is
 * known); `keys`, when given, sign and verify the username part (the first signs).
 */
export type ResolvedRefreshCookie = Required<Omit<CognitoRefreshCookieOptions, 'domain' | 'path' | 'keys'>> & {
  domain?: string;
  path?: string;
  keys?: readonly string[];
};

/**
 * What a refresh cookie holds: the token and, when it was written with one, the internal
 * username, with its MAC when it was written with a key (cookies set before MACs have none).
 */
export interface StoredRefreshCookie {
  token: string;
  username?: string;
  mac?: string;
}

/**
 * How a cookie's username reads: `signed` under the first key, `stale` under another
 * (to be signed again), `unsigned` (no username, a cookie from before MACs, or no key to check it).
 */
export type CookieUsernameCheck = 'signed' | 'stale' | 'unsigned';

const THIRTY_DAYS = 30 * 24 * 3600;
/** Between the token and the username in the cookie's value: never part of a refresh token (base64url and dots). */
const SEPARATOR = '~';
const BASE64URL = /^[\w-]+$/;
/** HMAC-SHA256, base64url. */
const MAC = /^[\w-]{43}$/;
/**
 * HKDF's salt and label: the MAC key is never the configured secret itself (a client secret also makes SECRET_HASHes).
 */
const MAC_SALT = 'nestjs-cognito-sync/refresh-cookie/v1';
const MAC_LABEL = 'username mac';

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
    ...(options.keys === undefined ? {} : { keys: [...options.keys] }),
    sameSite: options.sameSite ?? 'strict',
    secure: options.secure ?? true,
    maxAgeSeconds: options.maxAgeSeconds ?? THIRTY_DAYS,
    // An app that sets keys has moved to signed cookies: one without a MAC is then refused.
    acceptUnsigned: options.acceptUnsigned ?? options.keys === undefined,
  };
}

/**
 * A `Set-Cookie` value holding `token` (and `username`, the internal username a
 * SECRET_HASH needs, when given), or clearing the cookie when `token` is undefined.
 * `Path` is the settings' path, `/` when they have none.
 */
export function serializeRefreshCookie(
  cookie: ResolvedRefreshCookie,
  token: string | undefined,
  options: { username?: string } = {},
): string {
  let value = '';
  if (token !== undefined) {
    value = checkedRefreshToken(token);
    if (options.username !== undefined) {
      value += SEPARATOR + Buffer.from(checkedUsername(options.username)).toString('base64url');
      if (cookie.keys?.length)
        value += SEPARATOR + usernameMac(cookie.keys[0], value.slice(0, value.indexOf(SEPARATOR)), options.username);
    }
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
export function readRefreshCookie(
  header: string | string[] | undefined,
  name: string,
): StoredRefreshCookie | undefined {
  if (countCookies(header, name) > 1) {
    throw new CognitoInputError('DuplicateCookie', `The request carries more than one ${name} cookie`);
  }
  const value = readCookie(header, name);
  if (value === undefined) return undefined;
  const [token, encoded, mac, ...rest] = value.split(SEPARATOR);
  if (encoded === undefined) return { token };
  // Only ever a SECRET_HASH input, authenticated by its MAC (checkCookieUsername).
  if (!BASE64URL.test(encoded) || (mac !== undefined && !MAC.test(mac)) || rest.length > 0) {
    throw new CognitoInputError('InvalidRefreshToken', 'The refresh cookie is malformed');
  }
  return { token, username: Buffer.from(encoded, 'base64url').toString(), ...(mac === undefined ? {} : { mac }) };
}

/**
 * Whether the cookie's username is the one written with its token: a MAC that no key
 * verifies (an edited username, or a key no longer configured), or no MAC at all unless
 * `acceptUnsigned` (a MAC stripped reads as a cookie from before MACs), is refused here,
 * before any call to Cognito, as 400 `InvalidRefreshCookie`.
 */
export function checkCookieUsername(
  keys: readonly string[] | undefined,
  stored: StoredRefreshCookie,
  acceptUnsigned = true,
): CookieUsernameCheck {
  if (stored.username === undefined || !keys?.length) return 'unsigned';
  if (stored.mac === undefined) {
    if (acceptUnsigned) return 'unsigned';
    throw new CognitoInputError('InvalidRefreshCookie', 'The refresh cookie is not signed; sign in again');
  }
  const given = Buffer.from(stored.mac);
  const index = keys.findIndex((key) =>
    timingSafeEqual(Buffer.from(usernameMac(key, stored.token, stored.username!)), given),
  );
  if (index < 0)
    throw new CognitoInputError('InvalidRefreshCookie', 'The refresh cookie does not verify; sign in again');
  return index === 0 ? 'signed' : 'stale';
}

/** The MAC of a cookie's username, bound to its token. */
function usernameMac(key: string, token: string, username: string): string {
  const macKey = Buffer.from(hkdfSync('sha256', key, MAC_SALT, MAC_LABEL, 32));
  return createHmac('sha256', macKey).update(`${token}\0${username}`).digest('base64url');
}

/**
 * A browser sends cookies with cross-site requests too. A custom header cannot be
 * sent cross-site without a CORS preflight, and `Origin` names the page that sent it.
 */
export function assertSameSiteRequest(
  headers: IncomingHttpHeaders,
  csrfHeader: string,
  allowedOrigins?: string[],
): void {
  if (!headers[csrfHeader.toLowerCase()]) {
    throw new CognitoCsrfError(`A request that reads the refresh cookie needs the ${csrfHeader} header`);
  }
  if (allowedOrigins) assertAllowedOrigin(headers, allowedOrigins, 'This origin may not use the refresh cookie');
}

/**
 * Sign-in and challenge, which set a cookie: an `Origin` must be on the list (`null`, an opaque origin, never is),
 * else 403 `CsrfCheckFailed`. A request without one passes: browsers send it on every cross-origin POST, so only
 * clients that are not browsers (curl, mobile apps, servers) go without, and refusing them defends nothing.
 */
export function assertOriginMaySignIn(headers: IncomingHttpHeaders, allowedOrigins: string[]): void {
  if (headers.origin !== undefined) assertAllowedOrigin(headers, allowedOrigins, 'This origin may not sign in');
}

/** The request's `Origin` is on the list (a request without one is refused): 403 `CsrfCheckFailed` otherwise. */
export function assertAllowedOrigin(headers: IncomingHttpHeaders, allowedOrigins: string[], message: string): void {
  if (!allowedOrigins.includes(String(headers.origin ?? ''))) throw new CognitoCsrfError(message);
}
