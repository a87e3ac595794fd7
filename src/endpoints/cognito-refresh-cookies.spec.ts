import { RequestMethod, VERSION_NEUTRAL, VersioningType } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { resolveRefreshCookie } from './refresh-cookie';
import { CognitoRefreshCookies, routeCookiePath } from './cognito-refresh-cookies';

describe('routeCookiePath', () => {
  const config = (setUp: (config: ApplicationConfig) => void = () => undefined) => {
    const applicationConfig = new ApplicationConfig();
    setUp(applicationConfig);
    return applicationConfig;
  };

  it.each<[string, string, (config: ApplicationConfig) => void]>([
    ['auth/refresh', '/auth/refresh', () => undefined],
    ['/auth/refresh/', '/auth/refresh', () => undefined],
    ['auth/refresh', '/api/auth/refresh', (c) => c.setGlobalPrefix('api')],
    ['auth/refresh', '/api/auth/refresh', (c) => c.setGlobalPrefix('/api/')],
    ['auth/refresh', '/v2/auth/refresh', (c) => c.enableVersioning({ type: VersioningType.URI, defaultVersion: '2' })],
    [
      'auth/refresh',
      '/api/version-2/auth/refresh',
      (c) => {
        c.setGlobalPrefix('api');
        c.enableVersioning({ type: VersioningType.URI, defaultVersion: '2', prefix: 'version-' });
      },
    ],
    [
      'auth/refresh',
      '/auth/refresh',
      (c) => c.enableVersioning({ type: VersioningType.URI, defaultVersion: VERSION_NEUTRAL }),
    ],
    [
      'auth/refresh',
      '/auth/refresh',
      (c) => c.enableVersioning({ type: VersioningType.HEADER, header: 'x-version', defaultVersion: '1' }),
    ],
    [
      'auth/refresh',
      '/auth/refresh',
      (c) => {
        c.setGlobalPrefix('api');
        c.setGlobalPrefixOptions({
          exclude: [{ path: 'auth/refresh', requestMethod: RequestMethod.POST, pathRegex: /^\/auth\/refresh\/?$/ }],
        });
      },
    ],
    [
      'auth/refresh',
      '/api/auth/refresh',
      (c) => {
        c.setGlobalPrefix('api');
        c.setGlobalPrefixOptions({
          exclude: [{ path: 'auth/refresh', requestMethod: RequestMethod.GET, pathRegex: /^\/auth\/refresh\/?$/ }],
        });
      },
    ],
  ])('serves %s at %s', (controllerPath, expected, setUp) => {
    expect(routeCookiePath(controllerPath, config(setUp))).toBe(expected);
  });

  it('needs an explicit cookie.path for a route with parameters or several versions', () => {
    expect(() => routeCookiePath(':tenant/refresh', config())).toThrow('refreshController.cookie.path is required');
    const versions = config((c) => c.enableVersioning({ type: VersioningType.URI, defaultVersion: ['1', '2'] }));
    expect(() => routeCookiePath('auth/refresh', versions)).toThrow('refreshController.cookie.path is required');
  });
});

describe('CognitoRefreshCookies', () => {
  it('fixes the path at init, after the global prefix is set, and keeps it', () => {
    const applicationConfig = new ApplicationConfig();
    const cookies = new CognitoRefreshCookies(resolveRefreshCookie({ name: 'rt' }), 'auth/refresh', applicationConfig);
    applicationConfig.setGlobalPrefix('api');
    cookies.onModuleInit();
    applicationConfig.setGlobalPrefix('other');
    expect(cookies.settings.path).toBe('/api/auth/refresh');
    expect(cookies.serialize('a.b.c', { username: 'u' })).toBe(
      'rt=a.b.c~dQ; Max-Age=2592000; Path=/api/auth/refresh; HttpOnly; Secure; SameSite=Strict',
    );
  });
});
