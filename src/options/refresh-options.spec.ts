import { CognitoConfigurationError } from '../errors/cognito.errors';
import {
  assertSessionWithoutRefreshCookie,
  validateRefreshControllerOptions,
  validateRefreshCookieOptions,
} from './refresh-options';

describe('validateRefreshControllerOptions', () => {
  it('accepts no options, and every option valid', () => {
    expect(() => validateRefreshControllerOptions({})).not.toThrow();
    const options = {
      path: 'session/renew',
      cookie: {
        name: '__Secure-rt',
        path: '/session',
        domain: 'example.com',
        sameSite: 'none',
        secure: true,
        maxAgeSeconds: 60,
      },
      csrfHeader: 'X-CSRF-Token',
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000', 'https://[::1]:8443'],
    };
    expect(() => validateRefreshControllerOptions(options)).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'yes', 'refreshController must be an object'],
    ['an unknown option', { cookies: {} }, 'refreshController.cookies is not an option'],
    ['a path that is not a string', { path: 42 }, 'refreshController.path must be a route path'],
    ['a cookie that is not an object', { cookie: 'rt' }, 'refreshController.cookie must be an object'],
    ['a csrfHeader with a space', { csrfHeader: 'x requested' }, 'refreshController.csrfHeader must be a header name'],
    ...[
      'Accept',
      'accept-language',
      'Content-Language',
      'range',
      'cookie',
      'Origin',
      'referer',
      'host',
      'user-agent',
      'authorization',
    ].map((header): [string, unknown, string] => [
      `csrfHeader ${header}`,
      { csrfHeader: header },
      `refreshController.csrfHeader "${header}" proves nothing`,
    ]),
    ...['Sec-Fetch-Site', 'proxy-authorization', 'x-forwarded-for', 'forwarded'].map(
      (header): [string, unknown, string] => [
        `csrfHeader ${header}`,
        { csrfHeader: header },
        `refreshController.csrfHeader "${header}" proves nothing`,
      ],
    ),
    [
      'allowedOrigins not an array',
      { allowedOrigins: 'https://a.example' },
      'refreshController.allowedOrigins must be a non-empty array',
    ],
    [
      'an origin with a trailing slash',
      { allowedOrigins: ['https://a.example/'] },
      'refreshController.allowedOrigins has "https://a.example/"',
    ],
    [
      'an origin with a path',
      { allowedOrigins: ['https://a.example/app'] },
      'refreshController.allowedOrigins has "https://a.example/app"',
    ],
    [
      'an origin with the default port',
      { allowedOrigins: ['https://a.example:443'] },
      'refreshController.allowedOrigins has "https://a.example:443"',
    ],
    ['"null" as an origin', { allowedOrigins: ['null'] }, 'refreshController.allowedOrigins has "null"'],
    [
      'a non-http origin',
      { allowedOrigins: ['chrome-extension://abc'] },
      'refreshController.allowedOrigins has "chrome-extension://abc"',
    ],
  ])('refuses %s', (_case, options, message) => {
    expect(() => validateRefreshControllerOptions(options)).toThrow(new CognitoConfigurationError(message).message);
  });
});

describe('validateRefreshCookieOptions', () => {
  it.each<[string, unknown, string]>([
    ['a name with "="', { name: 'a=b' }, 'refreshController.cookie.name must be a cookie name'],
    ['a name with a non-ASCII letter', { name: 'jeton_é' }, 'refreshController.cookie.name must be a cookie name'],
    ['an empty name', { name: '' }, 'refreshController.cookie.name must be a cookie name'],
    ['a non-boolean secure', { secure: 'yes' }, 'refreshController.cookie.secure must be a boolean'],
    [
      'SameSite=None, not Secure',
      { sameSite: 'none', secure: false },
      'refreshController.cookie.sameSite "none" needs Secure',
    ],
    [
      'maxAgeSeconds as a string',
      { maxAgeSeconds: '60' },
      'refreshController.cookie.maxAgeSeconds must be a positive whole number',
    ],
    [
      'maxAgeSeconds Infinity',
      { maxAgeSeconds: Infinity },
      'refreshController.cookie.maxAgeSeconds must be a positive whole number',
    ],
    [
      'a path with a space',
      { path: '/auth refresh' },
      'refreshController.cookie.path must be a path starting with "/"',
    ],
    ['a domain with a port', { domain: 'example.com:443' }, 'refreshController.cookie.domain must be a host name'],
    ['keys as one string', { keys: 'k'.repeat(40) }, 'refreshController.cookie.keys must be a list of 1 to 10 keys'],
    ['no keys', { keys: [] }, 'refreshController.cookie.keys must be a list of 1 to 10 keys'],
    [
      'a short key',
      { keys: ['k'.repeat(40), 'short'] },
      'refreshController.cookie.keys[1] must be a string of at least 32 characters',
    ],
    [
      'a lower-case __host- name with a domain',
      { name: '__host-rt', domain: 'example.com' },
      'refreshController.cookie.domain must not be set for a __Host- cookie',
    ],
  ])('refuses %s', (_case, options, message) => {
    expect(() => validateRefreshCookieOptions(options)).toThrow(message);
  });

  it('accepts a leading-dot domain and a __Host- cookie on "/"', () => {
    expect(() => validateRefreshCookieOptions({ domain: '.example.com' })).not.toThrow();
    expect(() => validateRefreshCookieOptions({ name: '__Host-rt', path: '/' })).not.toThrow();
  });
});

describe('assertSessionWithoutRefreshCookie', () => {
  it('refuses session with authController.cookie, naming both; either alone passes', () => {
    const session = { secret: 'x'.repeat(32) };
    expect(() => assertSessionWithoutRefreshCookie(session, { cookie: {} })).toThrow(CognitoConfigurationError);
    expect(() => assertSessionWithoutRefreshCookie(session, { cookie: true })).toThrow(
      /^CognitoModule: session and authController\.cookie cannot be set together/,
    );
    expect(() => assertSessionWithoutRefreshCookie(session, {})).not.toThrow();
    expect(() => assertSessionWithoutRefreshCookie(undefined, { cookie: {} })).not.toThrow();
  });
});
