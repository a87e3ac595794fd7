import { CognitoConfigurationError } from '../errors/cognito.errors';
import { isLoopbackUrl } from './loopback-url';
import { assertKnownKeys, SESSION_COOKIE_KEYS, SESSION_KEYS } from './option-keys';
import { redisAdapterOf } from './redis-adapter';
import type { CognitoModuleOptions } from './cognito-module-options';
import type { ResolvedSession } from './session-options';

const MIN_SECRET_LENGTH = 32;
const MAX_SECRETS = 10;
const DEFAULT_IDLE_SECONDS = 86_400;
const DEFAULT_ABSOLUTE_SECONDS = 604_800;
/** A year: longer than any sign-in should last without Cognito being asked again. */
const MAX_SECONDS = 31_536_000;
const MIN_SECONDS = 60;
const DEFAULT_MAX_SESSIONS = 10_000;
const MAX_MAX_SESSIONS = 10_000_000;
/** RFC 6265 §4.1.1 cookie-name: an RFC 7230 token. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;
export const DEFAULT_SESSION_COOKIE = '__Host-cognito-session';
export const PLAIN_HTTP_SESSION_COOKIE = 'cognito-session';

/**
 * Checks `session` at startup and applies its defaults; undefined when it is off. `authController`: whether
 * this registration serves it (the sign-in and sign-out endpoints that start and end sessions).
 */
export function resolveSession(options: CognitoModuleOptions, authController: boolean): ResolvedSession | undefined {
  const option = options.session;
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new CognitoConfigurationError('session must be an object: { secret, store?, cookie?, idleSeconds?, ... }');
  }
  assertKnownKeys('session', option, SESSION_KEYS);
  if (!authController) {
    throw new CognitoConfigurationError(
      'session needs authController: its sign-in, sign-out and session endpoints start and end the sessions',
    );
  }
  const idleSeconds = seconds('session.idleSeconds', option.idleSeconds, DEFAULT_IDLE_SECONDS);
  const absoluteSeconds = seconds('session.absoluteSeconds', option.absoluteSeconds, DEFAULT_ABSOLUTE_SECONDS);
  if (idleSeconds > absoluteSeconds) {
    throw new CognitoConfigurationError(
      `session.idleSeconds (${idleSeconds}) must not exceed session.absoluteSeconds (${absoluteSeconds})`,
    );
  }
  const { cookieName, secure } = sessionCookie(options);
  return {
    secrets: secretList(option.secret),
    store: option.store === undefined ? undefined : redisAdapterOf(option.store, 'session'),
    cookieName,
    secure,
    idleMs: idleSeconds * 1000,
    absoluteMs: absoluteSeconds * 1000,
    maxSessions: wholeNumber('session.maxSessions', option.maxSessions, DEFAULT_MAX_SESSIONS, 1, MAX_MAX_SESSIONS),
  };
}

function secretList(value: unknown): string[] {
  const secrets: unknown[] = Array.isArray(value) ? value : [value];
  const hint = `at least ${MIN_SECRET_LENGTH} characters, or a list of them (the first seals, every one opens)`;
  if (secrets.length === 0 || secrets.length > MAX_SECRETS) {
    throw new CognitoConfigurationError(`session.secret must be a secret or a list of 1 to ${MAX_SECRETS} (${hint})`);
  }
  for (const secret of secrets) {
    // Never print the value: it is a secret, even a short one.
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
      throw new CognitoConfigurationError(`session.secret must be ${hint}`);
    }
  }
  return secrets as string[];
}

/**
 * The cookie's name and whether it is `Secure`: secure unless `managedLogin.redirectUri` is plain http to
 * this machine (the browser would drop a `Secure` cookie there) or `cookie.secure` is false.
 */
function sessionCookie(options: CognitoModuleOptions): { cookieName: string; secure: boolean } {
  const cookie = options.session?.cookie ?? {};
  if (typeof cookie !== 'object' || cookie === null || Array.isArray(cookie)) {
    throw new CognitoConfigurationError('session.cookie must be an object: { name?, secure? }');
  }
  assertKnownKeys('session.cookie', cookie, SESSION_COOKIE_KEYS);
  const redirectUri = options.managedLogin?.redirectUri;
  const plainHttp = typeof redirectUri === 'string' && redirectUri.startsWith('http:') && isLoopbackUrl(redirectUri);
  if (cookie.secure !== undefined && typeof cookie.secure !== 'boolean') {
    throw new CognitoConfigurationError(
      `session.cookie.secure must be true or false, got ${JSON.stringify(cookie.secure)}`,
    );
  }
  if (cookie.secure === false && typeof redirectUri === 'string' && !plainHttp) {
    throw new CognitoConfigurationError(
      'session.cookie.secure must not be false with an https managedLogin.redirectUri: the session cookie ' +
        'would then travel over plain http too',
    );
  }
  const secure = cookie.secure ?? !plainHttp;
  const cookieName = cookie.name ?? (secure ? DEFAULT_SESSION_COOKIE : PLAIN_HTTP_SESSION_COOKIE);
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    throw new CognitoConfigurationError(
      `session.cookie.name must be a cookie name (an RFC 6265 token), got ${JSON.stringify(cookieName)}`,
    );
  }
  // Browsers that compare the prefix case-sensitively treat `__host-` as no prefix: a sibling subdomain
  // could then set or shadow the cookie while its name looks protected.
  if (/^__(host|secure)-/i.test(cookieName) && !/^__(Host|Secure)-/.test(cookieName)) {
    throw new CognitoConfigurationError(
      `session.cookie.name ${JSON.stringify(cookieName)} spells its prefix in another case: write __Host- or __Secure-`,
    );
  }
  if (/^__(host|secure)-/i.test(cookieName) && !secure) {
    throw new CognitoConfigurationError(
      `session.cookie.name ${JSON.stringify(cookieName)} needs Secure, which a plain-http app cannot set: ` +
        `use another name, e.g. "${PLAIN_HTTP_SESSION_COOKIE}"`,
    );
  }
  return { cookieName, secure };
}

function seconds(name: string, value: unknown, fallback: number): number {
  return wholeNumber(name, value, fallback, MIN_SECONDS, MAX_SECONDS);
}

function wholeNumber(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const got = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
    throw new CognitoConfigurationError(`${name} must be a whole number from ${min} to ${max}, got ${got}`);
  }
  return value;
}
