// Managed login (issue 26): GET login, GET callback, POST logout against the real cognito-local through
// the testing kit's OAuth front, the browser played by hand (redirects read, not followed). Sessions are
// a stand-in (test/support/managed-login-sessions-stand-in.ts) so that the test reads the tokens a login
// stored; managed-login-sessions.e2e-spec.ts runs the flow on the real CognitoServerSessions.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createHash, randomBytes } from 'node:crypto';
import { CognitoModule } from '../../src';
import { CognitoServerSessions } from '../../src/session/cognito-server-sessions';
import { type CognitoLocal, type CognitoLocalOAuth, startCognitoLocal } from '../../src/testing';
import { ADAPTERS, appOf, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';
import { ServerSessionsStandIn, STAND_IN_SESSION_COOKIE } from '../support/managed-login-sessions-stand-in';
import { cookieHeader, FORM, type Jar, keep, signInAtCognito as signInAt } from '../support/managed-login-browser';

const PASSWORD = 'Login-passw0rd!';
// The app's addresses as the browser would see them; nothing listens there (the test calls the app itself).
const APP = 'http://localhost:3000';
const CALLBACK = `${APP}/auth/callback`;
const SIGNED_OUT = `${APP}/signed-out`;
const SECRET = 'a-session-secret-of-at-least-32-characters';

describe.each(ADAPTERS)('managed login: GET login, GET callback, POST logout (%s)', (adapter) => {
  let local: CognitoLocal;
  let oauth: CognitoLocalOAuth;
  let app: INestApplication;
  let sessions: ServerSessionsStandIn;

  beforeAll(async () => {
    local = await startCognitoLocal({
      users: [{ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } }],
      oauth: { callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT], tokenValiditySeconds: 300 },
    });
    oauth = local.oauth!;
    rememberSecrets(local.clients.withSecret.clientSecret, SECRET);
    sessions = new ServerSessionsStandIn();
    const moduleRef = await Test.createTestingModule({
      imports: [
        CognitoModule.forRoot({
          ...local.moduleOptions,
          authController: true,
          session: { secret: SECRET },
          managedLogin: {
            domain: oauth.domain,
            redirectUri: CALLBACK,
            logoutUri: SIGNED_OUT,
            scopes: ['openid', 'email', 'profile'],
            identityProviders: ['Google'],
          },
        }),
      ],
    })
      .overrideProvider(CognitoServerSessions)
      .useValue(sessions)
      .compile();
    app = await appOf(adapter, moduleRef);
  });
  afterAll(async () => {
    await app?.close();
    await local?.close();
  });

  /** GET <path>/login: the authorize URL, the login cookie in the jar. */
  async function startLogin(jar: Jar, query = '?returnTo=/dashboard') {
    const answer = await http(app).get(`/auth/login${query}`).set('cookie', cookieHeader(jar));
    expect(answer.status).toBe(302);
    expect(answer.headers['cache-control']).toBe('no-store');
    keep(jar, answer.headers['set-cookie']);
    return new URL(answer.headers.location as string);
  }

  /** The browser at Cognito: the form, posted with `override` (another nonce or challenge); the code and state. */
  const signInAtCognito = (authorize: URL, override: Record<string, string> = {}) =>
    signInAt({ domain: oauth.domain, callback: CALLBACK, username: 'ann', password: PASSWORD }, authorize, override);

  const callback = (jar: Jar, query: Record<string, string>) =>
    http(app)
      .get(`/auth/callback?${new URLSearchParams(query).toString()}`)
      .set('cookie', cookieHeader(jar));

  function expectRefusal(answer: { status: number; body: unknown }, status: number, code: string) {
    expect({ status: answer.status, code: (answer.body as { code?: unknown }).code }).toEqual({ status, code });
  }

  it('signs in through the managed login and out through Cognito /logout back to logoutUri', async () => {
    const jar: Jar = new Map();
    const authorize = await startLogin(jar);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${oauth.domain}/oauth2/authorize`);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: local.clients.withSecret.clientId,
      redirect_uri: CALLBACK,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(params[name]).toMatch(/^[\w-]{43}$/);
    expect(params).not.toHaveProperty('identity_provider');

    const { code, state } = await signInAtCognito(authorize);
    rememberSecrets(code);
    const done = await callback(jar, { code, state });
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/dashboard');
    expect(done.headers['cache-control']).toBe('no-store');
    keep(jar, done.headers['set-cookie']);
    const sessionId = jar.get(STAND_IN_SESSION_COOKIE)!;
    const session = sessions.sessions.get(sessionId)!;
    rememberSecrets(session.accessToken, session.idToken, session.refreshToken);
    expect(session.username).toBe('ann');
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString()) as {
      username: string;
    };
    expect(claims.username).toBe('ann');
    // No token in the answer: only the session cookie and the login's used mark.
    expect(JSON.stringify(done.headers)).not.toContain(session.refreshToken);

    const out = await http(app).post('/auth/logout').set('origin', APP).set('cookie', cookieHeader(jar)).type('form');
    expect(out.status).toBe(303);
    expect(out.headers['cache-control']).toBe('no-store');
    keep(jar, out.headers['set-cookie']);
    expect(jar.has(STAND_IN_SESSION_COOKIE)).toBe(false);
    expect(sessions.sessions.has(sessionId)).toBe(false);
    const logout = new URL(out.headers.location as string);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${oauth.domain}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: local.clients.withSecret.clientId,
      logout_uri: SIGNED_OUT,
    });
    const atCognito = await fetch(logout, { redirect: 'manual' });
    expect(atCognito.status).toBe(302);
    expect(atCognito.headers.get('location')).toBe(SIGNED_OUT);

    // The refresh token was revoked at /oauth2/revoke: Cognito refuses it now.
    const { clientId, clientSecret } = local.clients.withSecret;
    const refreshed = await fetch(`${oauth.domain}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: session.refreshToken }).toString(),
    });
    expect(refreshed.status).toBe(400);
  });

  it('refuses a replayed state (400 LoginStateInvalid) after a finished login', async () => {
    const jar: Jar = new Map();
    const { code, state } = await signInAtCognito(await startLogin(jar));
    rememberSecrets(code);
    const first = await callback(jar, { code, state });
    expect(first.status).toBe(302);
    keep(jar, first.headers['set-cookie']);
    rememberSecrets(...[...sessions.sessions.values()].flatMap((s) => [s.accessToken, s.idToken, s.refreshToken]));
    expectRefusal(await callback(jar, { code, state }), 400, 'LoginStateInvalid');
  });

  it('refuses a wrong state (400 LoginStateInvalid) and clears no session', async () => {
    const jar: Jar = new Map();
    const { code } = await signInAtCognito(await startLogin(jar));
    rememberSecrets(code);
    const before = sessions.sessions.size;
    const answer = await callback(jar, { code, state: randomBytes(32).toString('base64url') });
    expectRefusal(answer, 400, 'LoginStateInvalid');
    expect(answer.headers['cache-control']).toBe('no-store');
    expectRefusal(await callback(new Map(), { code, state: 'x' }), 400, 'LoginStateInvalid');
    expect(sessions.sessions.size).toBe(before);
  });

  it('refuses a code already used, with its login cookie copied to another browser (401 LoginFailed)', async () => {
    const jar: Jar = new Map();
    const { code, state } = await signInAtCognito(await startLogin(jar));
    rememberSecrets(code);
    // The login cookie, copied before the callback: right state and PKCE verifier, but the code is spent.
    const copy: Jar = new Map(jar);
    expect((await callback(jar, { code, state })).status).toBe(302);
    rememberSecrets(...[...sessions.sessions.values()].flatMap((s) => [s.accessToken, s.idToken, s.refreshToken]));
    const before = sessions.sessions.size;
    expectRefusal(await callback(copy, { code, state }), 401, 'LoginFailed');
    expect(sessions.sessions.size).toBe(before);
  });

  it('refuses a code issued for another PKCE challenge, i.e. a wrong verifier (401 LoginFailed)', async () => {
    const jar: Jar = new Map();
    const other = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const { code, state } = await signInAtCognito(await startLogin(jar), { code_challenge: other });
    rememberSecrets(code);
    expectRefusal(await callback(jar, { code, state }), 401, 'LoginFailed');
  });

  it('refuses an ID token that carries another nonce (the emulator issues one; 401 LoginFailed)', async () => {
    const jar: Jar = new Map();
    const before = sessions.sessions.size;
    const { code, state } = await signInAtCognito(await startLogin(jar), {
      nonce: randomBytes(32).toString('base64url'),
    });
    rememberSecrets(code);
    const refused = await callback(jar, { code, state });
    expectRefusal(refused, 401, 'LoginFailed');
    expect(sessions.sessions.size).toBe(before);
    // The login's cookie became a used mark with the refusal: no second try with that state.
    keep(jar, refused.headers['set-cookie']);
    expectRefusal(await callback(jar, { code, state }), 400, 'LoginStateInvalid');
  });

  it('answers a login cancelled at Cognito (error=access_denied) with a 302 to returnTo and loginError', async () => {
    const jar: Jar = new Map();
    const state = (await startLogin(jar, '?returnTo=/reports%3Fpage%3D2')).searchParams.get('state')!;
    const answer = await callback(jar, { error: 'access_denied', state });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/reports?page=2&loginError=access_denied');
    keep(jar, answer.headers['set-cookie']);
    // Without the login's state, the same error is a refusal, not a redirect.
    expectRefusal(await callback(jar, { error: 'access_denied', state }), 400, 'LoginStateInvalid');
    // Cognito's error code goes into the flag only when it looks like one.
    const next = (await startLogin(jar)).searchParams.get('state')!;
    const odd = await callback(jar, { error: '<script>', state: next });
    expect(odd.headers.location).toBe('/dashboard?loginError=unknown');
  });

  it('refuses an off-site returnTo (400 ReturnToRefused), setting no login cookie', async () => {
    const offSite = ['https://evil.example/', '//evil.example/x', '/..//evil.example'];
    const queries = [
      ...offSite.map((returnTo) => `returnTo=${encodeURIComponent(returnTo)}`),
      'returnTo=/a&returnTo=/b',
    ];
    for (const query of queries) {
      const answer = await http(app).get(`/auth/login?${query}`);
      expectRefusal(answer, 400, 'ReturnToRefused');
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  it('goes straight to a configured provider, and refuses another one (400 UnknownIdentityProvider)', async () => {
    const authorize = await startLogin(new Map(), '?provider=Google');
    expect(authorize.searchParams.get('identity_provider')).toBe('Google');
    expectRefusal(await http(app).get('/auth/login?provider=Facebook'), 400, 'UnknownIdentityProvider');
    expectRefusal(await http(app).get('/auth/login?provider=Google&provider=Google'), 400, 'UnknownIdentityProvider');
  });

  it('hands sessions.start the request: a session cookie from before sign-in is replaced (fixation)', async () => {
    const planted = (await sessions.start({ accessToken: 'a', idToken: 'i', refreshToken: 'r' }, {}))[0];
    const jar: Jar = new Map();
    keep(jar, planted);
    const old = jar.get(STAND_IN_SESSION_COOKIE)!;
    const { code, state } = await signInAtCognito(await startLogin(jar));
    rememberSecrets(code);
    const done = await callback(jar, { code, state });
    expect(done.status).toBe(302);
    keep(jar, done.headers['set-cookie']);
    rememberSecrets(...[...sessions.sessions.values()].flatMap((s) => [s.accessToken, s.idToken, s.refreshToken]));
    expect(jar.get(STAND_IN_SESSION_COOKIE)).not.toBe(old);
    expect(sessions.sessions.has(old)).toBe(false);
  });

  it('refuses a cross-site logout (403 CsrfCheckFailed) and keeps the session', async () => {
    const id = (await sessions.start({ accessToken: 'a', idToken: 'i', refreshToken: 'r' }, {}))[0]
      .split(';')[0]
      .split('=')[1];
    const cookie = `${STAND_IN_SESSION_COOKIE}=${id}`;
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3001']) {
      const answer = await http(app).post('/auth/logout').set('origin', origin).set('cookie', cookie).type('form');
      expectRefusal(answer, 403, 'CsrfCheckFailed');
    }
    expectRefusal(await http(app).post('/auth/logout').set('cookie', cookie).type('form'), 403, 'CsrfCheckFailed');
    expect(sessions.sessions.has(id)).toBe(true);
    // No Origin but the CSRF header (a script, not a form): allowed.
    const scripted = await http(app).post('/auth/logout').set('x-requested-with', 'fetch').set('cookie', cookie);
    expect(scripted.status).toBe(303);
    expect(sessions.sessions.has(id)).toBe(false);
  });

  it(
    "password sign-in with the default allowedOrigins (redirectUri's origin), real sessions: no Origin (curl, an " +
      "app) and the app's own sign in; another Origin or Origin: null is 403 CsrfCheckFailed",
    async () => {
      const managedLogin = { domain: oauth.domain, redirectUri: CALLBACK, logoutUri: SIGNED_OUT };
      const real = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({
            ...local.moduleOptions,
            authController: true,
            session: { secret: SECRET },
            managedLogin,
          }),
        ],
      });
      try {
        const signIn = (origin?: string) => {
          const request = http(real).post('/auth/sign-in');
          const body = { username: 'ann', password: PASSWORD };
          return (origin === undefined ? request : request.set('origin', origin)).send(body);
        };
        for (const origin of [undefined, APP]) {
          const answer = await signIn(origin);
          expect({ origin, status: answer.status, signedIn: answer.body.signedIn }).toEqual({
            origin,
            status: 200,
            signedIn: true,
          });
          expect(answer.headers['set-cookie']).toEqual([expect.stringMatching(/^cognito-session=/)]);
        }
        for (const origin of ['https://evil.example', 'null']) {
          const answer = await signIn(origin);
          expectRefusal(answer, 403, 'CsrfCheckFailed');
          expect(answer.body.message).toBe('This origin may not sign in');
          expect(answer.headers['set-cookie']).toBeUndefined();
        }
      } finally {
        await real.close();
      }
    },
  );
});

describe.each(ADAPTERS)('managed login: registration and OpenAPI (%s)', (adapter) => {
  let local: CognitoLocal;
  beforeAll(async () => {
    local = await startCognitoLocal({ oauth: { callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT] } });
    rememberSecrets(local.clients.withSecret.clientSecret, SECRET);
  });
  afterAll(() => local?.close());

  it('documents login (302), callback (302) and logout (303) with their error codes', async () => {
    const managedLogin = { domain: local.oauth!.domain, redirectUri: CALLBACK, logoutUri: SIGNED_OUT };
    const moduleRef = await Test.createTestingModule({
      imports: [
        CognitoModule.forRoot({
          ...local.moduleOptions,
          authController: true,
          session: { secret: SECRET },
          managedLogin,
        }),
      ],
    })
      .overrideProvider(CognitoServerSessions)
      .useValue(new ServerSessionsStandIn())
      .compile();
    const app = await appOf(adapter, moduleRef);
    try {
      const { paths } = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      const statuses = (path: string, method: 'get' | 'post') =>
        Object.keys((paths[path]?.[method]?.responses ?? {}) as object).sort();
      expect(statuses('/auth/login', 'get')).toEqual(['302', '400']);
      expect(statuses('/auth/callback', 'get')).toEqual(['302', '400', '401', '503']);
      expect(statuses('/auth/logout', 'post')).toEqual(['303', '403', '503']);
      const examples = JSON.stringify(paths['/auth/callback'].get!.responses);
      for (const code of ['LoginStateInvalid', 'LoginFailed']) expect(examples).toContain(code);
    } finally {
      await app.close();
    }
  });

  it('without managedLogin: no route with forRoot, 404 with forRootAsync (known only at startup)', async () => {
    const sync = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...local.moduleOptions, authController: true })],
    });
    const async_ = await createApp(adapter, {
      imports: [CognitoModule.forRootAsync({ authController: true, useFactory: () => local.moduleOptions })],
    });
    try {
      for (const app of [sync, async_]) {
        expect((await http(app).get('/auth/login')).status).toBe(404);
        expect((await http(app).post('/auth/logout').set('x-requested-with', 'x')).status).toBe(404);
      }
      const { paths } = SwaggerModule.createDocument(sync, new DocumentBuilder().build());
      expect(Object.keys(paths)).not.toContain('/auth/login');
    } finally {
      await sync.close();
      await async_.close();
    }
  });
});
