// Managed login on the REAL server-side sessions (CognitoServerSessions, no stand-in), against the real
// cognito-local through the testing kit's OAuth front, the browser played by hand: login, the emulator's
// form, callback, the session cookie on a guarded route, GET session, POST ws-ticket and a socket.io
// gateway admitting by ticket only, logout through Cognito's /logout; fixation, tampered and foreign
// cookies. Express and Fastify.
import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import type { Response } from 'supertest';
import {
  CognitoAuthGuard,
  CognitoModule,
  CognitoSessionAuthenticator,
  CognitoUser,
  withCognitoHandshake,
} from '../../src';
import { type CognitoLocal, startCognitoLocal } from '../../src/testing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { listen } from '../support/listening';
import { cookieHeader, type Jar, keep, signInAtCognito } from '../support/managed-login-browser';
import { AnswerBodies } from '../support/no-token-in-body';
import { RedisServer } from '../support/redis-server';
import { rememberSecrets } from '../support/secrets';
import { connectSocket } from '../support/socket-clients';

const PASSWORD = 'Sessions-login-passw0rd!';
// The app's addresses as the browser sees them (plain http on loopback: the cookie is `cognito-session`).
const APP = 'http://localhost:3000';
const CALLBACK = `${APP}/auth/callback`;
const SIGNED_OUT = `${APP}/signed-out`;
const SECRET = 'a-managed-login-session-secret-of-32-characters';
const OTHER_SECRET = 'another-app-session-secret-of-at-least-32-chars';
const COOKIE = 'cognito-session';

@Controller('app')
class MeController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

@UseGuards(CognitoAuthGuard)
@WebSocketGateway({ path: '/ws' })
class MeGateway {
  @SubscribeMessage('me')
  me(@CognitoUser('username') username: string) {
    return { event: 'me', data: { username } };
  }
}

const refusal = (code: string) => ({
  event: 'exception',
  data: expect.objectContaining({ statusCode: 401, code }),
});

describe.each(ADAPTERS)('managed login on the real server-side sessions (%s)', (adapter) => {
  let local: CognitoLocal;
  let redis: RedisServer;
  let stores: Keyv[] = [];
  let app: INestApplication;
  let other: INestApplication;
  let url: string;
  const bodies = new AnswerBodies();
  const record = (res: Response) => bodies.record(res);

  /** An app with managed login and sessions in the shared Redis, sealed with `secret`. */
  async function appWith(secret: string): Promise<INestApplication> {
    const store = createKeyv(redis.url);
    stores.push(store);
    const oauth = local.oauth!;
    const options: Parameters<typeof CognitoModule.forRoot>[0] = {
      ...local.moduleOptions,
      authGuard: true,
      authController: true,
      session: { secret, store },
      managedLogin: { domain: oauth.domain, redirectUri: CALLBACK, logoutUri: SIGNED_OUT },
    };
    return createApp(
      adapter,
      { imports: [CognitoModule.forRoot(options)], controllers: [MeController], providers: [MeGateway] },
      (app) => {
        const sessions = app.get(CognitoSessionAuthenticator);
        app.useWebSocketAdapter(withCognitoHandshake(new IoAdapter(app), { sessions }));
      },
    );
  }

  beforeAll(async () => {
    redis = await new RedisServer().start();
    local = await startCognitoLocal({
      users: [{ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } }],
      oauth: { callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT], tokenValiditySeconds: 300 },
    });
    rememberSecrets(local.clients.withSecret.clientSecret, SECRET, OTHER_SECRET);
    app = await appWith(SECRET);
    url = await listen(app);
    other = await appWith(OTHER_SECRET);
  });
  afterAll(async () => {
    expect(bodies.count).toBeGreaterThan(10);
    expect(bodies.withTokens()).toEqual([]);
    await app?.close();
    await other?.close();
    for (const store of stores) await store.disconnect();
    stores = [];
    await local?.close();
    await redis?.close();
  });

  /** The whole login as a browser does it: GET login, the emulator's form, GET callback. */
  async function logIn(jar: Jar): Promise<string> {
    const login = record(await http(app).get('/auth/login?returnTo=/dashboard').set('cookie', cookieHeader(jar)));
    expect(login.status).toBe(302);
    keep(jar, login.headers['set-cookie']);
    const authorize = new URL(login.headers.location as string);
    const emulator = { domain: local.oauth!.domain, callback: CALLBACK, username: 'ann', password: PASSWORD };
    const { code, state } = await signInAtCognito(emulator, authorize);
    rememberSecrets(code);
    const query = new URLSearchParams({ code, state }).toString();
    const done = record(await http(app).get(`/auth/callback?${query}`).set('cookie', cookieHeader(jar)));
    expect([done.status, done.headers.location]).toEqual([302, '/dashboard']);
    keep(jar, done.headers['set-cookie']);
    expect(jar.get(COOKIE)).toMatch(/^[\w.-]+$/);
    return `${COOKIE}=${jar.get(COOKIE)}`;
  }

  const me = async (target: INestApplication, cookie: string) =>
    record(await http(target).get('/app/me').set('cookie', cookie));
  const expectRefused = (res: Response, code: string) => expect([res.status, res.body.code]).toEqual([401, code]);

  it(
    'signs in through the emulator onto a session: the guarded route, GET session without a token, a ws ' +
      'ticket; logout through Cognito /logout to logoutUri, the old cookie refused after',
    async () => {
      const jar: Jar = new Map();
      const cookie = await logIn(jar);
      expect((await me(app, cookie)).body).toEqual({ username: 'ann' });
      const summary = record(await http(app).get('/auth/session').set('cookie', cookie));
      expect(summary.status).toBe(200);
      expect(summary.body).toMatchObject({ username: 'ann', email: 'ann@example.com', groups: [] });
      expect(Object.keys(summary.body).filter((key) => /token/i.test(key) && !/ExpiresAt$/.test(key))).toEqual([]);
      const ticket = record(
        await http(app).post('/auth/ws-ticket').set('cookie', cookie).set('x-requested-with', 'fetch'),
      );
      expect([ticket.status, ticket.body]).toEqual([200, { ticket: expect.any(String), expiresIn: 30 }]);

      const out = record(await http(app).post('/auth/logout').set('origin', APP).set('cookie', cookie).type('form'));
      expect(out.status).toBe(303);
      keep(jar, out.headers['set-cookie']);
      expect(jar.has(COOKIE)).toBe(false);
      const logout = new URL(out.headers.location as string);
      expect(`${logout.origin}${logout.pathname}`).toBe(`${local.oauth!.domain}/logout`);
      const atCognito = await fetch(logout, { redirect: 'manual' });
      expect([atCognito.status, atCognito.headers.get('location')]).toEqual([302, SIGNED_OUT]);
      expectRefused(await me(app, cookie), 'SessionInvalid');
    },
  );

  it('replaces a session cookie planted before sign-in (fixation): the planted one is refused after', async () => {
    // The attacker's own session, its cookie planted in the victim's browser.
    const planted = await logIn(new Map());
    const jar: Jar = new Map([[COOKIE, planted.slice(COOKIE.length + 1)]]);
    const after = await logIn(jar);
    expect(after).not.toBe(planted);
    expect((await me(app, after)).status).toBe(200);
    expectRefused(await me(app, planted), 'SessionInvalid');
  });

  it('refuses a tampered cookie and one sealed with another secret (401 SessionInvalid)', async () => {
    const cookie = await logIn(new Map());
    const value = cookie.slice(COOKIE.length + 1);
    const flipped = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
    expectRefused(await me(app, `${COOKIE}=${flipped}`), 'SessionInvalid');
    // Another app on the same store, with another secret: the record does not open.
    expectRefused(await me(other, cookie), 'SessionInvalid');
    expect((await me(app, cookie)).status).toBe(200);
  });

  it('refuses a socket with the session cookie only, admits one with a ticket, refuses the ticket again', async () => {
    const cookie = await logIn(new Map());
    const byCookie = await connectSocket('socket.io', url, '/ws', { cookie });
    try {
      expect(await byCookie.ask('me')).toEqual(refusal('TokenMissing'));
    } finally {
      byCookie.close();
    }
    const issued = record(await http(app).post('/auth/ws-ticket').set('cookie', cookie).set('x-requested-with', 'f'));
    const { ticket } = issued.body as { ticket: string };
    rememberSecrets(ticket);
    const admitted = await connectSocket('socket.io', url, '/ws', { ticket });
    try {
      expect(await admitted.ask('me')).toEqual({ event: 'me', data: { username: 'ann' } });
    } finally {
      admitted.close();
    }
    const replayed = await connectSocket('socket.io', url, '/ws', { ticket });
    try {
      expect(await replayed.ask('me')).toEqual(refusal('TicketInvalid'));
    } finally {
      replayed.close();
    }
  });
});
