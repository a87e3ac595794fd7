import { createHash } from 'node:crypto';
import { parseSetCookie } from 'cookie';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import { deriveKey, sealJson } from '../internal/sealed-box';
import { consumeLoginState, cookieName, createLoginState } from './login-state-cookie';
import { LOGIN_STATE_SALT, resolveLoginStateCookie } from './login-state-cookie.settings';

const SECRET = 'login-state-spec-secret-0123456789abcdef';
const OLD_SECRET = 'login-state-spec-old-secret-0123456789ab';
const REDIRECT_URI = 'https://app.example/auth/callback';
const NOW = Date.UTC(2026, 11, 8, 1, 0, 0);
const settings = resolveLoginStateCookie({ redirectUri: REDIRECT_URI, secrets: [SECRET] });

/** The `Cookie` header a browser sends back for these `Set-Cookie` values (the pairs, in order). */
const cookieHeader = (...setCookies: string[]) => setCookies.map((line) => line.split(';')[0]).join('; ');
const parsed = (line: string) => parseSetCookie(line);

describe('resolveLoginStateCookie', () => {
  it('writes __Host- cookies, Secure, for an https redirectUri; plain ones on a loopback http one', () => {
    expect(settings).toMatchObject({ namePrefix: '__Host-cognito-login.', secure: true, maxAgeSeconds: 600 });
    for (const redirectUri of ['http://localhost:3000/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb']) {
      expect(resolveLoginStateCookie({ redirectUri, secrets: SECRET })).toMatchObject({
        namePrefix: 'cognito-login.',
        secure: false,
      });
    }
  });

  it.each<[Parameters<typeof resolveLoginStateCookie>[0], string]>([
    [{ redirectUri: 'http://app.example/cb', secrets: SECRET }, 'managedLogin.redirectUri must be https'],
    [{ redirectUri: 'http://localhost.evil.example/cb', secrets: SECRET }, 'managedLogin.redirectUri must be https'],
    [{ redirectUri: 'app.example/cb', secrets: SECRET }, 'managedLogin.redirectUri must be an absolute URL'],
    [{ redirectUri: REDIRECT_URI, secrets: [] }, 'session.secret must be'],
    [{ redirectUri: REDIRECT_URI, secrets: 'short' }, 'session.secret must be'],
    [{ redirectUri: REDIRECT_URI, secrets: [SECRET, 'short'] }, 'session.secret must be'],
    [{ redirectUri: REDIRECT_URI, secrets: [SECRET, 42 as never] }, 'session.secret must be'],
    [{ redirectUri: REDIRECT_URI, secrets: SECRET, maxAgeSeconds: 5 }, 'maxAgeSeconds'],
    [{ redirectUri: REDIRECT_URI, secrets: SECRET, maxCookies: 0 }, 'maxCookies'],
  ])('refuses %j at startup, naming the option', (options, message) => {
    expect(() => resolveLoginStateCookie(options)).toThrow(CognitoConfigurationError);
    expect(() => resolveLoginStateCookie(options)).toThrow(message);
  });
});

describe('createLoginState', () => {
  it('answers a fresh state, nonce and S256 challenge, and a short-lived HttpOnly SameSite=Lax cookie', () => {
    const login = createLoginState(settings, { returnTo: '/orders?x=1', provider: 'Google' }, undefined, NOW);
    expect(login.state).toMatch(/^[\w-]{43}$/);
    expect(login.nonce).toMatch(/^[\w-]{43}$/);
    expect(login.codeChallenge).toMatch(/^[\w-]{43}$/);
    expect(login.codeChallengeMethod).toBe('S256');
    expect(login.setCookies).toHaveLength(1);
    const cookie = parsed(login.setCookies[0]);
    expect(cookie).toMatchObject({ path: '/', maxAge: 600, httpOnly: true, secure: true, sameSite: 'lax' });
    expect(cookie.name).toBe(cookieName(settings, login.state));
    expect(cookie.name).toMatch(/^__Host-cognito-login\.[\w-]{16}$/);
    expect(cookie.name).not.toContain(login.state.slice(0, 16));
    // Sealed: nothing of the login reads in the clear.
    for (const part of [login.state, login.nonce, '/orders', 'Google']) expect(cookie.value).not.toContain(part);

    const again = createLoginState(settings, { returnTo: '/orders?x=1' }, undefined, NOW);
    expect(new Set([again.state, again.nonce, login.state, login.nonce]).size).toBe(4);
    expect(parsed(again.setCookies[0]).name).not.toBe(cookie.name);
  });

  it('writes a plain, not Secure, cookie for a loopback http redirectUri', () => {
    const local = resolveLoginStateCookie({ redirectUri: 'http://localhost:3000/cb', secrets: SECRET });
    const cookie = parsed(createLoginState(local, { returnTo: '/' }, undefined, NOW).setCookies[0]);
    expect(cookie.name).toMatch(/^cognito-login\.[\w-]{16}$/);
    expect(cookie.secure).toBeFalsy();
    expect(cookie.sameSite).toBe('lax');
  });

  it('refuses to seal a returnTo that is not a same-origin path', () => {
    for (const returnTo of ['//evil.example', 'https://evil.example', '/\\evil.example', ''])
      expect(() => createLoginState(settings, { returnTo }, undefined, NOW)).toThrow(TypeError);
  });

  it('clears the oldest login cookies beyond the cap, and every unreadable or expired one', () => {
    const capped = resolveLoginStateCookie({ redirectUri: REDIRECT_URI, secrets: SECRET, maxCookies: 3 });
    const earlier = [0, 1, 2, 3].map((minute) =>
      createLoginState(capped, { returnTo: '/' }, undefined, NOW - (4 - minute) * 60_000),
    );
    // Four sent, newest first (the age comes from inside the cookie, not the header's order): with
    // the new one, at most three are left.
    const header = cookieHeader(...earlier.map((login) => login.setCookies[0]).reverse());
    const next = createLoginState(capped, { returnTo: '/' }, header, NOW);
    const cleared = next.setCookies.slice(1).map(parsed);
    expect(cleared.map(({ name }) => name)).toEqual([
      cookieName(capped, earlier[0].state),
      cookieName(capped, earlier[1].state),
    ]);
    for (const cookie of cleared) expect(cookie).toMatchObject({ value: '', maxAge: 0, path: '/', secure: true });

    const forged = `${capped.namePrefix}forged=v1.AAAA; ${capped.namePrefix}other=garbage; unrelated=1`;
    const expired = createLoginState(capped, { returnTo: '/' }, undefined, NOW - 601_000).setCookies[0];
    const cleanup = createLoginState(capped, { returnTo: '/' }, `${forged}; ${cookieHeader(expired)}`, NOW);
    expect(cleanup.setCookies.slice(1).map((line) => parsed(line).name)).toEqual([
      `${capped.namePrefix}forged`,
      `${capped.namePrefix}other`,
      parsed(expired).name,
    ]);
  });
});

describe('consumeLoginState', () => {
  const start = (returnTo = '/orders', provider?: string) =>
    createLoginState(settings, { returnTo, ...(provider === undefined ? {} : { provider }) }, undefined, NOW);

  it('finishes the login on any instance: the verifier of the challenge, the nonce, returnTo, provider', () => {
    const login = start('/orders?x=1#y', 'Google');
    const otherInstance = resolveLoginStateCookie({ redirectUri: REDIRECT_URI, secrets: [SECRET] });
    const result = consumeLoginState(otherInstance, login.state, cookieHeader(login.setCookies[0]), NOW + 60_000);
    if (!result.ok) throw new Error(result.reason);
    expect(createHash('sha256').update(result.codeVerifier).digest('base64url')).toBe(login.codeChallenge);
    expect(result).toMatchObject({ nonce: login.nonce, returnTo: '/orders?x=1#y', provider: 'Google' });
    // The cookie becomes a used mark until the login would have expired.
    expect(parsed(result.setCookie)).toMatchObject({ name: cookieName(settings, login.state), maxAge: 540 });
  });

  it('keeps two logins of one browser apart (two tabs)', () => {
    const [first, second] = [start('/first'), start('/second')];
    const header = cookieHeader(first.setCookies[0], second.setCookies[0]);
    expect(consumeLoginState(settings, second.state, header, NOW)).toMatchObject({ ok: true, returnTo: '/second' });
    expect(consumeLoginState(settings, first.state, header, NOW)).toMatchObject({ ok: true, returnTo: '/first' });
  });

  it('refuses a replayed callback once the login is finished', () => {
    const login = start();
    const done = consumeLoginState(settings, login.state, cookieHeader(login.setCookies[0]), NOW);
    if (!done.ok) throw new Error(done.reason);
    expect(consumeLoginState(settings, login.state, cookieHeader(done.setCookie), NOW + 1000)).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('refuses a state it has no cookie for, and a missing or malformed state', () => {
    const login = start();
    const header = cookieHeader(login.setCookies[0]);
    expect(consumeLoginState(settings, start().state, header, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(consumeLoginState(settings, login.state, undefined, NOW)).toEqual({ ok: false, reason: 'missing' });
    for (const state of [undefined, '', 'short', [login.state], `${login.state}x`, login.state.replace(/.$/, '.')])
      expect(consumeLoginState(settings, state, header, NOW)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a cookie moved under another state, and clears it', () => {
    const [login, other] = [start(), start()];
    const moved = `${cookieName(settings, other.state)}=${parsed(login.setCookies[0]).value}`;
    const result = consumeLoginState(settings, other.state, moved, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'wrong' });
    expect(parsed(result.setCookie!)).toMatchObject({ name: cookieName(settings, other.state), maxAge: 0 });
  });

  it('refuses an expired login, and clears its cookie', () => {
    const login = start();
    const result = consumeLoginState(settings, login.state, cookieHeader(login.setCookies[0]), NOW + 600_000);
    expect(result).toMatchObject({ ok: false, reason: 'expired' });
    expect(parsed(result.setCookie!).maxAge).toBe(0);
  });

  it('refuses a cookie no configured secret opens, or not sealed as a login state', () => {
    const login = start();
    const { name, value = '' } = parsed(login.setCookies[0]);
    const flipped = value.slice(0, -2) + (value.at(-2) === 'A' ? 'B' : 'A') + value.slice(-1);
    const key = deriveKey(SECRET, LOGIN_STATE_SALT, 'sealing key');
    const context = 'nestjs-cognito-sync/login-state/v1';
    for (const forged of [
      flipped,
      'v1.AAAA',
      'garbage',
      sealJson(key, 'another purpose', { s: login.state, iat: 1, exp: 2e9, used: true }),
      sealJson(key, context, { s: login.state, iat: 1, exp: 2e9, cv: 'v', n: 'n', r: '//evil.example' }),
      sealJson(key, context, { s: login.state, iat: 1, exp: 2e9 }),
    ]) {
      const result = consumeLoginState(settings, login.state, `${name}=${forged}`, NOW);
      expect(result).toMatchObject({ ok: false, reason: 'tampered' });
      expect(parsed(result.setCookie!)).toMatchObject({ name, value: '', maxAge: 0 });
    }
    const otherApp = resolveLoginStateCookie({ redirectUri: REDIRECT_URI, secrets: [OLD_SECRET] });
    expect(consumeLoginState(otherApp, login.state, `${name}=${value}`, NOW)).toMatchObject({ reason: 'tampered' });
  });

  it('refuses two cookies of one name, whichever came first', () => {
    const login = start();
    const pair = cookieHeader(login.setCookies[0]);
    for (const header of [`${pair}; ${pair}`, [pair, `${parsed(login.setCookies[0]).name}=x`]]) {
      expect(consumeLoginState(settings, login.state, header, NOW)).toMatchObject({ ok: false, reason: 'duplicate' });
    }
  });

  it('opens cookies sealed under an older secret while the first of the list seals (rotation)', () => {
    const before = resolveLoginStateCookie({ redirectUri: REDIRECT_URI, secrets: [OLD_SECRET] });
    const rotated = resolveLoginStateCookie({ redirectUri: REDIRECT_URI, secrets: [SECRET, OLD_SECRET] });
    const login = createLoginState(before, { returnTo: '/' }, undefined, NOW);
    const header = cookieHeader(login.setCookies[0]);
    expect(consumeLoginState(rotated, login.state, header, NOW)).toMatchObject({ ok: true, nonce: login.nonce });
    expect(consumeLoginState(settings, login.state, header, NOW)).toMatchObject({ ok: false, reason: 'tampered' });
    const fresh = createLoginState(rotated, { returnTo: '/' }, undefined, NOW);
    expect(consumeLoginState(settings, fresh.state, cookieHeader(fresh.setCookies[0]), NOW)).toMatchObject({
      ok: true,
    });
  });
});
