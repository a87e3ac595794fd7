import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { countCookies, readCookie } from '../internal/cookie-header';
import type { AuthRequest } from './auth-request';

/**
 * @internal The token a request's headers carry: `Authorization: Bearer <token>`, or else
 * the `cookie` named by `jwt.cookie` when there is one, unless the request is a WebSocket
 * handshake ({@link isUpgradeRequest}). A malformed header, or the cookie sent more than
 * once, is refused rather than passed over.
 *
 * `verifiedBefore`, when given, is asked about the token read, before anything scans it:
 * a Bearer token it vouches for is not scanned for whitespace (a kilobyte on every request
 * of the guard's cache hit, otherwise a few hundred nanoseconds), as no verified token has any.
 */
export function requestToken(
  headers: Record<string, string | string[] | undefined>,
  cookie: string | undefined,
  verifiedBefore?: (token: string) => boolean,
): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const token = bearerCandidate(headers);
    // `Bearer +<token> *` with no whitespace in the token: a test, not a match (no array per request).
    if (token === undefined || token === '' || (verifiedBefore?.(token) !== true && WHITESPACE.test(token))) {
      throw new CognitoUnauthorizedError('TokenInvalid', 'The Authorization header must be "Bearer <token>"');
    }
    return token;
  }
  if (cookie === undefined || isUpgradeRequest(headers)) return undefined;
  // Cookie tossing: a sibling subdomain can add one of the same name, and which one comes first proves nothing.
  if (countCookies(headers.cookie, cookie) > 1) {
    throw new CognitoUnauthorizedError('TokenInvalid', `The request carries more than one ${cookie} cookie`);
  }
  const token = readCookie(headers.cookie, cookie);
  if (token !== undefined) verifiedBefore?.(token);
  return token;
}

const WHITESPACE = /\s/;

/**
 * @internal The token of an `Authorization` value, `Bearer <token>`, read as the header is
 * (graphql-ws and Mercurius `connectionParams` carry one); `undefined` when it is malformed.
 */
export function bearerToken(authorization: string): string | undefined {
  const token = bearerCandidate({ authorization });
  return token === undefined || token === '' || WHITESPACE.test(token) ? undefined : token;
}

/**
 * @internal Whether a request is a WebSocket handshake (or any protocol upgrade): an
 * `Upgrade` header (HTTP/1.1), the `:protocol` pseudo-header of HTTP/2's extended CONNECT,
 * or `Sec-WebSocket-Key`. None of them can be set by a page's `fetch()`, only by the
 * browser opening a socket, and a browser sends its cookies with a socket that any site
 * opens (WebSockets have no CORS): such a request never authenticates by cookie
 * (cross-site WebSocket hijacking), whatever the transport or the driver that hands it over.
 */
export function isUpgradeRequest(headers: Readonly<Record<string, unknown>>): boolean {
  return (
    headers.upgrade !== undefined || headers[':protocol'] !== undefined || headers['sec-websocket-key'] !== undefined
  );
}

const BEARER_PREFIX = /^Bearer +/i;

/**
 * @internal What follows `Bearer` and its spaces in the `Authorization` header, trailing
 * spaces cut; `undefined` without that scheme. Not yet a token: {@link requestToken}
 * refuses it empty or holding whitespace.
 */
export function bearerCandidate(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  // "Bearer " as clients write it is read without a regex match (an array and a string per request).
  let start = authorization.startsWith('Bearer ') ? 7 : (BEARER_PREFIX.exec(authorization)?.[0].length ?? -1);
  if (start === -1) return undefined;
  while (authorization.charCodeAt(start) === 0x20) start += 1;
  let end = authorization.length;
  while (end > start && authorization.charCodeAt(end - 1) === 0x20) end -= 1;
  return authorization.slice(start, end);
}

const AUTHORIZATION = /^authorization$/i;

/**
 * @internal Whether a raw header name is `Authorization`, in any
 * case (a regex test allocates nothing, unlike toLowerCase()).
 */
export function isAuthorizationName(name: unknown): boolean {
  return typeof name === 'string' && name.length === 13 && AUTHORIZATION.test(name);
}

/**
 * @internal Whether a request came with more than one `Authorization` header. Node keeps
 * the first in `headers` and drops the others, while a proxy in front may have read
 * another: which one is meant cannot be known, so the guard refuses it as it refuses a
 * token cookie sent twice. Read from the raw header list (Express's request, Fastify's
 * `raw`, a socket's handshake); a request without one cannot repeat it.
 */
export function repeatsAuthorization(request: AuthRequest): boolean {
  const raw = request.rawHeaders ?? request.raw?.rawHeaders;
  if (!Array.isArray(raw)) return false;
  let seen = false;
  // Names and values alternate.
  for (let i = 0; i < raw.length; i += 2) {
    if (isAuthorizationName(raw[i])) {
      if (seen) return true;
      seen = true;
    }
  }
  return false;
}

/**
 * @internal The one token reader, the guard's: {@link requestToken} of a request, refusing
 * one with more than one `Authorization` header.
 */
export function tokenOfRequest(
  request: AuthRequest,
  cookie: string | undefined,
  verifiedBefore?: (token: string) => boolean,
): string | undefined {
  if (repeatsAuthorization(request))
    throw new CognitoUnauthorizedError('TokenInvalid', 'The request carries more than one Authorization header');
  return requestToken(request.headers ?? {}, cookie, verifiedBefore);
}
