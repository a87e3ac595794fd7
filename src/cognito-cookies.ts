import type { IncomingHttpHeaders } from 'node:http';
import { CognitoSyncError } from './cognito.errors';

/** Where a browser keeps its refresh token: an `HttpOnly` cookie that JavaScript never sees. */
export interface CognitoRefreshCookieOptions {
  /** Cookie name; default `cognito_refresh_token`. */
  name?: string;
  /**
   * Cookie path; default the path the refresh request came to (global prefix and
   * version included), so that the browser sends the cookie nowhere else.
   */
  path?: string;
  domain?: string;
  /** Default `strict`. */
  sameSite?: 'strict' | 'lax' | 'none';
  /** Default `true`; turn off only for plain-http local development. */
  secure?: boolean;
  /** Lifetime in seconds; default 30 days, Cognito's default refresh token validity. */
  maxAgeSeconds?: number;
}

/** Cookie settings with their defaults filled in (`path` stays open: the request's path). */
export type ResolvedRefreshCookie = Required<Omit<CognitoRefreshCookieOptions, 'domain' | 'path'>> & { domain?: string; path?: string };

/** A cookie-borne refresh was refused by the CSRF checks (HTTP 403), before any call to Cognito. */
export class CognitoCsrfError extends CognitoSyncError {
  constructor(message: string) {
    super(message, 'CsrfCheckFailed', 403);
  }
}

const THIRTY_DAYS = 30 * 24 * 3600;

/**
 * The cookie settings with their defaults. `routePath` (e.g. `'auth/refresh'`) is the
 * default `Path` when `options.path` is not set; without either, the request's path.
 */
export function resolveRefreshCookie(options: CognitoRefreshCookieOptions, routePath?: string): ResolvedRefreshCookie {
  return {
    name: options.name ?? 'cognito_refresh_token',
    path: options.path ?? (routePath === undefined ? undefined : `/${routePath.replace(/^\/+/, '')}`),
    domain: options.domain,
    sameSite: options.sameSite ?? 'strict',
    secure: options.secure ?? true,
    maxAgeSeconds: options.maxAgeSeconds ?? THIRTY_DAYS,
  };
}

/** One cookie's value from a `Cookie` header (RFC 6265 syntax; no cookie-parser needed on either adapter). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const pair of lines.join(';').split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    let value = pair.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    return value === '' ? undefined : value;
  }
  return undefined;
}

/**
 * A `Set-Cookie` value holding `token`, or clearing the cookie when `token` is
 * undefined. `requestPath` is the `Path` when the settings name none.
 */
export function serializeRefreshCookie(cookie: ResolvedRefreshCookie, token: string | undefined, requestPath = '/'): string {
  const parts = [`${cookie.name}=${token === undefined ? '' : encodeURIComponent(token)}`, `Path=${cookie.path ?? requestPath}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  parts.push(token === undefined ? 'Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT' : `Max-Age=${cookie.maxAgeSeconds}`);
  parts.push('HttpOnly');
  if (cookie.secure) parts.push('Secure');
  parts.push(`SameSite=${cookie.sameSite[0].toUpperCase()}${cookie.sameSite.slice(1)}`);
  return parts.join('; ');
}

/**
 * A browser sends cookies with cross-site requests too. A custom header cannot be
 * sent cross-site without a CORS preflight, and `Origin` names the page that sent it.
 */
export function assertSameSiteRequest(headers: IncomingHttpHeaders, csrfHeader: string, allowedOrigins?: string[]): void {
  if (!headers[csrfHeader.toLowerCase()]) {
    throw new CognitoCsrfError(`A refresh from the cookie needs the ${csrfHeader} header`);
  }
  if (allowedOrigins && !allowedOrigins.includes(String(headers.origin ?? ''))) {
    throw new CognitoCsrfError('This origin may not refresh from the cookie');
  }
}
