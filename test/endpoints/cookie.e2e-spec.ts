// Browser mode of the refresh endpoint: the refresh token in an HttpOnly cookie,
// behind CSRF checks, on Express and Fastify, against cognito-local.
import {
  ConsoleLogger,
  type INestApplication,
  type ModuleMetadata,
  VERSION_NEUTRAL,
  VersioningType,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  COGNITO_CLIENT,
  CognitoModule,
  type CognitoRefreshControllerOptions,
  CognitoRefreshCookies,
  getCognitoRefreshCookiesToken,
} from '../../src';
import { ADAPTERS, type AdapterName, createApp, http } from '../support/bootstrap';
import { type CognitoTarget, localTarget } from '../support/target';

const COOKIE = 'rt';
const ORIGIN = 'https://app.example.com';

describe.each(ADAPTERS)('refresh from an HttpOnly cookie (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let app: INestApplication;
  let send: jest.SpyInstance;
  beforeAll(async () => {
    target = await localTarget();
    app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...target.options,
          refreshController: { cookie: { name: COOKIE }, allowedOrigins: [ORIGIN] },
        }),
      ],
    });
    send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
  });
  afterAll(() => app.close());
  beforeEach(() => send.mockClear());

  const fromCookie = (token: string) => http(app).post('/auth/refresh').set('cookie', `other=1; ${COOKIE}=${token}`);

  it('refreshes from the cookie alone, with the CSRF header and an allowed Origin', async () => {
    const res = await fromCookie(target.user.refreshToken)
      .set('x-requested-with', 'fetch')
      .set('origin', ORIGIN)
      .expect(200);
    expect(res.body.authenticationResult).toMatchObject({ accessToken: expect.any(String), refreshToken: null });
    // REFRESH_TOKEN_AUTH returns no new refresh token: the cookie is left alone.
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 403 without calling Cognito when the CSRF header is missing', async () => {
    const res = await fromCookie(target.user.refreshToken).set('origin', ORIGIN).expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.any(String),
      code: 'CsrfCheckFailed',
    });
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    ['another origin', 'https://evil.example.net'],
    ['no origin', undefined],
  ])('answers 403 without calling Cognito from %s', async (_case, origin) => {
    const req = fromCookie(target.user.refreshToken).set('x-requested-with', 'fetch');
    if (origin) req.set('origin', origin);
    expect((await req.expect(403)).body.code).toBe('CsrfCheckFailed');
    expect(send).not.toHaveBeenCalled();
  });

  it('clears the cookie when the token is refused (401)', async () => {
    const res = await fromCookie('invalid.refresh.token')
      .set('x-requested-with', 'fetch')
      .set('origin', ORIGIN)
      .expect(401);
    expect(res.body.code).toBe('NotAuthorizedException');
    expect(res.headers['set-cookie']).toEqual([
      `${COOKIE}=; Max-Age=0; Path=/auth/refresh; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; ` +
        `SameSite=Strict`,
    ]);
  });

  it('still serves non-browser clients from the body, without CSRF checks', async () => {
    const res = await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
    expect(res.body.authenticationResult.refreshToken).toBeNull();
  });

  it(
    'answers 401 RefreshTokenMissing when neither the body nor the cookie has a token (signed out, or never ' +
      'signed in)',
    async () => {
      for (const res of [
        await http(app).post('/auth/refresh').set('x-requested-with', 'fetch').set('origin', ORIGIN).expect(401),
        await http(app).post('/auth/refresh').send({}).expect(401),
        // A cleared cookie, as sign-out leaves it in a browser that still sends it.
        await fromCookie('').set('x-requested-with', 'fetch').set('origin', ORIGIN).expect(401),
      ]) {
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'There is no refresh cookie: sign in',
          code: 'RefreshTokenMissing',
        });
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(send).not.toHaveBeenCalled();
    },
  );

  it('still answers a malformed body token 400 InvalidRefreshToken in cookie mode', async () => {
    expect((await http(app).post('/auth/refresh').send({ refreshToken: 42 }).expect(400)).body.code).toBe(
      'InvalidRefreshToken',
    );
    expect((await http(app).post('/auth/refresh').send({ refreshToken: 'not a token' }).expect(400)).body.code).toBe(
      'InvalidRefreshToken',
    );
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    ['in one Cookie header', (token: string) => [`${COOKIE}=${token}; other=1; ${COOKIE}=tossed.by.sibling`]],
    [
      'across two Cookie header lines',
      (token: string) => [`${COOKIE}=${token}`, `other=1; ${COOKIE}=tossed.by.sibling`],
    ],
    ['with an empty duplicate', (token: string) => [`${COOKIE}=; ${COOKIE}=${token}`]],
  ])(
    'refuses the refresh cookie twice %s (cookie tossing): 400 DuplicateCookie, no Set-Cookie, no Cognito call',
    async (_case, cookies) => {
      const res = await http(app)
        .post('/auth/refresh')
        .set('Cookie', cookies(target.user.refreshToken))
        .set('x-requested-with', 'fetch')
        .set('origin', ORIGIN)
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.any(String),
        code: 'DuplicateCookie',
      });
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(send).not.toHaveBeenCalled();
    },
  );

  it(
    'answers every token response with Cache-Control: no-store (RFC 6749 section 5.1), from the cookie and ' +
      'from the body',
    async () => {
      const fromCookieRes = await fromCookie(target.user.refreshToken)
        .set('x-requested-with', 'fetch')
        .set('origin', ORIGIN)
        .expect(200);
      const fromBodyRes = await http(app)
        .post('/auth/refresh')
        .send({ refreshToken: target.user.refreshToken })
        .expect(200);
      for (const res of [fromCookieRes, fromBodyRes]) {
        expect(res.body.authenticationResult.accessToken).toEqual(expect.any(String));
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers.pragma).toBe('no-cache');
      }
    },
  );
});

/**
 * Like createApp, with routers that also match `/AUTH/REFRESH` and `/auth/refresh/` (Express does by default, Fastify
 * when told).
 */
async function createLenientApp(
  adapter: AdapterName,
  metadata: ModuleMetadata,
  configure?: (app: INestApplication) => void,
) {
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const httpAdapter =
    adapter === 'fastify'
      ? new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true, caseSensitive: false } })
      : new ExpressAdapter();
  const app = moduleRef.createNestApplication(httpAdapter, {
    logger: new ConsoleLogger({ logLevels: ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] }),
  });
  configure?.(app);
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  if (adapter === 'fastify') await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe.each(ADAPTERS)(
  "the refresh cookie's Path: the route's, fixed at startup (cognito-local), on %s",
  (adapter) => {
    let target: CognitoTarget;
    beforeAll(async () => {
      target = await localTarget();
    });

    /**
     * Boots an app, sends a refused cookie-borne refresh to `url` (the endpoint then clears the cookie), returns the
     * Set-Cookie.
     */
    async function clearingCookie(
      refreshController: CognitoRefreshControllerOptions,
      url: string,
      configure?: (app: INestApplication) => void,
    ): Promise<string[]> {
      const app = await createLenientApp(
        adapter,
        { imports: [CognitoModule.forRoot({ ...target.options, refreshController })] },
        configure,
      );
      try {
        const name = refreshController.cookie?.name ?? 'cognito_refresh_token';
        const res = await http(app)
          .post(url)
          .set('cookie', `${name}=invalid.refresh.token`)
          .set('x-requested-with', 'fetch')
          .expect(401);
        return res.headers['set-cookie'] as unknown as string[];
      } finally {
        await app.close();
      }
    }
    const cleared = (name: string, path: string) =>
      `${name}=; Max-Age=0; Path=${path}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`;

    it.each(['/auth/refresh/', '/AUTH/REFRESH', '/Auth/Refresh/', '/auth/refresh?next=/elsewhere'])(
      'sets it on /auth/refresh for a request to %s',
      async (url) => {
        expect(await clearingCookie({ cookie: { name: COOKIE } }, url)).toEqual([cleared(COOKIE, '/auth/refresh')]);
      },
    );

    it('includes the global prefix: /api/auth/refresh, also for a request to /API/auth/refresh/', async () => {
      const prefixed = (nest: INestApplication) => nest.setGlobalPrefix('api');
      expect(await clearingCookie({ cookie: { name: COOKIE } }, '/api/auth/refresh', prefixed)).toEqual([
        cleared(COOKIE, '/api/auth/refresh'),
      ]);
      expect(await clearingCookie({ cookie: { name: COOKIE } }, '/API/auth/refresh/', prefixed)).toEqual([
        cleared(COOKIE, '/api/auth/refresh'),
      ]);
    });

    it('leaves out a global prefix that excludes the route', async () => {
      const excluded = (nest: INestApplication) => nest.setGlobalPrefix('api', { exclude: ['auth/refresh'] });
      expect(await clearingCookie({ cookie: { name: COOKIE } }, '/auth/refresh', excluded)).toEqual([
        cleared(COOKIE, '/auth/refresh'),
      ]);
    });

    it('includes the default URI version and a custom route path: /api/v1/session/renew', async () => {
      const versioned = (nest: INestApplication) =>
        nest.setGlobalPrefix('/api/').enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      expect(
        await clearingCookie({ path: 'session/renew', cookie: { name: COOKIE } }, '/api/v1/session/renew', versioned),
      ).toEqual([cleared(COOKIE, '/api/v1/session/renew')]);
    });

    it(
      'fails the boot, naming cookie.path, when the route is served at several versions; an explicit ' +
        'cookie.path then boots',
      async () => {
        const versions = (nest: INestApplication) =>
          nest.enableVersioning({ type: VersioningType.URI, defaultVersion: ['1', VERSION_NEUTRAL] });
        await expect(clearingCookie({ cookie: { name: COOKIE } }, '/v1/auth/refresh', versions)).rejects.toThrow(
          'CognitoModule: refreshController.cookie.path is required',
        );
        expect(await clearingCookie({ cookie: { name: COOKIE, path: '/' } }, '/v1/auth/refresh', versions)).toEqual([
          cleared(COOKIE, '/'),
        ]);
      },
    );

    it("uses an explicit cookie.path as given, over the route's and the prefix", async () => {
      const prefixed = (nest: INestApplication) => nest.setGlobalPrefix('api');
      expect(
        await clearingCookie({ cookie: { name: COOKIE, path: '/api/auth' } }, '/API/AUTH/REFRESH/', prefixed),
      ).toEqual([cleared(COOKIE, '/api/auth')]);
    });

    it('sets a __Host- cookie on Path=/, Secure, without Domain, as browsers require, and reads it back', async () => {
      expect(await clearingCookie({ cookie: { name: '__Host-rt' } }, '/auth/refresh/')).toEqual([
        cleared('__Host-rt', '/'),
      ]);
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, refreshController: { cookie: { name: '__Host-rt' } } })],
      });
      try {
        const res = await http(app)
          .post('/auth/refresh')
          .set('cookie', `__Host-rt=${target.user.refreshToken}`)
          .set('x-requested-with', 'fetch')
          .expect(200);
        expect(res.body.authenticationResult.accessToken).toEqual(expect.any(String));
      } finally {
        await app.close();
      }
    });

    it('gives the app the same cookie through CognitoRefreshCookies, global prefix included', async () => {
      const app = await createApp(
        adapter,
        {
          imports: [
            CognitoModule.forRoot({
              ...target.options,
              refreshController: { cookie: { name: COOKIE, sameSite: 'lax' } },
            }),
          ],
        },
        (nest) => nest.setGlobalPrefix('api'),
      );
      try {
        const cookies = app.get(CognitoRefreshCookies);
        expect(cookies.serialize('a.b.c')).toBe(
          `${COOKIE}=a.b.c; Max-Age=2592000; Path=/api/auth/refresh; HttpOnly; Secure; SameSite=Lax`,
        );
        expect(cookies.clear()).toBe(
          `${COOKIE}=; Max-Age=0; Path=/api/auth/refresh; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; ` +
            `Secure; SameSite=Lax`,
        );
      } finally {
        await app.close();
      }
    });

    it(
      "keeps each pool's cookie to its own endpoint: a " + "named pool's under getCognitoRefreshCookiesToken(name)",
      async () => {
        const app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({ ...target.options, refreshController: { cookie: { name: COOKIE } } }),
            CognitoModule.forRoot({
              ...target.options,
              name: 'staff',
              refreshController: { cookie: { name: 'staff_rt' } },
            }),
            CognitoModule.forRoot({ ...target.options, name: 'partners', refreshController: true }),
          ],
          // What the app's own providers are injected with.
          providers: [
            {
              provide: 'INJECTED',
              inject: [CognitoRefreshCookies, getCognitoRefreshCookiesToken('staff')],
              useFactory: (byDefault: CognitoRefreshCookies, staff: CognitoRefreshCookies) => ({ byDefault, staff }),
            },
          ],
        });
        try {
          const injected = app.get<{ byDefault: CognitoRefreshCookies; staff: CognitoRefreshCookies }>('INJECTED');
          expect(injected.byDefault.settings).toMatchObject({ name: COOKIE, path: '/auth/refresh' });
          expect(injected.staff.settings).toMatchObject({ name: 'staff_rt', path: '/auth/staff/refresh' });
          const staff = await http(app)
            .post('/auth/staff/refresh')
            .set('cookie', `${COOKIE}=${target.user.refreshToken}; staff_rt=invalid.refresh.token`)
            .set('x-requested-with', 'fetch')
            .expect(401);
          expect(staff.headers['set-cookie']).toEqual([cleared('staff_rt', '/auth/staff/refresh')]);
          // No cookie mode there: the default pool's cookie is not read.
          const partners = await http(app)
            .post('/auth/partners/refresh')
            .set('cookie', `${COOKIE}=${target.user.refreshToken}`)
            .set('x-requested-with', 'fetch');
          expect(partners.status).toBe(400);
          expect(partners.body.code).toBe('InvalidRefreshToken');
        } finally {
          await app.close();
        }
      },
    );
  },
);
