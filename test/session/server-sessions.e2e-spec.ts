// CognitoServerSessions against cognito-local: tokens from a real sign-in through the service, the
// in-memory store; the guard admitting by the session cookie on Express and Fastify; the limits and the
// refresh driven by an injected clock (a second instance over the module's refresher).
import { Body, Controller, Get, type INestApplication, Post, Req, Res } from '@nestjs/common';
import { CognitoModule, CognitoServerSessions, CognitoSyncService, CognitoUser, Public } from '../../src';
import { CognitoTokenRefresher } from '../../src/refresh/token-refresher';
import { MemorySessionStore } from '../../src/session/memory-session-store';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { createSignedInUser, type SignedInUser } from '../support/cognito-local';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

const SECRET = 'an-e2e-session-secret-of-32-characters-or-more';

type Reply = { header(name: string, value: string[]): void } | { setHeader(name: string, value: string[]): void };

@Controller('app')
class SessionAppController {
  constructor(
    private readonly cognito: CognitoSyncService,
    private readonly sessions: CognitoServerSessions,
  ) {}

  @Public()
  @Post('start')
  async start(
    @Body() body: { email: string; password: string },
    @Req() request: never,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    const { AuthenticationResult: result } = await this.cognito.signIn(body.email, body.password);
    rememberSecrets(result!.AccessToken, result!.IdToken, result!.RefreshToken);
    const tokens = {
      accessToken: result!.AccessToken!,
      idToken: result!.IdToken!,
      refreshToken: result!.RefreshToken!,
    };
    const setCookie = await this.sessions.start(tokens, request);
    if ('header' in reply) reply.header('set-cookie', setCookie);
    else reply.setHeader('set-cookie', setCookie);
    return { started: true };
  }

  @Get('me')
  me(@CognitoUser('sub') sub: string) {
    return { sub };
  }

  @Post('me')
  change(@CognitoUser('sub') sub: string) {
    return { sub };
  }

  @Public()
  @Get('summary')
  summary(@Req() request: never) {
    return this.sessions.summaryOf(request);
  }
}

const expOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;
const cookieOf = (setCookie: string | string[] | undefined) => String([setCookie].flat()[0]).split(';')[0];

describe('CognitoServerSessions against cognito-local', () => {
  let target: CognitoTarget;
  let user: SignedInUser;
  beforeAll(async () => {
    target = await localTarget();
    user = await createSignedInUser(target.user as never, 'session-e2e@example.com');
    rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
  });

  describe.each(ADAPTERS)('over HTTP on %s', (adapter) => {
    let app: INestApplication;
    let cookie: string;
    beforeAll(async () => {
      app = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({
            ...target.options,
            authGuard: true,
            authController: true,
            session: { secret: SECRET },
          }),
        ],
        controllers: [SessionAppController],
      });
      const started = await http(app).post('/app/start').send({ email: user.email, password: user.password });
      expect(started.status).toBe(201);
      expect(String(started.headers['set-cookie'])).toMatch(
        /^__Host-cognito-session=[\w.-]+; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
      cookie = cookieOf(started.headers['set-cookie']);
    });
    afterAll(() => app.close());

    it('admits by the session cookie and answers the summary, without any token', async () => {
      expect((await http(app).get('/app/me').set('Cookie', cookie)).body).toEqual({ sub: expect.any(String) });
      const summary = await http(app).get('/app/summary').set('Cookie', cookie);
      expect(summary.body).toMatchObject({ username: user.username, email: user.email, groups: [] });
      expect(JSON.stringify(summary.body)).not.toContain(user.refreshToken.slice(0, 20));
    });

    it('refuses a tampered, foreign or repeated cookie with 401 SessionInvalid', async () => {
      const [name, value] = cookie.split('=');
      const tampered = `${name}=${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;
      for (const sent of [tampered, `${name}=unknown`, `${cookie}; ${cookie}`]) {
        const answer = await http(app).get('/app/me').set('Cookie', sent);
        expect([answer.status, answer.body.code]).toEqual([401, 'SessionInvalid']);
      }
    });

    it('needs the CSRF header on unsafe methods (403 CsrfCheckFailed otherwise)', async () => {
      const refused = await http(app).post('/app/me').set('Cookie', cookie);
      expect([refused.status, refused.body.code]).toEqual([403, 'CsrfCheckFailed']);
      const admitted = await http(app).post('/app/me').set('Cookie', cookie).set('X-Requested-With', 'fetch');
      expect(admitted.status).toBe(201);
    });
  });

  describe('the limits, the refresh and the tickets (an injected clock)', () => {
    let app: INestApplication;
    let clock: number;
    let sessions: CognitoServerSessions;
    const request = (setCookie: string[], method = 'GET') => ({ method, headers: { cookie: cookieOf(setCookie) } });
    const signedIn = async () => {
      const { AuthenticationResult: result } = await app.get(CognitoSyncService).signIn(user.email, user.password);
      rememberSecrets(result!.AccessToken, result!.IdToken, result!.RefreshToken);
      return { accessToken: result!.AccessToken!, idToken: result!.IdToken!, refreshToken: result!.RefreshToken! };
    };
    beforeAll(async () => {
      app = await createApp('express', {
        imports: [CognitoModule.forRoot({ ...target.options, authController: true, session: { secret: SECRET } })],
      });
    });
    beforeEach(() => {
      clock = Date.now();
      sessions = new CognitoServerSessions({
        settings: {
          secrets: [SECRET],
          store: undefined,
          cookieName: 'cognito-session',
          secure: false,
          idleMs: 3_600_000,
          absoluteMs: 7_200_000,
          maxSessions: 10,
        },
        csrf: { header: 'x-requested-with', allowedOrigins: [] },
        refresher: app.get(CognitoTokenRefresher),
        store: new MemorySessionStore({ maxSessions: 10, now: () => clock }),
        now: () => clock,
      });
    });
    afterAll(() => app.close());

    it('ends after the idle limit, and after the absolute limit', async () => {
      const idle = await sessions.start(await signedIn(), { headers: {} });
      clock += 3_600_001;
      await expect(sessions.accessTokenOf(request(idle))).rejects.toMatchObject({ code: 'SessionExpired' });
      const active = await sessions.start(await signedIn(), { headers: {} });
      for (const minutes of [50, 50]) {
        clock += minutes * 60_000;
        expect(await sessions.accessTokenOf(request(active))).toEqual(expect.any(String));
      }
      clock += 21 * 60_000;
      await expect(sessions.accessTokenOf(request(active))).rejects.toMatchObject({ code: 'SessionExpired' });
    });

    it('refreshes near the exp through Cognito, keeping the refresh token cognito-local does not rotate', async () => {
      const tokens = await signedIn();
      // cognito-local's tokens last a day: the session starts 2 minutes before the exp, then 91 s pass.
      clock = expOf(tokens.accessToken) - 120_000;
      const started = await sessions.start(tokens, { headers: {} });
      clock += 91_000;
      const refreshed = await sessions.accessTokenOf(request(started));
      rememberSecrets(refreshed);
      expect(refreshed).not.toBe(tokens.accessToken);
      expect(
        (await sessions.end({ method: 'POST', headers: { cookie: cookieOf(started), 'x-requested-with': 'f' } }))
          .refreshToken,
      ).toBe(tokens.refreshToken);
    });

    it('ends the session when Cognito refuses the refresh token (revoked)', async () => {
      const tokens = await signedIn();
      clock = expOf(tokens.accessToken) - 120_000;
      const started = await sessions.start(tokens, { headers: {} });
      await app.get(CognitoSyncService).signOut(tokens.refreshToken);
      clock += 91_000;
      await expect(sessions.accessTokenOf(request(started))).rejects.toMatchObject({ code: 'SessionExpired' });
      await expect(sessions.accessTokenOf(request(started))).rejects.toMatchObject({ code: 'SessionInvalid' });
    });

    it('end, endAllOf and single-use, expiring tickets', async () => {
      const one = await sessions.start(await signedIn(), { headers: {} });
      const two = await sessions.start(await signedIn(), { headers: {} });
      const post = { ...request(two, 'POST'), headers: { ...request(two).headers, 'x-requested-with': 'fetch' } };
      const { ticket } = await sessions.issueTicket(post);
      expect(await sessions.redeemTicket(ticket)).toEqual(expect.any(String));
      await expect(sessions.redeemTicket(ticket)).rejects.toMatchObject({ code: 'TicketInvalid' });
      const late = await sessions.issueTicket(post);
      clock += 30_001;
      await expect(sessions.redeemTicket(late.ticket)).rejects.toMatchObject({ code: 'TicketInvalid' });
      expect(await sessions.end(post)).toMatchObject({ username: user.username });
      await expect(sessions.accessTokenOf(request(two))).rejects.toMatchObject({ code: 'SessionInvalid' });
      clock += 1;
      await sessions.endAllOf(
        user.username === undefined ? '' : (await app.get(CognitoSyncService).findUser(user.username)).attributes.sub,
      );
      await expect(sessions.accessTokenOf(request(one))).rejects.toMatchObject({ code: 'SessionExpired' });
    });
  });
});
