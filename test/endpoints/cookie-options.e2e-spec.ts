// Cookie mode's options are checked at startup: a cookie the browser would drop,
// or a CSRF check that checks nothing, fails the boot with a message naming the option.
import { CognitoModule, type CognitoModuleExtras } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { type CognitoTarget, localTarget } from '../support/target';

const cases: Array<[string, CognitoModuleExtras['refreshController'], string]> = [
  [
    'a cookie name that is not an RFC 6265 token',
    { cookie: { name: 'refresh token' } },
    'refreshController.cookie.name must be a cookie name',
  ],
  [
    'a cookie name with a separator',
    { cookie: { name: 'rt;x' } },
    'refreshController.cookie.name must be a cookie name',
  ],
  [
    'SameSite=None without Secure',
    { cookie: { sameSite: 'none', secure: false } },
    'refreshController.cookie.sameSite "none" needs Secure',
  ],
  ['an unknown SameSite', { cookie: { sameSite: 'relaxed' as never } }, 'refreshController.cookie.sameSite must be'],
  [
    'a zero maxAgeSeconds',
    { cookie: { maxAgeSeconds: 0 } },
    'refreshController.cookie.maxAgeSeconds must be a positive whole number',
  ],
  [
    'a negative maxAgeSeconds',
    { cookie: { maxAgeSeconds: -60 } },
    'refreshController.cookie.maxAgeSeconds must be a positive whole number',
  ],
  [
    'a fractional maxAgeSeconds',
    { cookie: { maxAgeSeconds: 1.5 } },
    'refreshController.cookie.maxAgeSeconds must be a positive whole number',
  ],
  [
    'a path without a leading slash',
    { cookie: { path: 'auth/refresh' } },
    'refreshController.cookie.path must be a path starting with "/"',
  ],
  [
    'a path with ";"',
    { cookie: { path: '/auth;Domain=evil.example' } },
    'refreshController.cookie.path must be a path starting with "/"',
  ],
  [
    'a domain that is not a host name',
    { cookie: { domain: 'https://example.com' } },
    'refreshController.cookie.domain must be a host name',
  ],
  [
    'a __Host- cookie with a domain',
    { cookie: { name: '__Host-rt', domain: 'example.com' } },
    'refreshController.cookie.domain must not be set for a __Host- cookie',
  ],
  [
    'a __Host- cookie that is not Secure',
    { cookie: { name: '__Host-rt', secure: false } },
    'refreshController.cookie.secure cannot be false for a cookie named __Host-rt',
  ],
  [
    'a __Host- cookie on another path',
    { cookie: { name: '__Host-rt', path: '/auth' } },
    'refreshController.cookie.path must be "/" for a __Host- cookie',
  ],
  [
    'a __Secure- cookie that is not Secure',
    { cookie: { name: '__Secure-rt', secure: false } },
    'refreshController.cookie.secure cannot be false for a cookie named __Secure-rt',
  ],
  ['a misspelt cookie option', { cookie: { maxAge: 60 } as never }, 'refreshController.cookie.maxAge is not an option'],
  [
    'a CORS-safelisted csrfHeader',
    { cookie: {}, csrfHeader: 'Content-Type' },
    'refreshController.csrfHeader "Content-Type" proves nothing',
  ],
  [
    'a csrfHeader browsers send by themselves',
    { cookie: {}, csrfHeader: 'origin' },
    'refreshController.csrfHeader "origin" proves nothing',
  ],
  [
    'a Sec- csrfHeader',
    { cookie: {}, csrfHeader: 'sec-fetch-site' },
    'refreshController.csrfHeader "sec-fetch-site" proves nothing',
  ],
  [
    'a csrfHeader that is not a header name',
    { cookie: {}, csrfHeader: 'x requested' },
    'refreshController.csrfHeader must be a header name',
  ],
  [
    'an allowed origin with a path',
    { cookie: {}, allowedOrigins: ['https://app.example.com/'] },
    'refreshController.allowedOrigins has "https://app.example.com/"',
  ],
  [
    'an allowed origin without a scheme',
    { cookie: {}, allowedOrigins: ['app.example.com'] },
    'refreshController.allowedOrigins has "app.example.com"',
  ],
  [
    'an allowed origin in upper case',
    { cookie: {}, allowedOrigins: ['https://App.example.com'] },
    'refreshController.allowedOrigins has "https://App.example.com"',
  ],
  [
    'an empty allowedOrigins',
    { cookie: {}, allowedOrigins: [] },
    'refreshController.allowedOrigins must be a non-empty array',
  ],
];

describe.each(ADAPTERS)('refresh cookie options checked at startup, on %s', (adapter) => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  it.each(cases)('fails the boot for %s', async (_case, refreshController, message) => {
    const boot = async () =>
      createApp(adapter, { imports: [CognitoModule.forRoot({ ...target.options, refreshController })] });
    await expect(boot()).rejects.toThrow(`CognitoModule: ${message}`);
  });

  it('boots with every option valid, a __Host- cookie among them', async () => {
    const app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...target.options,
          refreshController: {
            cookie: { name: '__Host-rt', sameSite: 'none', maxAgeSeconds: 3600 },
            csrfHeader: 'X-CSRF-Token',
            allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
          },
        }),
      ],
    });
    await app.close();
  });
});
