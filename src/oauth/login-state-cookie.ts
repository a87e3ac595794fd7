import { createHash, randomBytes } from 'node:crypto';
import { stringifySetCookie } from 'cookie';
import { cookieNamesWithPrefix, countCookies, readCookie } from '../internal/cookie-header';
import { sealJson, unsealJson } from '../internal/sealed-box';
import type { LoginStateCookieSettings } from './login-state-cookie.settings';
import { isSameOriginPath } from './return-to';

/**
 * One managed-login attempt, kept in the browser between `GET <path>/login` and the callback:
 * its secrets sealed (AES-256-GCM) in a short-lived `HttpOnly`, `SameSite=Lax` cookie (a `Strict`
 * one is not sent on the identity provider's redirect back) named after its `state`, so that two
 * tabs log in at once, any instance finishes the login, and the server keeps nothing for a
 * visitor who has not signed in (that state could otherwise evict real sessions).
 */

/** What `GET <path>/login` asks for. */
export interface LoginAttempt {
  /** A same-origin path, checked by `checkReturnTo`. */
  returnTo: string;
  /** The identity provider to go straight to (`identity_provider`), checked against the configured ones. */
  provider?: string;
}

export interface CreatedLoginState {
  state: string;
  nonce: string;
  /** PKCE: the S256 challenge of the verifier sealed in the cookie. */
  codeChallenge: string;
  codeChallengeMethod: 'S256';
  /** The login cookie, then the clearing of every older one beyond the cap or unreadable. */
  setCookies: string[];
}

/**
 * Why a callback's state was refused: `missing` (no cookie for it in this browser: a forged or
 * foreign callback, or one that outlived its cookie), `wrong` (no well-formed state, or a cookie
 * sealed for another state), `replayed` (this browser already finished that login), `expired`,
 * `tampered` (a cookie no configured secret opens), `duplicate` (two cookies of that name).
 */
export type LoginStateRefusal = 'missing' | 'wrong' | 'replayed' | 'expired' | 'tampered' | 'duplicate';

export type ConsumedLoginState =
  | { ok: true; codeVerifier: string; nonce: string; returnTo: string; provider?: string; setCookie: string }
  | { ok: false; reason: LoginStateRefusal; setCookie?: string };

/** What the cookie holds: a pending login, or the mark a finished one leaves until it would have expired. */
type Sealed =
  | { s: string; iat: number; exp: number; cv: string; n: string; r: string; p?: string }
  | { s: string; iat: number; exp: number; used: true };

/** The additional data every login cookie is sealed with: it opens as nothing else. */
const CONTEXT = 'nestjs-cognito-sync/login-state/v1';
/** 256 random bits, base64url: a state, a nonce, a PKCE verifier (43 characters, RFC 7636's minimum). */
const RANDOM = /^[\w-]{43}$/;
/** More login cookies than a Cookie header can reasonably carry are not read at all. */
const MAX_READ = 64;

/** A new login attempt: its state, nonce, PKCE challenge, and the cookies to set. */
export function createLoginState(
  settings: LoginStateCookieSettings,
  attempt: LoginAttempt,
  cookieHeader: string | string[] | undefined,
  now = Date.now(),
): CreatedLoginState {
  // Checked by the caller; again here, since whatever is sealed is later a Location.
  if (!isSameOriginPath(attempt.returnTo)) throw new TypeError('returnTo must be a same-origin path');
  const [state, nonce, codeVerifier] = [random(), random(), random()];
  const iat = Math.floor(now / 1000);
  const payload: Sealed = {
    s: state,
    iat,
    exp: iat + settings.maxAgeSeconds,
    cv: codeVerifier,
    n: nonce,
    r: attempt.returnTo,
    ...(attempt.provider === undefined ? {} : { p: attempt.provider }),
  };
  return {
    state,
    nonce,
    codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    codeChallengeMethod: 'S256',
    setCookies: [
      setCookie(
        settings,
        cookieName(settings, state),
        sealJson(settings.keys[0], CONTEXT, payload),
        settings.maxAgeSeconds,
      ),
      ...staleCookies(settings, cookieHeader, now).map((name) => clearCookie(settings, name)),
    ],
  };
}

/**
 * The login that `state` (the callback's parameter) finishes, from the request's cookies, with the
 * `Set-Cookie` that replaces its cookie by a used mark (a second callback reads `replayed`); or why
 * it is refused, with the `Set-Cookie` that clears a cookie that cannot serve.
 */
export function consumeLoginState(
  settings: LoginStateCookieSettings,
  state: unknown,
  cookieHeader: string | string[] | undefined,
  now = Date.now(),
): ConsumedLoginState {
  if (typeof state !== 'string' || !RANDOM.test(state)) return { ok: false, reason: 'wrong' };
  const name = cookieName(settings, state);
  const count = countCookies(cookieHeader, name);
  if (count === 0) return { ok: false, reason: 'missing' };
  const clear = clearCookie(settings, name);
  // Which of two the browser sent first says nothing about which one is genuine.
  if (count > 1) return { ok: false, reason: 'duplicate', setCookie: clear };
  const value = readCookie(cookieHeader, name);
  const sealed = value === undefined ? undefined : open(settings, value);
  if (sealed === undefined) return { ok: false, reason: 'tampered', setCookie: clear };
  // The state is bound inside the sealed value: a cookie copied under another state's name is refused.
  if (sealed.s !== state) return { ok: false, reason: 'wrong', setCookie: clear };
  const left = sealed.exp - Math.floor(now / 1000);
  if (left <= 0) return { ok: false, reason: 'expired', setCookie: clear };
  if ('used' in sealed) return { ok: false, reason: 'replayed' };
  const used: Sealed = { s: state, iat: sealed.iat, exp: sealed.exp, used: true };
  return {
    ok: true,
    codeVerifier: sealed.cv,
    nonce: sealed.n,
    returnTo: sealed.r,
    ...(sealed.p === undefined ? {} : { provider: sealed.p }),
    setCookie: setCookie(settings, name, sealJson(settings.keys[0], CONTEXT, used), left),
  };
}

/** The cookie of one state: the prefix and the first 96 bits of the state's SHA-256. */
export function cookieName(settings: LoginStateCookieSettings, state: string): string {
  return settings.namePrefix + createHash('sha256').update(state).digest('base64url').slice(0, 16);
}

/**
 * The login cookies a new login clears: the unreadable and expired ones, then the oldest while
 * the new one would make more than `maxCookies`.
 */
function staleCookies(
  settings: LoginStateCookieSettings,
  header: string | string[] | undefined,
  now: number,
): string[] {
  const names = cookieNamesWithPrefix(header, settings.namePrefix, MAX_READ);
  const stale: string[] = [];
  const live: { name: string; iat: number }[] = [];
  for (const name of names) {
    const value = countCookies(header, name) === 1 ? readCookie(header, name) : undefined;
    const sealed = value === undefined ? undefined : open(settings, value);
    if (sealed === undefined || sealed.exp * 1000 <= now) stale.push(name);
    else live.push({ name, iat: sealed.iat });
  }
  live.sort((a, b) => a.iat - b.iat);
  const excess = Math.max(0, live.length - (settings.maxCookies - 1));
  return [...stale, ...live.slice(0, excess).map(({ name }) => name)];
}

/** The cookie's content if a configured key opens it and it has the expected shape. */
function open(settings: LoginStateCookieSettings, value: string): Sealed | undefined {
  for (const key of settings.keys) {
    const opened = unsealJson(key, CONTEXT, value);
    if (opened !== undefined) return isSealed(opened) ? opened : undefined;
  }
  return undefined;
}

function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.s !== 'string' || !Number.isInteger(v.iat) || !Number.isInteger(v.exp)) return false;
  if (v.used === true) return true;
  return (
    typeof v.cv === 'string' &&
    typeof v.n === 'string' &&
    typeof v.r === 'string' &&
    isSameOriginPath(v.r) &&
    (v.p === undefined || typeof v.p === 'string')
  );
}

function random(): string {
  return randomBytes(32).toString('base64url');
}

function setCookie(settings: LoginStateCookieSettings, name: string, value: string, maxAge: number): string {
  return stringifySetCookie({
    name,
    value,
    path: '/',
    maxAge,
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'lax',
  });
}

function clearCookie(settings: LoginStateCookieSettings, name: string): string {
  return stringifySetCookie({
    name,
    value: '',
    path: '/',
    maxAge: 0,
    expires: new Date(0),
    httpOnly: true,
    secure: settings.secure,
    sameSite: 'lax',
  });
}
