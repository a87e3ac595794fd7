// Browser mode of the refresh endpoint: the refresh token in an HttpOnly cookie,
// behind CSRF checks, on Express and Fastify, against cognito-local.
import type { INestApplication } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule } from '../src';
import { ADAPTERS, createApp, http } from './support/bootstrap';
import { type CognitoTarget, localTarget } from './support/target';

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
    const res = await fromCookie(target.user.refreshToken).set('x-requested-with', 'fetch').set('origin', ORIGIN).expect(200);
    expect(res.body.authenticationResult).toMatchObject({ accessToken: expect.any(String), refreshToken: null });
    // REFRESH_TOKEN_AUTH returns no new refresh token: the cookie is left alone.
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 403 without calling Cognito when the CSRF header is missing', async () => {
    const res = await fromCookie(target.user.refreshToken).set('origin', ORIGIN).expect(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String), code: 'CsrfCheckFailed' });
    expect(send).not.toHaveBeenCalled();
  });

  it.each([['another origin', 'https://evil.example.net'], ['no origin', undefined]])(
    'answers 403 without calling Cognito from %s',
    async (_case, origin) => {
      const req = fromCookie(target.user.refreshToken).set('x-requested-with', 'fetch');
      if (origin) req.set('origin', origin);
      expect((await req.expect(403)).body.code).toBe('CsrfCheckFailed');
      expect(send).not.toHaveBeenCalled();
    },
  );

  it('clears the cookie when the token is refused (401)', async () => {
    const res = await fromCookie('invalid.refresh.token').set('x-requested-with', 'fetch').set('origin', ORIGIN).expect(401);
    expect(res.body.code).toBe('NotAuthorizedException');
    expect(res.headers['set-cookie']).toEqual([
      `${COOKIE}=; Path=/auth/refresh; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`,
    ]);
  });

  it('still serves non-browser clients from the body, without CSRF checks', async () => {
    const res = await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
    expect(res.body.authenticationResult.refreshToken).toBeNull();
  });

  it('answers 400 when neither the body nor the cookie has a token', async () => {
    expect((await http(app).post('/auth/refresh').set('x-requested-with', 'fetch').expect(400)).body.code).toBe('InvalidRefreshToken');
    expect(send).not.toHaveBeenCalled();
  });

  it('sets the cookie on the path the request came to, global prefix included', async () => {
    const prefixed = await createApp(
      adapter,
      { imports: [CognitoModule.forRoot({ ...target.options, refreshController: { cookie: { name: COOKIE } } })] },
      (nest) => nest.setGlobalPrefix('api'),
    );
    try {
      const res = await http(prefixed)
        .post('/api/auth/refresh')
        .set('cookie', `${COOKIE}=invalid.refresh.token`)
        .set('x-requested-with', 'fetch')
        .expect(401);
      expect(res.headers['set-cookie']).toEqual([expect.stringMatching(new RegExp(`^${COOKIE}=; Path=/api/auth/refresh; Max-Age=0;`))]);
    } finally {
      await prefixed.close();
    }
  });
});
