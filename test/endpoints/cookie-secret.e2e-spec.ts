// Cookie mode with an app client that has a secret: the cookie set at sign-in
// carries the internal username that AdminInitiateAuth's SECRET_HASH needs, so the
// browser's refresh needs nothing but the cookie and the CSRF header.
import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, type INestApplication, Logger, Post, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  COGNITO_CLIENT,
  CognitoModule,
  type CognitoRefreshCookieOptions,
  CognitoRefreshCookies,
  CognitoSyncService,
  CognitoTokenVerifier,
  resolveRefreshCookie,
  serializeRefreshCookie,
} from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import {
  answerWithTokens,
  CognitoStandIn,
  replyError,
  standInOptions,
  type StandInRequest,
} from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

/** The app's own sign-in route, as the README shows it. */
@Controller('session')
class SessionController {
  constructor(
    private readonly cognito: CognitoSyncService,
    private readonly verifier: CognitoTokenVerifier,
    private readonly refreshCookies: CognitoRefreshCookies,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Body() body: { email: string; password: string }, @Res({ passthrough: true }) response: unknown) {
    const { AuthenticationResult: result } = await this.cognito.signIn(body.email, body.password);
    rememberSecrets(result?.AccessToken, result?.IdToken, result?.RefreshToken);
    const { username } = await this.verifier.verify(result!.AccessToken!);
    const cookie = this.refreshCookies.serialize(result!.RefreshToken!, { username: String(username) });
    this.adapterHost.httpAdapter.setHeader(response, 'Set-Cookie', cookie);
    return { accessToken: result!.AccessToken };
  }
}

/** The `name=value` pair of a Set-Cookie value, as a browser sends it back. */
const pairOf = (setCookie: string) => setCookie.split(';')[0];

describe.each(ADAPTERS)('cookie mode with a secret app client (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let app: INestApplication;
  let send: jest.SpyInstance;
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...target.options, refreshController: { cookie: { name: 'rt' } } })],
      controllers: [SessionController],
    });
    send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
  });
  afterAll(() => app.close());
  beforeEach(() => send.mockClear());

  const browserRefresh = (cookie: string) =>
    http(app).post('/auth/refresh').set('cookie', cookie).set('x-requested-with', 'fetch');

  it(
    'refreshes with nothing but the cookie set at sign-in (CognitoRefreshCookies, the username with its MAC) ' +
      'and the CSRF header',
    async () => {
      // localTarget's user is the whole demo user, its email and password included.
      const { email, password } = target.user as unknown as { email: string; password: string };
      const signIn = await http(app).post('/session/sign-in').send({ email, password }).expect(200);
      const [setCookie] = signIn.headers['set-cookie'] as unknown as string[];
      expect(setCookie).toMatch(
        /^rt=[\w.-]+~[\w-]+~[\w-]{43}; Max-Age=2592000; Path=\/auth\/refresh; HttpOnly; Secure; SameSite=Strict$/,
      );
      const res = await browserRefresh(pairOf(setCookie)).expect(200);
      expect(res.body.authenticationResult).toMatchObject({ accessToken: expect.any(String), refreshToken: null });
      const claims = JSON.parse(
        Buffer.from(res.body.authenticationResult.accessToken.split('.')[1], 'base64url').toString(),
      );
      expect(claims.username).toBe(target.user.username);
    },
  );

  it('refreshes with nothing but a cookie from the exported helper given { username }', async () => {
    const { refreshToken, username } = target.user;
    const setCookie = serializeRefreshCookie(resolveRefreshCookie({ name: 'rt' }, 'auth/refresh'), refreshToken, {
      username,
    });
    await browserRefresh(pairOf(setCookie)).expect(200);
  });

  it(
    'still reads a cookie holding only the token: the username then comes from a Bearer token, else 400 ' +
      'UsernameRequired',
    async () => {
      const { refreshToken, accessToken } = target.user;
      await browserRefresh(`rt=${refreshToken}`).set('authorization', `Bearer ${accessToken}`).expect(200);
      expect((await browserRefresh(`rt=${refreshToken}`).expect(400)).body.code).toBe('UsernameRequired');
    },
  );

  it('answers 400 without calling Cognito for a cookie whose username part is not base64url', async () => {
    expect((await browserRefresh(`rt=${target.user.refreshToken}~not%20base64`).expect(400)).body.code).toBe(
      'InvalidRefreshToken',
    );
    expect(send).not.toHaveBeenCalled();
  });
});

// cognito-local never checks SECRET_HASH, so the exact request is asserted on the wire.
describe.each(ADAPTERS)(
  'SECRET_HASH from the refresh cookie (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    const clientId = 'standinclient123';
    const clientSecret = 'stand-in-client-secret-value';
    const username = '9f1c2d3e-0000-4000-8000-1234567890ab';
    const hashOf = (name: string) =>
      createHmac('sha256', clientSecret)
        .update(name + clientId)
        .digest('base64');
    let standIn: CognitoStandIn;
    let app: INestApplication;
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      rememberSecrets(clientSecret, hashOf(username), hashOf('from-the-body'));
      app = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({
            region: 'eu-west-1',
            userPoolId: 'eu-west-1_StandIn1',
            clientId,
            clientSecret,
            endpoint: standIn.endpoint,
            credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
            refreshController: { cookie: {} },
          }),
        ],
      });
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
    });
    beforeEach(() => {
      standIn.requests.length = 0;
    });

    const cookie = () => pairOf(app.get(CognitoRefreshCookies).serialize('stand.in.refresh', { username }));
    const sentHash = () => standIn.requests.map((request) => request.body.AuthParameters.SECRET_HASH);

    it('hashes the username stored in the cookie, with only the cookie and the CSRF header sent', async () => {
      await http(app).post('/auth/refresh').set('cookie', cookie()).set('x-requested-with', 'fetch').expect(200);
      expect(standIn.requests).toEqual([
        {
          operation: 'AdminInitiateAuth',
          body: {
            UserPoolId: 'eu-west-1_StandIn1',
            ClientId: clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: 'stand.in.refresh', SECRET_HASH: hashOf(username) },
          },
        },
      ]);
    });

    it("prefers a username given in the body to the cookie's", async () => {
      await http(app)
        .post('/auth/refresh')
        .set('cookie', cookie())
        .set('x-requested-with', 'fetch')
        .send({ username: 'from-the-body' })
        .expect(200);
      expect(sentHash()).toEqual([hashOf('from-the-body')]);
    });
  },
);

// The username in the cookie is authenticated by a MAC; what the request chooses itself is logged as a
// rate-limited warning. cognito-local never checks SECRET_HASH: the stand-in checks it as Cognito does.
describe.each(ADAPTERS)(
  'the username in the refresh cookie (wire-level stand-in that checks SECRET_HASH, not cognito-local), on %s',
  (adapter) => {
    const clientId = 'standinclient123';
    const [oldSecret, newSecret] = ['stand-in-client-secret-before-rotation', 'stand-in-client-secret-after-rotation'];
    const cookieKey = 'a-dedicated-cookie-key-of-32-characters-or-more';
    const username = '9f1c2d3e-0000-4000-8000-1234567890ab';
    const refreshToken = 'stand.in.mac-refresh';
    const hashOf = (secret: string, name: string) =>
      createHmac('sha256', secret)
        .update(name + clientId)
        .digest('base64');
    /**
     * Cognito's check: a hash over the token's user's internal username, under one of the client's secrets (two during
     * a rotation).
     */
    const checkingCognito =
      (...secrets: string[]) =>
      (request: StandInRequest, res: ServerResponse) => {
        const given = request.body.AuthParameters?.SECRET_HASH;
        if (secrets.some((secret) => hashOf(secret, username) === given)) return answerWithTokens(request, res);
        replyError(res, 'NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
      };
    let standIn: CognitoStandIn;
    let apps: INestApplication[] = [];
    let logged: { error: jest.SpyInstance; warn: jest.SpyInstance };
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      rememberSecrets(
        oldSecret,
        newSecret,
        cookieKey,
        refreshToken,
        hashOf(oldSecret, username),
        hashOf(newSecret, username),
      );
    });
    beforeEach(() => {
      standIn.requests.length = 0;
      standIn.respondWith(checkingCognito(oldSecret));
      logged = { error: jest.spyOn(Logger.prototype, 'error'), warn: jest.spyOn(Logger.prototype, 'warn') };
    });
    afterEach(async () => {
      jest.restoreAllMocks();
      for (const app of apps) await app.close();
      apps = [];
    });
    afterAll(() => standIn.stop());

    const start = async (clientSecret: string, cookie: CognitoRefreshCookieOptions = {}) => {
      const options = {
        ...standInOptions(standIn),
        clientSecret,
        refreshController: { cookie: { name: 'rt', ...cookie } },
      };
      const app = await createApp(adapter, { imports: [CognitoModule.forRoot(options)] });
      apps.push(app);
      return app;
    };
    const signedCookie = (app: INestApplication) =>
      pairOf(app.get(CognitoRefreshCookies).serialize(refreshToken, { username }));
    const fromCookie = (app: INestApplication, cookie: string) =>
      http(app).post('/auth/refresh').set('cookie', cookie).set('x-requested-with', 'fetch');
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const lines = (spy: jest.SpyInstance) => spy.mock.calls.map(([line]) => String(line));

    it(
      'refuses a signed cookie whose username was edited before any call to Cognito (400 ' +
        'InvalidRefreshCookie), clears it, and logs no ERROR: 51 requests, at most one warning',
      async () => {
        const app = await start(oldSecret);
        const [token, , mac] = signedCookie(app).slice('rt='.length).split('~');
        const tampered = `rt=${token}~${b64('someone-else')}~${mac}`;
        const answers = await Promise.all(Array.from({ length: 51 }, () => fromCookie(app, tampered)));
        for (const res of answers) {
          expect(res.status).toBe(400);
          expect(res.body).toMatchObject({ code: 'InvalidRefreshCookie' });
          expect(res.headers['set-cookie']).toEqual([expect.stringMatching(/^rt=; Max-Age=0;/)]);
        }
        expect(standIn.requests).toEqual([]);
        expect(lines(logged.error)).toEqual([]);
        expect(lines(logged.warn).filter((line) => line.includes('refresh cookie')).length).toBeLessThanOrEqual(1);
      },
    );

    it('still refreshes with a cookie set before MACs (token~username), and signs it anew', async () => {
      const app = await start(oldSecret);
      const res = await fromCookie(app, `rt=${refreshToken}~${b64(username)}`).expect(200);
      expect(standIn.requests.map((request) => request.body.AuthParameters.SECRET_HASH)).toEqual([
        hashOf(oldSecret, username),
      ]);
      expect(res.headers['set-cookie']).toEqual([expect.stringContaining(signedCookie(app))]);
    });

    it.each([
      [
        'an edited username in a cookie set before MACs',
        (app: INestApplication) => fromCookie(app, `rt=${refreshToken}~${b64('someone-else')}`),
      ],
      [
        'a body username that does not match',
        (app: INestApplication) => fromCookie(app, signedCookie(app)).send({ username: 'someone-else' }),
      ],
    ])(
      '%s: Cognito refuses the hash, 400 InvalidUsername, the cookie kept; a rate-limited warning, no ERROR',
      async (_case, send) => {
        const app = await start(oldSecret);
        const answers = await Promise.all(Array.from({ length: 51 }, () => send(app)));
        for (const res of answers) {
          expect([res.status, res.body.code, res.headers['set-cookie']]).toEqual([400, 'InvalidUsername', undefined]);
        }
        // Identical concurrent refreshes are merged: fewer calls than requests, each refused.
        expect(standIn.requests.length).toBeGreaterThan(0);
        expect(lines(logged.error)).toEqual([]);
        expect(
          lines(logged.warn).filter((line) => line.startsWith('Answered 400 InvalidUsername')).length,
        ).toBeLessThanOrEqual(1);
      },
    );

    it(
      "keeps the ERROR when Cognito refuses the hash over a signed cookie's username: the app's clientSecret " +
        'is at fault',
      async () => {
        standIn.respondWith(checkingCognito(newSecret));
        const app = await start(oldSecret);
        await fromCookie(app, signedCookie(app)).expect(400);
        expect(lines(logged.error)).toEqual([
          expect.stringMatching(/^Answered 400 InvalidUsername .*clientSecret is wrong$/),
        ]);
      },
    );

    it.each<[string, CognitoRefreshCookieOptions]>([
      ['cookie.keys set', { keys: [cookieKey] }],
      ['cookie.acceptUnsigned: false', { acceptUnsigned: false }],
    ])(
      'with %s, refuses a signed cookie whose MAC was stripped and username edited (it reads as a cookie ' +
        'from before MACs) before any call to Cognito, and clears it',
      async (_case, cookie) => {
        const app = await start(oldSecret, cookie);
        const [token] = signedCookie(app).slice('rt='.length).split('~');
        for (const stripped of [`rt=${token}~${b64('mallory')}`, `rt=${token}~${b64(username)}`]) {
          const res = await fromCookie(app, stripped).expect(400);
          expect(res.body).toMatchObject({ code: 'InvalidRefreshCookie' });
          expect(res.headers['set-cookie']).toEqual([expect.stringMatching(/^rt=; Max-Age=0;/)]);
        }
        expect(standIn.requests).toEqual([]);
        expect(lines(logged.error)).toEqual([]);
      },
    );

    it(
      'with cookie.keys and acceptUnsigned: true (a transition), still takes a cookie from before MACs, and ' +
        'signs it anew',
      async () => {
        const app = await start(oldSecret, { keys: [cookieKey], acceptUnsigned: true });
        const res = await fromCookie(app, `rt=${refreshToken}~${b64(username)}`).expect(200);
        expect(standIn.requests.map((request) => request.body.AuthParameters.SECRET_HASH)).toEqual([
          hashOf(oldSecret, username),
        ]);
        expect(res.headers['set-cookie']).toEqual([expect.stringContaining(signedCookie(app))]);
      },
    );

    it('accepts after a client-secret rotation a cookie signed before it, with a dedicated cookie.keys', async () => {
      standIn.respondWith(checkingCognito(oldSecret, newSecret));
      const before = signedCookie(await start(oldSecret, { keys: [cookieKey] }));
      const after = await start(newSecret, { keys: [cookieKey] });
      const res = await fromCookie(after, before).expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(standIn.requests.map((request) => request.body.AuthParameters.SECRET_HASH)).toEqual([
        hashOf(newSecret, username),
      ]);
    });

    it(
      'accepts after a rotation a cookie signed under the old secret (the default key) when keys lists it, and ' +
        'signs it anew; refuses it without',
      async () => {
        standIn.respondWith(checkingCognito(oldSecret, newSecret));
        const before = signedCookie(await start(oldSecret));
        const listed = await start(newSecret, { keys: [newSecret, oldSecret] });
        const res = await fromCookie(listed, before).expect(200);
        expect(res.headers['set-cookie']).toEqual([expect.stringContaining(signedCookie(listed))]);
        const unlisted = await start(newSecret);
        expect((await fromCookie(unlisted, before).expect(400)).body.code).toBe('InvalidRefreshCookie');
        expect(standIn.requests).toHaveLength(1);
      },
    );
  },
);
