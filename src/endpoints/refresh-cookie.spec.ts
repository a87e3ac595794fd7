import { CognitoConfigurationError, CognitoCsrfError, CognitoInputError } from '../errors/cognito.errors';
import {
  assertSameSiteRequest,
  checkCookieUsername,
  readRefreshCookie,
  resolveRefreshCookie,
  serializeRefreshCookie,
} from './refresh-cookie';

describe('refresh cookie helpers', () => {
  it('defaults to HttpOnly, Secure, SameSite=Strict on the route path, for 30 days', () => {
    const cookie = resolveRefreshCookie({}, 'auth/refresh');
    expect(serializeRefreshCookie(cookie, 'x.y.z')).toBe(
      'cognito_refresh_token=x.y.z; Max-Age=2592000; Path=/auth/refresh; HttpOnly; Secure; SameSite=Strict',
    );
  });

  it('honours name, path, domain, SameSite and Secure, and clears with Max-Age=0', () => {
    const cookie = resolveRefreshCookie(
      { name: 'rt', path: '/', domain: 'example.com', sameSite: 'lax', secure: false },
      'x',
    );
    expect(serializeRefreshCookie(cookie, undefined)).toBe(
      'rt=; Max-Age=0; Domain=example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });

  it('puts a __Host- cookie on Path=/ whatever the route', () => {
    expect(resolveRefreshCookie({ name: '__Host-rt' }, 'auth/refresh').path).toBe('/');
  });

  it('checks the settings, naming the option', () => {
    expect(() => resolveRefreshCookie({ name: 'a b' })).toThrow(CognitoConfigurationError);
    expect(() => resolveRefreshCookie({ name: '__Host-rt', domain: 'example.com' })).toThrow(
      'refreshController.cookie.domain',
    );
  });

  it('stores the username beside the token, base64url, and reads both back', () => {
    const cookie = resolveRefreshCookie({ name: 'rt' }, 'auth/refresh');
    const setCookie = serializeRefreshCookie(cookie, 'x.y.z', { username: 'ann@example.com' });
    expect(setCookie).toMatch(/^rt=x\.y\.z~YW5uQGV4YW1wbGUuY29t; /);
    expect(readRefreshCookie(setCookie.split(';')[0], 'rt')).toEqual({ token: 'x.y.z', username: 'ann@example.com' });
  });

  it(
    'with keys, signs the username (bound to the token) with the first key; every key verifies, any edit is ' +
      'refused',
    () => {
      const [newKey, oldKey] = ['n'.repeat(32), 'o'.repeat(32)];
      const pair = (keys: string[], token = 'x.y.z', username = 'ann') =>
        serializeRefreshCookie(resolveRefreshCookie({ name: 'rt', keys }, 'auth/refresh'), token, { username }).split(
          ';',
        )[0];
      const signed = readRefreshCookie(pair([newKey]), 'rt')!;
      expect(signed).toEqual({ token: 'x.y.z', username: 'ann', mac: expect.stringMatching(/^[\w-]{43}$/) });
      expect(checkCookieUsername([newKey, oldKey], signed)).toBe('signed');
      expect(checkCookieUsername([newKey, oldKey], readRefreshCookie(pair([oldKey]), 'rt')!)).toBe('stale');
      expect(checkCookieUsername([newKey], { token: 'x.y.z', username: 'ann' })).toBe('unsigned');
      for (const edited of [
        { ...signed, username: 'bob' },
        { ...signed, token: 'x.y.other' },
      ]) {
        expect(() => checkCookieUsername([newKey, oldKey], edited)).toThrow(
          expect.objectContaining({ code: 'InvalidRefreshCookie', statusCode: 400 }),
        );
      }
      expect(() => checkCookieUsername([oldKey], signed)).toThrow(
        expect.objectContaining({ code: 'InvalidRefreshCookie' }),
      );
      // acceptUnsigned off: a username without a MAC (one stripped, say) is refused too; none at all stays unsigned.
      expect(() => checkCookieUsername([newKey], { token: 'x.y.z', username: 'ann' }, false)).toThrow(
        expect.objectContaining({ code: 'InvalidRefreshCookie', statusCode: 400 }),
      );
      expect(checkCookieUsername([newKey], { token: 'x.y.z' }, false)).toBe('unsigned');
    },
  );

  it('accepts unsigned cookie usernames by default only without keys; acceptUnsigned says otherwise', () => {
    expect(resolveRefreshCookie({}).acceptUnsigned).toBe(true);
    expect(resolveRefreshCookie({ keys: ['k'.repeat(32)] }).acceptUnsigned).toBe(false);
    expect(resolveRefreshCookie({ keys: ['k'.repeat(32)], acceptUnsigned: true }).acceptUnsigned).toBe(true);
    expect(resolveRefreshCookie({ acceptUnsigned: false }).acceptUnsigned).toBe(false);
    expect(() => resolveRefreshCookie({ acceptUnsigned: 'no' as never })).toThrow(
      'refreshController.cookie.acceptUnsigned must be a boolean',
    );
  });

  it('refuses to write a token that is not one, or an empty username', () => {
    const cookie = resolveRefreshCookie({}, 'auth/refresh');
    expect(() => serializeRefreshCookie(cookie, 'a;b')).toThrow(CognitoInputError);
    expect(() => serializeRefreshCookie(cookie, 'x.y.z', { username: '' })).toThrow(CognitoInputError);
  });

  it('requires the CSRF header, and an allowed Origin when a list is set', () => {
    expect(() => assertSameSiteRequest({}, 'X-Requested-With')).toThrow(CognitoCsrfError);
    expect(() => assertSameSiteRequest({ 'x-requested-with': '1' }, 'X-Requested-With')).not.toThrow();
    expect(() =>
      assertSameSiteRequest({ 'x-requested-with': '1', origin: 'https://b' }, 'x-requested-with', ['https://a']),
    ).toThrow(CognitoCsrfError);
    expect(() =>
      assertSameSiteRequest({ 'x-requested-with': '1', origin: 'https://a' }, 'x-requested-with', ['https://a']),
    ).not.toThrow();
  });
});

describe('readRefreshCookie', () => {
  it.each<[string | string[] | undefined, unknown]>([
    ['a=1; rt=abc.def', { token: 'abc.def' }],
    ['rt=abc.def~dXNlcg', { token: 'abc.def', username: 'user' }],
    ['rt=', undefined],
    ['other=1', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(readRefreshCookie(header, 'rt')).toEqual(expected);
  });

  it.each<[string | string[]]>([
    ['rt=a; rt=b'],
    ['rt=a;rt=b'],
    [' rt =a; x=1; rt\t=b'],
    [['rt=a', 'rt=b']],
    ['rt=; rt=b'],
  ])('refuses %j: the cookie twice', (header) => {
    expect(() => readRefreshCookie(header, 'rt')).toThrow(
      expect.objectContaining({ code: 'DuplicateCookie', statusCode: 400 }),
    );
  });

  it('refuses a username part that is not base64url, a MAC that is not one, and extra parts', () => {
    for (const value of ['abc~not%20base64', 'abc~dXNlcg~short', `abc~dXNlcg~${'m'.repeat(43)}~more`]) {
      expect(() => readRefreshCookie(`rt=${value}`, 'rt')).toThrow(
        expect.objectContaining({ code: 'InvalidRefreshToken' }),
      );
    }
  });
});
