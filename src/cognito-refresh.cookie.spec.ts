import { assertSameSiteRequest, CognitoCsrfError, readCookie, resolveRefreshCookie, serializeRefreshCookie } from './cognito-refresh.cookie';

describe('refresh cookie helpers', () => {
  it('reads one cookie from a Cookie header', () => {
    expect(readCookie('a=1; rt=x.y.z; b=2', 'rt')).toBe('x.y.z');
    expect(readCookie('art=1; rt="q%2Bw"', 'rt')).toBe('q+w');
    expect(readCookie('a=1', 'rt')).toBeUndefined();
    expect(readCookie(undefined, 'rt')).toBeUndefined();
  });

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
