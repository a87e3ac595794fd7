// Cookie mode with an app client that has a secret: the cookie set at sign-in
// carries the internal username that AdminInitiateAuth's SECRET_HASH needs, so the
// browser's refresh needs nothing but the cookie and the CSRF header.
import { createHmac } from 'node:crypto';
import { Body, Controller, HttpCode, type INestApplication, Post, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  COGNITO_CLIENT,
  CognitoModule,
  CognitoRefreshCookies,
  CognitoSyncService,
  CognitoTokenVerifier,
  resolveRefreshCookie,
  serializeRefreshCookie,
} from '../src';
import { ADAPTERS, createApp, http } from './support/bootstrap';
import { CognitoStandIn } from './support/cognito-stand-in';
import { rememberSecrets } from './support/secrets';
import { type CognitoTarget, localTarget } from './support/target';

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

  const browserRefresh = (cookie: string) => http(app).post('/auth/refresh').set('cookie', cookie).set('x-requested-with', 'fetch');

  it('refreshes with nothing but the cookie set at sign-in (CognitoRefreshCookies) and the CSRF header', async () => {
    // localTarget's user is the whole demo user, its email and password included.
    const { email, password } = target.user as unknown as { email: string; password: string };
    const signIn = await http(app).post('/session/sign-in').send({ email, password }).expect(200);
    const [setCookie] = signIn.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toMatch(/^rt=[\w.-]+~[\w-]+; Max-Age=2592000; Path=\/auth\/refresh; HttpOnly; Secure; SameSite=Strict$/);
    const res = await browserRefresh(pairOf(setCookie)).expect(200);
    expect(res.body.authenticationResult).toMatchObject({ accessToken: expect.any(String), refreshToken: null });
    const claims = JSON.parse(Buffer.from(res.body.authenticationResult.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.username).toBe(target.user.username);
  });

  it('refreshes with nothing but a cookie from the exported helper given { username }', async () => {
    const { refreshToken, username } = target.user;
    const setCookie = serializeRefreshCookie(resolveRefreshCookie({ name: 'rt' }, 'auth/refresh'), refreshToken, { username });
    await browserRefresh(pairOf(setCookie)).expect(200);
  });

  it('still reads a cookie holding only the token: the username then comes from a Bearer token, else 400 UsernameRequired', async () => {
    const { refreshToken, accessToken } = target.user;
    await browserRefresh(`rt=${refreshToken}`).set('authorization', `Bearer ${accessToken}`).expect(200);
    expect((await browserRefresh(`rt=${refreshToken}`).expect(400)).body.code).toBe('UsernameRequired');
  });

  it('answers 400 without calling Cognito for a cookie whose username part is not base64url', async () => {
    expect((await browserRefresh(`rt=${target.user.refreshToken}~not%20base64`).expect(400)).body.code).toBe('InvalidRefreshToken');
    expect(send).not.toHaveBeenCalled();
  });
});

// cognito-local never checks SECRET_HASH, so the exact request is asserted on the wire.
describe.each(ADAPTERS)('SECRET_HASH from the refresh cookie (wire-level stand-in, not cognito-local), on %s', (adapter) => {
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
    await http(app).post('/auth/refresh').set('cookie', cookie()).set('x-requested-with', 'fetch').send({ username: 'from-the-body' }).expect(200);
    expect(sentHash()).toEqual([hashOf('from-the-body')]);
  });
});
