// The password endpoints in session mode (the `session` option, issue 26) against cognito-local, with a
// stand-in for the session store (test/support/server-sessions-stand-in.ts: CognitoServerSessions is
// wired on another branch): sign-in starts a session and sets its cookie, no answer body holds a token,
// sign-out revokes at cognito-local, GET session, ws-ticket, the CSRF and Origin refusals.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CognitoModule, CognitoSyncService } from '../../src';
import { CognitoServerSessions } from '../../src/session/cognito-server-sessions';
import { ADAPTERS, type AdapterName, appOf, createApp, http } from '../support/bootstrap';
import type { SignedInUser } from '../support/cognito-local';
import { AnswerBodies } from '../support/no-token-in-body';
import { rememberSecrets } from '../support/secrets';
import {
  STAND_IN_SESSION_COOKIE,
  StandInServerSessions,
  StandInServerSessionsModule,
} from '../support/server-sessions-stand-in';
import { type CognitoTarget, localTarget } from '../support/target';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const APP_ORIGIN = 'https://app.example';
const CSRF = { 'x-requested-with': 'fetch' };

/** Boots the app with the stand-in under CognitoServerSessions' token (also once src/ provides the real one). */
async function sessionApp(adapter: AdapterName, options: object): Promise<INestApplication> {
  const standIn = new StandInServerSessions();
  const moduleRef = await Test.createTestingModule({
    imports: [StandInServerSessionsModule.with(standIn), CognitoModule.forRoot(options as never)],
  })
    .overrideProvider(CognitoServerSessions)
    .useValue(standIn)
    .compile();
  return appOf(adapter, moduleRef);
}

describe.each(ADAPTERS)('auth endpoints in session mode (cognito-local, stand-in session store), on %s', (adapter) => {
  let target: CognitoTarget;
  let user: SignedInUser;
  let app: INestApplication;
  let sessions: StandInServerSessions;
  const bodies = new AnswerBodies();
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    user = target.user as SignedInUser;
    rememberSecrets(user.password);
    app = await sessionApp(adapter, {
      ...target.options,
      session: { secret: SECRET },
      authController: { allowedOrigins: [APP_ORIGIN] },
    });
    sessions = app.get(StandInServerSessions);
  });
  afterAll(async () => {
    await app.close();
    // Every answer any test here received: no JWT, no refresh token in any body.
    expect(bodies.count).toBeGreaterThan(10);
    expect(bodies.withTokens(sessions.started.map((tokens) => tokens.refreshToken))).toEqual([]);
  });

  const post = (path: string, headers: Record<string, string> = {}) => http(app).post(`/auth/${path}`).set(headers);
  /** Signs in from the app's page: the session cookie's `name=value`. */
  const signIn = async (): Promise<string> => {
    const res = bodies.record(
      await post('sign-in', { Origin: APP_ORIGIN }).send({ username: user.email, password: user.password }).expect(200),
    );
    const tokens = sessions.started.at(-1)!;
    rememberSecrets(tokens.accessToken, tokens.idToken, tokens.refreshToken);
    return (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };

  it('signs in: 200 { signedIn, session }, the session cookie set, every token kept on the server', async () => {
    const res = bodies.record(
      await post('sign-in', { Origin: APP_ORIGIN }).send({ username: user.email, password: user.password }).expect(200),
    );
    const tokens = sessions.started.at(-1)!;
    rememberSecrets(tokens.accessToken, tokens.idToken, tokens.refreshToken);
    expect(res.body).toEqual({
      signedIn: true,
      session: expect.objectContaining({ username: user.username, email: user.email, sub: expect.any(String) }),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toEqual([expect.stringMatching(new RegExp(`^${STAND_IN_SESSION_COOKIE}=`))]);
    // Cognito's own tokens, and the internal username a refresh's SECRET_HASH needs (a secret client).
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^eyJ/),
      idToken: expect.stringMatching(/^eyJ/),
      refreshToken: expect.any(String),
      username: user.username,
    });
  });

  it('starts a new session at every sign-in and drops the one the request named (no fixation)', async () => {
    const first = await signIn();
    const res = bodies.record(
      await post('sign-in', { Origin: APP_ORIGIN, Cookie: first })
        .send({ username: user.email, password: user.password })
        .expect(200),
    );
    rememberSecrets(sessions.started.at(-1)!.accessToken, sessions.started.at(-1)!.refreshToken);
    const second = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    expect(second).not.toBe(first);
    bodies.record(await http(app).get('/auth/session').set('Cookie', first).expect(401));
  });

  it('GET session: 200 with the summary, no-store; 401 SessionInvalid without a session', async () => {
    const cookie = await signIn();
    const res = bodies.record(await http(app).get('/auth/session').set('Cookie', cookie).expect(200));
    expect(res.body).toMatchObject({ username: user.username, groups: [] });
    expect(res.headers['cache-control']).toBe('no-store');
    const none = bodies.record(await http(app).get('/auth/session').expect(401));
    expect(none.body.code).toBe('SessionInvalid');
    expect(none.headers['cache-control']).toBe('no-store');
    const unknown = bodies.record(
      await http(app).get('/auth/session').set('Cookie', `${STAND_IN_SESSION_COOKIE}=unknown`).expect(401),
    );
    expect(unknown.body.code).toBe('SessionInvalid');
  });

  it('signs out: 204, the cookie cleared, the refresh token revoked at cognito-local; again 204', async () => {
    const cookie = await signIn();
    const { refreshToken, username } = sessions.started.at(-1)!;
    const cognito = app.get(CognitoSyncService);
    // The control: the token refreshes before the sign-out.
    rememberSecrets(...Object.values((await cognito.refreshTokens(refreshToken, { username })).AuthenticationResult!));
    const out = bodies.record(await post('sign-out', { ...CSRF, Cookie: cookie }).expect(204));
    expect(out.text).toBe('');
    expect(out.headers['cache-control']).toBe('no-store');
    expect(out.headers['set-cookie']).toEqual([expect.stringMatching(/^cognito-session=;.*Max-Age=0/)]);
    await expect(cognito.refreshTokens(refreshToken, { username })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    bodies.record(await http(app).get('/auth/session').set('Cookie', cookie).expect(401));
    // Signed out already, with the old cookie or with none: still 204.
    bodies.record(await post('sign-out', { ...CSRF, Cookie: cookie }).expect(204));
    bodies.record(await post('sign-out').expect(204));
  });

  it('ws-ticket: 200 { ticket, expiresIn } for the session, redeemed once', async () => {
    const cookie = await signIn();
    const res = bodies.record(await post('ws-ticket', { ...CSRF, Cookie: cookie }).expect(200));
    expect(res.body).toEqual({ ticket: expect.any(String), expiresIn: 30 });
    expect(res.headers['cache-control']).toBe('no-store');
    await expect(sessions.redeemTicket(res.body.ticket)).resolves.toBe(sessions.started.at(-1)!.accessToken);
    const none = bodies.record(await post('ws-ticket', CSRF).expect(401));
    expect(none.body.code).toBe('SessionInvalid');
  });

  it.each([
    ['without the CSRF header or an Origin', {}],
    ['from another Origin', { Origin: 'https://evil.example' }],
  ])('refuses a cross-site sign-out and ws-ticket %s: 403 CsrfCheckFailed, the session kept', async (_, headers) => {
    const cookie = await signIn();
    for (const path of ['sign-out', 'ws-ticket']) {
      const res = bodies.record(await post(path, { ...headers, Cookie: cookie }).expect(403));
      expect(res.body).toMatchObject({
        code: 'CsrfCheckFailed',
        message: 'A request with the session cookie needs the x-requested-with header or an allowed Origin',
      });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    bodies.record(await http(app).get('/auth/session').set('Cookie', cookie).expect(200));
    // An allowed Origin stands for the header.
    bodies.record(await post('ws-ticket', { Origin: APP_ORIGIN, Cookie: cookie }).expect(200));
  });

  it.each([
    ['another Origin', { Origin: 'https://evil.example' }],
    ['Origin: null (an opaque origin)', { Origin: 'null' }],
  ])('refuses sign-in and challenge from %s (allowedOrigins): 403 CsrfCheckFailed, no session', async (_, headers) => {
    const count = sessions.started.length;
    const signInRes = bodies.record(
      await post('sign-in', { ...CSRF, ...headers }).send({ username: user.email, password: user.password }),
    );
    expect([signInRes.status, signInRes.body.code]).toEqual([403, 'CsrfCheckFailed']);
    const challenge = bodies.record(
      await post('challenge', { ...CSRF, ...headers }).send({
        challengeName: 'NEW_PASSWORD_REQUIRED',
        session: 's',
        username: user.email,
        responses: { NEW_PASSWORD: 'Another-passw0rd!' },
      }),
    );
    expect([challenge.status, challenge.body.code]).toEqual([403, 'CsrfCheckFailed']);
    expect(signInRes.headers['set-cookie']).toBeUndefined();
    expect(sessions.started.length).toBe(count);
  });

  it('signs in without an Origin (curl, an app, a server: browsers send one on every cross-origin POST)', async () => {
    const count = sessions.started.length;
    const res = bodies.record(await post('sign-in').send({ username: user.email, password: user.password }));
    expect([res.status, res.body.signedIn]).toEqual([200, true]);
    const tokens = sessions.started.at(-1)!;
    rememberSecrets(tokens.accessToken, tokens.idToken, tokens.refreshToken);
    expect(sessions.started.length).toBe(count + 1);
  });

  it('does not serve refresh (404): a session refreshes itself on the server', async () => {
    const cookie = await signIn();
    const res = bodies.record(
      await post('refresh', { ...CSRF, Cookie: cookie })
        .send({})
        .expect(404),
    );
    expect(res.body.code).toBe('NotFound');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe.each(ADAPTERS)('session routes and options outside session mode (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  it('answers GET session and POST ws-ticket with 404 without the session option', async () => {
    const app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...target.options, authController: true })],
    });
    try {
      const session = await http(app).get('/auth/session').expect(404);
      expect(session.body).toMatchObject({ statusCode: 404, code: 'NotFound' });
      expect(session.headers['cache-control']).toBe('no-store');
      expect((await http(app).post('/auth/ws-ticket').set(CSRF).expect(404)).body.code).toBe('NotFound');
    } finally {
      await app.close();
    }
  });

  it('refuses session with authController.cookie at startup, naming both options', async () => {
    await expect(
      sessionApp(adapter, { ...target.options, session: { secret: SECRET }, authController: { cookie: {} } }),
    ).rejects.toThrow(/session and authController\.cookie cannot be set together/);
  });
});
