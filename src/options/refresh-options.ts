import { CognitoConfigurationError } from '../errors/cognito.errors';
import { assertKnownKeys, AUTH_CONTROLLER_KEYS, COOKIE_KEYS, REFRESH_CONTROLLER_KEYS } from './option-keys';

/** An RFC 7230 token: what a cookie name (RFC 6265) and a header name must be. */
const TOKEN = /^[!#$%&'*+\-.^`|~\w]+$/;
/** RFC 6265 path-value, starting with `/` (a browser ignores any other); no spaces, `;` or controls. */
const COOKIE_PATH = /^\/[\x21-\x3A\x3C-\x7E]*$/;
/** A host name as the `cookie` package accepts it in `Domain` (a leading dot is ignored by browsers). */
const COOKIE_DOMAIN = /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Headers that show nothing about who sent a request: a page on another site may
 * send them without a CORS preflight, or the browser or a proxy adds them itself.
 */
const NOT_A_CSRF_HEADER = new Set(
  [
    // CORS-safelisted request headers
    'accept accept-language content-language content-type range',
    // forbidden request headers (Fetch standard): set by the browser only
    'accept-charset accept-encoding connection content-length cookie cookie2 date dnt expect host ' +
      'keep-alive origin referer',
    'set-cookie te trailer transfer-encoding upgrade via',
    // added by browsers on their own (cached credentials, caching, hints) or by proxies
    'authorization cache-control pragma priority user-agent upgrade-insecure-requests last-event-id purpose',
    'if-match if-none-match if-modified-since if-unmodified-since if-range',
    'save-data downlink dpr device-memory ect rtt viewport-width width forwarded x-real-ip',
  ]
    .join(' ')
    .split(' '),
);
const NOT_A_CSRF_HEADER_PREFIX = /^(sec-|proxy-|access-control-|x-forwarded-)/;

/** A MAC key shorter than this is guessable; 10 keys cover any rotation. */
const MIN_KEY_LENGTH = 32;
const MAX_KEYS = 10;

/**
 * Checks the `refreshController` option (or `authController`, the same settings,
 * named by `option`) at startup, so that a cookie the browser would drop or a CSRF
 * check that checks nothing fails the boot with a message that names the option
 * instead of failing silently in the browser.
 */
export function validateRefreshControllerOptions(options: unknown, option = 'refreshController'): void {
  const record = objectOf(
    option,
    options,
    option === 'authController' ? AUTH_CONTROLLER_KEYS : REFRESH_CONTROLLER_KEYS,
  );
  const { path, cookie, csrfHeader, allowedOrigins } = record;
  if (path !== undefined && typeof path !== 'string') {
    throw new CognitoConfigurationError(`${option}.path must be a route path, got ${JSON.stringify(path)}`);
  }
  if (cookie !== undefined) validateRefreshCookieOptions(cookie, `${option}.cookie`);
  if (csrfHeader !== undefined) {
    if (typeof csrfHeader !== 'string' || !TOKEN.test(csrfHeader)) {
      throw new CognitoConfigurationError(
        `${option}.csrfHeader must be a header name, got ${JSON.stringify(csrfHeader)}`,
      );
    }
    const header = csrfHeader.toLowerCase();
    if (NOT_A_CSRF_HEADER.has(header) || NOT_A_CSRF_HEADER_PREFIX.test(header)) {
      throw new CognitoConfigurationError(
        `${option}.csrfHeader "${csrfHeader}" proves nothing: browsers or proxies send it without the app's script ` +
          '(use a custom header such as x-requested-with)',
      );
    }
  }
  if (allowedOrigins !== undefined) {
    if (!Array.isArray(allowedOrigins) || allowedOrigins.length === 0) {
      throw new CognitoConfigurationError(`${option}.allowedOrigins must be a non-empty array of origins`);
    }
    for (const origin of allowedOrigins) {
      if (!isOrigin(origin)) {
        throw new CognitoConfigurationError(
          `${option}.allowedOrigins has ${JSON.stringify(origin)}, which is not an origin ` +
            '(scheme://host[:port], lower case, no path or trailing slash)',
        );
      }
    }
  }
}

/**
 * Server-side sessions and the refresh cookie are two answers to one question (where the browser's
 * credentials live): with `session` no token reaches the browser, so `authController.cookie`, which
 * hands it the refresh token, is refused at startup rather than one of them silently ignored.
 */
export function assertSessionWithoutRefreshCookie(session: unknown, authController: { cookie?: unknown }): void {
  if (session !== undefined && authController.cookie !== undefined) {
    throw new CognitoConfigurationError(
      'session and authController.cookie cannot be set together: with session the refresh token stays on the ' +
        'server (drop authController.cookie)',
    );
  }
}

/** Checks the cookie settings (`refreshController.cookie`, or what an app passes to `resolveRefreshCookie`). */
export function validateRefreshCookieOptions(options: unknown, prefix = 'refreshController.cookie'): void {
  const option = (name: string) => `${prefix}.${name}`;
  const { name, path, domain, sameSite, secure, maxAgeSeconds, keys, acceptUnsigned } = objectOf(
    prefix,
    options,
    COOKIE_KEYS,
  );
  if (acceptUnsigned !== undefined && typeof acceptUnsigned !== 'boolean') {
    throw new CognitoConfigurationError(
      `${option('acceptUnsigned')} must be a boolean, got ${JSON.stringify(acceptUnsigned)}`,
    );
  }
  // Never quoted: a key is a secret.
  if (keys !== undefined && (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS)) {
    throw new CognitoConfigurationError(`${option('keys')} must be a list of 1 to ${MAX_KEYS} keys, newest first`);
  }
  (keys as unknown[] | undefined)?.forEach((key, index) => {
    if (typeof key !== 'string' || key.length < MIN_KEY_LENGTH) {
      throw new CognitoConfigurationError(
        `${option('keys')}[${index}] must be a string of at least ${MIN_KEY_LENGTH} characters`,
      );
    }
  });
  if (name !== undefined && (typeof name !== 'string' || !TOKEN.test(name))) {
    throw new CognitoConfigurationError(
      `${option('name')} must be a cookie name (an RFC 6265 token), got ${JSON.stringify(name)}`,
    );
  }
  if (sameSite !== undefined && !['strict', 'lax', 'none'].includes(sameSite as string)) {
    throw new CognitoConfigurationError(
      `${option('sameSite')} must be "strict", "lax" or "none", got ${JSON.stringify(sameSite)}`,
    );
  }
  if (secure !== undefined && typeof secure !== 'boolean') {
    throw new CognitoConfigurationError(`${option('secure')} must be a boolean, got ${JSON.stringify(secure)}`);
  }
  if (sameSite === 'none' && secure === false) {
    throw new CognitoConfigurationError(
      `${option('sameSite')} "none" needs Secure: browsers drop such a cookie without it`,
    );
  }
  if (
    maxAgeSeconds !== undefined &&
    (typeof maxAgeSeconds !== 'number' || !Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds <= 0)
  ) {
    throw new CognitoConfigurationError(
      `${option('maxAgeSeconds')} must be a positive whole number of seconds, got ${JSON.stringify(maxAgeSeconds)}`,
    );
  }
  if (path !== undefined && (typeof path !== 'string' || !COOKIE_PATH.test(path))) {
    throw new CognitoConfigurationError(
      `${option('path')} must be a path starting with "/", without spaces or ";", got ${JSON.stringify(path)}`,
    );
  }
  if (domain !== undefined && (typeof domain !== 'string' || !COOKIE_DOMAIN.test(domain))) {
    throw new CognitoConfigurationError(
      `${option('domain')} must be a host name such as "example.com", got ${JSON.stringify(domain)}`,
    );
  }
  // Cookie prefixes (RFC 6265bis): browsers drop a prefixed cookie that breaks their rules.
  if (typeof name === 'string' && /^__(host|secure)-/i.test(name) && secure === false) {
    throw new CognitoConfigurationError(
      `${option('secure')} cannot be false for a cookie named ${name}: browsers require Secure`,
    );
  }
  if (typeof name === 'string' && /^__host-/i.test(name)) {
    if (domain !== undefined)
      throw new CognitoConfigurationError(`${option('domain')} must not be set for a __Host- cookie`);
    if (path !== undefined && path !== '/')
      throw new CognitoConfigurationError(`${option('path')} must be "/" for a __Host- cookie`);
  }
}

/** Whether `value` is an origin exactly as a browser sends it in `Origin`. */
function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

function objectOf(name: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CognitoConfigurationError(`${name} must be an object`);
  }
  assertKnownKeys(name, value, keys);
  return value as Record<string, unknown>;
}
