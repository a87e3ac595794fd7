// The auth endpoints (authController): sign-in, refresh and sign-out against
// cognito-local with an app client that has a secret, in body mode and in cookie mode,
// on Express and Fastify; and the checks of the option at startup.
import type { INestApplication } from '@nestjs/common';
import { VersioningType } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule, type CognitoModuleExtras } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import type { SignedInUser } from '../support/cognito-local';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

const ORIGIN = 'https://app.example.com';
/** The `name=value` pair of a Set-Cookie value, as a browser sends it back. */
const pairOf = (setCookie: string) => setCookie.split(';')[0];
const cleared = (name: string, path: string) =>
  `${name}=; Max-Age=0; Path=${path}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`;
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** Remembers the tokens of a token answer for the log hygiene check. */
function remember(body: {
  authenticationResult?: { accessToken?: string; idToken?: string; refreshToken?: string } | null;
}) {
  const result = body.authenticationResult;
  rememberSecrets(result?.accessToken, result?.idToken, result?.refreshToken);
}

describe.each(ADAPTERS)('auth endpoints with a secret app client, body mode (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let user: SignedInUser;
  let app: INestApplication;
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    user = target.user as SignedInUser;
    rememberSecrets(user.password);
    // authGuard: every route @Public() all the same.
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...target.options, authController: true, authGuard: true })],
    });
  });
  afterAll(() => app.close());

  const signIn = (username: string, password: string) => http(app).post('/auth/sign-in').send({ username, password });

  it('signs in: 200 with the tokens in the JSON, no-store, no cookie', async () => {
    const res = await signIn(user.email, user.password).expect(200);
    remember(res.body);
    // The refresh endpoint's shape; cognito-local leaves out ExpiresIn and TokenType (null here, set on AWS).
    expect(res.body).toEqual({
      challengeName: null,
      session: null,
      challengeParameters: {},
      authenticationResult: {
        accessToken: expect.any(String),
        expiresIn: res.body.authenticationResult.expiresIn,
        tokenType: res.body.authenticationResult.tokenType,
        refreshToken: expect.any(String),
        idToken: expect.any(String),
        newDeviceMetadata: null,
      },
    });
    expect(claimsOf(res.body.authenticationResult.accessToken).username).toBe(user.username);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes, signs out (204), then the token is refused (401); signing out again is still 204', async () => {
    const { body } = await signIn(user.email, user.password).expect(200);
    remember(body);
    const { refreshToken, accessToken } = body.authenticationResult;
    const refresh = () =>
      http(app).post('/auth/refresh').set('authorization', `Bearer ${accessToken}`).send({ refreshToken });
    const refreshed = await refresh().expect(200);
    remember(refreshed.body);
    expect(refreshed.body.authenticationResult.accessToken).toEqual(expect.any(String));
    for (let i = 0; i < 2; i++) {
      const out = await http(app).post('/auth/sign-out').send({ refreshToken }).expect(204);
      expect(out.text).toBe('');
      expect(out.headers['cache-control']).toBe('no-store');
    }
    expect((await refresh().expect(401)).body.code).toBe('NotAuthorizedException');
  });

  it('answers a wrong password and an unknown user with the same 401 body', async () => {
    const wrong = await signIn(user.email, 'Wrong-passw0rd!').expect(401);
    const unknown = await signIn('nobody@example.com', user.password).expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Incorrect username or password',
      code: 'NotAuthorizedException',
    });
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['no password', { username: 'ann@example.com' }, 400, 'InvalidParameter'],
    ['a password that is not a string', { username: 'ann@example.com', password: 12345678 }, 400, 'InvalidParameter'],
    ['an array', [], 400, 'InvalidRequestBody'],
  ])('refuses a sign-in with %s before any call', async (_case, body, status, code) => {
    const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    try {
      expect(
        (
          await http(app)
            .post('/auth/sign-in')
            .send(body as object)
            .expect(status)
        ).body.code,
      ).toBe(code);
      expect(send).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
    }
  });

  it(
    'refuses a sign-out without a refresh token: 400 ' + 'InvalidRefreshToken (no cookie mode to fall back on)',
    async () => {
      expect((await http(app).post('/auth/sign-out').expect(400)).body.code).toBe('InvalidRefreshToken');
      expect((await http(app).post('/auth/sign-out').send({}).expect(400)).body.code).toBe('InvalidRefreshToken');
    },
  );

  it(
    'refuses a refresh without a refresh token: 400 InvalidRefreshToken (a malformed request, not a signed-out ' +
      'browser)',
    async () => {
      expect((await http(app).post('/auth/refresh').send({}).expect(400)).body.code).toBe('InvalidRefreshToken');
    },
  );

  it("answers malformed JSON and a form post with the module's body errors, no-store", async () => {
    const malformed = await http(app)
      .post('/auth/sign-in')
      .set('content-type', 'application/json')
      .send('{"username": oops')
      .expect(400);
    expect(malformed.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.any(String),
      code: 'InvalidJson',
    });
    expect(malformed.headers['cache-control']).toBe('no-store');
    const form = await http(app)
      .post('/auth/sign-in')
      .type('form')
      .send({ username: 'ann', password: 'x' })
      .expect(415);
    expect(form.body.code).toBe('UnsupportedMediaType');
  });
});

describe.each(ADAPTERS)('auth endpoints with a secret app client, cookie mode (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let user: SignedInUser;
  let app: INestApplication;
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    user = target.user as SignedInUser;
    app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...target.options,
          authController: { cookie: { name: 'rt' }, allowedOrigins: [ORIGIN] },
        }),
      ],
    });
  });
  afterAll(() => app.close());

  const browser = (path: string, cookie?: string) => {
    const req = http(app).post(`/auth/${path}`).set('x-requested-with', 'fetch').set('origin', ORIGIN);
    return cookie === undefined ? req : req.set('cookie', cookie);
  };
  async function signedIn(): Promise<string> {
    const res = await browser('sign-in').send({ username: user.email, password: user.password }).expect(200);
    remember(res.body);
    const [setCookie] = res.headers['set-cookie'] as unknown as string[];
    rememberSecrets(pairOf(setCookie).slice(3));
    return setCookie;
  }

  it(
    'signs in: the refresh token (with the internal username) only in the HttpOnly cookie, on the endpoints ' + 'path',
    async () => {
      const res = await browser('sign-in').send({ username: user.email, password: user.password }).expect(200);
      remember(res.body);
      expect(res.body.authenticationResult).toMatchObject({
        accessToken: expect.any(String),
        idToken: expect.any(String),
        refreshToken: null,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/refresh_token|"refreshToken":"/);
      expect(res.headers['cache-control']).toBe('no-store');
      const setCookies = res.headers['set-cookie'] as unknown as string[];
      expect(setCookies).toHaveLength(1);
      expect(setCookies[0]).toMatch(
        /^rt=[\w.-]+~[\w-]+~[\w-]{43}; Max-Age=2592000; Path=\/auth; HttpOnly; Secure; SameSite=Strict$/,
      );
      const stored = pairOf(setCookies[0]).slice(3).split('~');
      rememberSecrets(stored[0]);
      expect(Buffer.from(stored[1], 'base64url').toString()).toBe(user.username);
    },
  );

  it(
    'refreshes with only the cookie and the CSRF header; signs out (204, cookie cleared); the signed-out ' +
      'cookie then gets 401',
    async () => {
      const cookie = pairOf(await signedIn());
      const refreshed = await browser('refresh', cookie).expect(200);
      remember(refreshed.body);
      expect(refreshed.body.authenticationResult).toMatchObject({
        accessToken: expect.any(String),
        refreshToken: null,
      });
      expect(refreshed.headers['cache-control']).toBe('no-store');

      const out = await browser('sign-out', cookie).expect(204);
      expect(out.headers['set-cookie']).toEqual([cleared('rt', '/auth')]);
      const refused = await browser('refresh', cookie).expect(401);
      expect(refused.body.code).toBe('NotAuthorizedException');
      expect(refused.headers['set-cookie']).toEqual([cleared('rt', '/auth')]);
      // Signing out twice: with the revoked cookie, and with none at all (the browser dropped it), still 204.
      expect((await browser('sign-out', cookie).expect(204)).headers['set-cookie']).toEqual([cleared('rt', '/auth')]);
      expect((await browser('sign-out').expect(204)).headers['set-cookie']).toBeUndefined();
      // The browser dropped the cleared cookie: a refresh is 401 RefreshTokenMissing, "sign in again".
      const missing = await browser('refresh').expect(401);
      expect(missing.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.any(String),
        code: 'RefreshTokenMissing',
      });
      expect(missing.headers['set-cookie']).toBeUndefined();
    },
  );

  it.each([
    ['from another origin', 'https://evil.example.net'],
    ['with Origin: null (an opaque origin)', 'null'],
  ])('refuses sign-in and challenge %s: 403 CsrfCheckFailed, no Set-Cookie, no Cognito call', async (_case, origin) => {
    const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    const challenge = {
      challengeName: 'SOFTWARE_TOKEN_MFA',
      session: 's'.repeat(40),
      username: user.username,
      responses: { SOFTWARE_TOKEN_MFA_CODE: '123456' },
    };
    try {
      for (const [path, body] of [
        ['sign-in', { username: user.email, password: user.password }],
        ['challenge', challenge],
      ] as const) {
        const res = await http(app)
          .post(`/auth/${path}`)
          .set('x-requested-with', 'fetch')
          .set('origin', origin)
          .send(body)
          .expect(403);
        expect(res.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message: 'This origin may not sign in',
          code: 'CsrfCheckFailed',
        });
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['cache-control']).toBe('no-store');
      }
      expect(send).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
    }
  });

  it(
    'signs in without an Origin (curl, an app, a server: browsers send one on every cross-origin POST), with the ' +
      'cookie set',
    async () => {
      const res = await http(app).post('/auth/sign-in').send({ username: user.email, password: user.password });
      expect(res.status).toBe(200);
      remember(res.body);
      const [setCookie] = res.headers['set-cookie'] as unknown as string[];
      rememberSecrets(pairOf(setCookie).slice(3));
      expect(setCookie).toMatch(/^rt=/);
    },
  );

  it(
    'signs in from an allowed Origin without the CSRF header: sign-in reads no cookie, and its JSON body needs ' +
      'a preflight anyway',
    async () => {
      const res = await http(app)
        .post('/auth/sign-in')
        .set('origin', ORIGIN)
        .send({ username: user.email, password: user.password })
        .expect(200);
      remember(res.body);
      const [setCookie] = res.headers['set-cookie'] as unknown as string[];
      rememberSecrets(pairOf(setCookie).slice(3));
      expect(setCookie).toMatch(/^rt=/);
    },
  );

  it.each([
    [
      'without the CSRF header',
      (path: string, cookie: string) => http(app).post(`/auth/${path}`).set('origin', ORIGIN).set('cookie', cookie),
    ],
    [
      'from another origin',
      (path: string, cookie: string) =>
        http(app)
          .post(`/auth/${path}`)
          .set('x-requested-with', 'fetch')
          .set('origin', 'https://evil.example.net')
          .set('cookie', cookie),
    ],
  ])(
    'refuses refresh and sign-out from the cookie %s: 403, no Cognito call, the cookie kept and still good',
    async (_case, request) => {
      const cookie = pairOf(await signedIn());
      const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
      try {
        for (const path of ['refresh', 'sign-out']) {
          const res = await request(path, cookie).expect(403);
          expect(res.body.code).toBe('CsrfCheckFailed');
          expect(res.headers['set-cookie']).toBeUndefined();
        }
        expect(send).not.toHaveBeenCalled();
      } finally {
        send.mockRestore();
      }
      remember((await browser('refresh', cookie).expect(200)).body);
    },
  );
});

describe('authController at startup', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget({ secret: true });
  });

  it('refuses refreshController and authController together, saying why', () => {
    expect(() => CognitoModule.forRoot({ ...target.options, refreshController: true, authController: true })).toThrow(
      'CognitoModule: set refreshController or authController, not both',
    );
  });

  it.each<[string, CognitoModuleExtras['authController'], string]>([
    ['an unknown SameSite', { cookie: { sameSite: 'relaxed' as never } }, 'authController.cookie.sameSite must be'],
    [
      'a __Host- cookie on another path',
      { cookie: { name: '__Host-rt', path: '/auth' } },
      'authController.cookie.path must be "/" for a __Host- cookie',
    ],
    [
      'a csrfHeader browsers send by themselves',
      { cookie: {}, csrfHeader: 'origin' },
      'authController.csrfHeader "origin" proves nothing',
    ],
    [
      'an allowed origin with a path',
      { cookie: {}, allowedOrigins: ['https://app.example.com/'] },
      'authController.allowedOrigins has',
    ],
    ['a misspelt option', { cookies: {} } as never, 'authController.cookies is not an option'],
    ['a path that is not a string', { path: 42 } as never, 'authController.path must be a route path'],
  ])('fails the boot for %s, naming the option', (_case, authController, message) => {
    expect(() => CognitoModule.forRoot({ ...target.options, authController })).toThrow(`CognitoModule: ${message}`);
  });

  it.each(ADAPTERS)(
    'on %s, fails the boot naming authController.cookie.path when the route is served at several versions',
    async (adapter) => {
      const versions = (nest: INestApplication) =>
        nest.enableVersioning({ type: VersioningType.URI, defaultVersion: ['1', '2'] });
      const boot = createApp(
        adapter,
        { imports: [CognitoModule.forRoot({ ...target.options, authController: { cookie: {} } })] },
        versions,
      );
      await expect(boot).rejects.toThrow('CognitoModule: authController.cookie.path is required');
    },
  );

  it.each(ADAPTERS)('on %s, serves a named pool under auth/<name>, its cookie on that path', async (adapter) => {
    const app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({ ...target.options, name: 'staff', authController: { cookie: { name: 'rt' } } }),
      ],
    });
    try {
      const { email, password } = target.user as SignedInUser;
      const res = await http(app).post('/auth/staff/sign-in').send({ username: email, password }).expect(200);
      remember(res.body);
      const [setCookie] = res.headers['set-cookie'] as unknown as string[];
      rememberSecrets(pairOf(setCookie).slice(3).split('~')[0]);
      expect(setCookie).toMatch(/; Path=\/auth\/staff; HttpOnly; Secure; SameSite=Strict$/);
    } finally {
      await app.close();
    }
  });
});
