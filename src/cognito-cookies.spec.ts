import { assertSameSiteRequest, CognitoCsrfError, readCookie, resolveRefreshCookie, serializeRefreshCookie } from './cognito-cookies';

describe('refresh cookie helpers', () => {
  it('defaults to HttpOnly, Secure, SameSite=Strict on the route path, for 30 days', () => {
    const cookie = resolveRefreshCookie({}, 'auth/refresh');
    expect(serializeRefreshCookie(cookie, 'x.y.z')).toBe(
      'cognito_refresh_token=x.y.z; Path=/auth/refresh; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict',
    );
  });

  it('honours name, path, domain, SameSite and Secure, and clears with Max-Age=0', () => {
    const cookie = resolveRefreshCookie({ name: 'rt', path: '/', domain: 'example.com', sameSite: 'lax', secure: false }, 'x');
    expect(serializeRefreshCookie(cookie, undefined)).toBe(
      'rt=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax',
    );
  });

  it('requires the CSRF header, and an allowed Origin when a list is set', () => {
    expect(() => assertSameSiteRequest({}, 'X-Requested-With')).toThrow(CognitoCsrfError);
    expect(() => assertSameSiteRequest({ 'x-requested-with': '1' }, 'X-Requested-With')).not.toThrow();
    expect(() => assertSameSiteRequest({ 'x-requested-with': '1', origin: 'https://b' }, 'x-requested-with', ['https://a'])).toThrow(
      CognitoCsrfError,
    );
    expect(() => assertSameSiteRequest({ 'x-requested-with': '1', origin: 'https://a' }, 'x-requested-with', ['https://a'])).not.toThrow();
  });
});

describe('readCookie', () => {
  it.each<[string | string[] | undefined, string | undefined]>([
    ['a=1; token=abc.def.ghi; b=2', 'abc.def.ghi'],
    ['token=abc', 'abc'],
    ['token="abc"', 'abc'],
    ['token=a%2Eb', 'a.b'],
    [['a=1', 'token=x.y'], 'x.y'],
    ['xtoken=abc; tokenx=def', undefined],
    ['token=', undefined],
    ['token=%E0%A4%A', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(readCookie(header, 'token')).toBe(expected);
  });
});
