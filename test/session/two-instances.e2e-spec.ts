// Server-side sessions across two app instances sharing one real redis-server (session.store and
// sharedRefresh on a Keyv over @keyv/redis), against the real cognito-local with access tokens of a few
// seconds (the kit's tokenValiditySeconds), on Express and Fastify. Cognito calls are counted at the
// SDK boundary (CognitoCaller.send); rotation, which cognito-local lacks, is a stand-in there too.
import { createHmac, randomBytes } from 'node:crypto';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import type KeyvRedis from '@keyv/redis';
import { createClient, createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import type { Response } from 'supertest';
import {
  CognitoModule,
  type CognitoModuleOptions,
  CognitoServerSessions,
  CognitoSyncService,
  CognitoUser,
} from '../../src';
import { CognitoCaller } from '../../src/internal/cognito-api';
import { type CognitoLocal, startCognitoLocal } from '../../src/testing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { AnswerBodies } from '../support/no-token-in-body';
import { RedisServer } from '../support/redis-server';
import { rememberSecrets } from '../support/secrets';

const SECRET = 'a-two-instances-session-secret-of-32-characters';
const PASSWORD = 'Two-instances-passw0rd!';
const VALIDITY_SECONDS = 3;

@Controller('app')
class MeController {
  @Get('me')
  me(@CognitoUser('sub') sub: string) {
    return { sub };
  }
}

interface Instance {
  app: INestApplication;
  store: Keyv;
}

type Send = CognitoCaller['send'];
type Builder = Parameters<Send>[1];
/** What the counting spy lets through: the real call, or a stand-in's answer. */
type Through = (original: Send, operation: string, builder: Builder, rest: unknown[]) => Promise<unknown>;

/** Resolves once the wall clock is past `epochMs` (a bounded wait for the token's own expiry). */
const past = (epochMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now() + 50)));

describe.each(ADAPTERS)('sessions across two instances on one redis-server (cognito-local), on %s', (adapter) => {
  let local: CognitoLocal;
  let redis: RedisServer;
  let instances: Instance[] = [];
  const bodies = new AnswerBodies();
  const refreshCalls: string[] = [];
  /** The refresh tokens Cognito issued at sign-in, as the SDK answered them. */
  const signedInRefreshTokens: string[] = [];
  const globalSignOuts: string[] = [];

  beforeAll(async () => {
    redis = await new RedisServer().start();
    local = await startCognitoLocal({ tokenValiditySeconds: VALIDITY_SECONDS });
    rememberSecrets(local.clients.withSecret.clientSecret, SECRET);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const { app, store } of instances) {
      await app.close();
      await store.disconnect();
    }
    instances = [];
    refreshCalls.length = 0;
    globalSignOuts.length = 0;
    signedInRefreshTokens.length = 0;
  });
  afterAll(async () => {
    expect(bodies.count).toBeGreaterThan(0);
    expect(bodies.withTokens()).toEqual([]);
    await local?.close();
    await redis?.close();
  });

  /** One instance: its own registration and connection to the shared Redis; Cognito's refreshes counted. */
  async function instance(extra: Partial<CognitoModuleOptions> = {}, through?: Through): Promise<Instance> {
    const store = createKeyv(redis.url);
    // The outage test stops Redis: the client reconnects by itself and says so as error events.
    (store.store as KeyvRedis<string>).client.on('error', () => undefined);
    const app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...local.moduleOptions,
          ...extra,
          authGuard: true,
          authController: true,
          session: { secret: SECRET, store },
          sharedRefresh: { store, windowSeconds: 5 },
        }),
      ],
      controllers: [MeController],
    });
    const caller = app.get(CognitoCaller);
    const original = caller.send.bind(caller) as Send;
    jest.spyOn(caller, 'send').mockImplementation(((operation: string, builder: Builder, ...rest: unknown[]) => {
      // cognito-local lacks AdminUserGlobalSignOut: a stand-in answers it here.
      if (operation === 'globalSignOut') {
        globalSignOuts.push(operation);
        return Promise.resolve({});
      }
      if (operation !== 'refreshTokens') {
        return (original as (...a: unknown[]) => Promise<unknown>)(operation, builder, ...rest).then((output) => {
          const token = (output as { AuthenticationResult?: { RefreshToken?: string } })?.AuthenticationResult
            ?.RefreshToken;
          if (token !== undefined) signedInRefreshTokens.push(token);
          return output;
        });
      }
      refreshCalls.push(operation);
      return through
        ? through(original, operation, builder, rest)
        : (original as (...a: unknown[]) => unknown)(operation, builder, ...rest);
    }) as never);
    return { app, store };
  }

  const record = (res: Response) => bodies.record(res);

  /** Resolves once the instance's Redis client is connected (again). */
  const ready = ({ store }: Instance) => {
    const client = (store.store as KeyvRedis<string>).client as ReturnType<typeof createClient>;
    return client.isReady ? undefined : new Promise<void>((resolve) => client.once('ready', () => resolve()));
  };

  /** Signs `email` in on `app` through POST /auth/sign-in: the session cookie and the summary. */
  async function signIn(app: INestApplication, email: string) {
    const res = record(await http(app).post('/auth/sign-in').send({ username: email, password: PASSWORD }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ signedIn: true, session: { username: email } });
    const cookie = String([res.headers['set-cookie']].flat()[0]).split(';')[0];
    return { cookie, summary: res.body.session as { sub: string; accessTokenExpiresAt: number } };
  }

  const me = async (app: INestApplication, cookie: string) =>
    record(await http(app).get('/app/me').set('Cookie', cookie));
  const summaryOf = async (app: INestApplication, cookie: string) =>
    record(await http(app).get('/auth/session').set('Cookie', cookie));

  it('serves on B a session started on A', async () => {
    await local.createUser({ username: 'shared@example.com', password: PASSWORD });
    instances = [await instance(), await instance()];
    const [a, b] = instances.map(({ app }) => app);
    const { cookie, summary } = await signIn(a, 'shared@example.com');
    const answer = await me(b, cookie);
    expect([answer.status, answer.body]).toEqual([200, { sub: summary.sub }]);
    expect((await summaryOf(b, cookie)).body).toMatchObject({ sub: summary.sub, username: 'shared@example.com' });
  });

  it("serves a fresh instance's first burst of requests while its Redis client first connects", async () => {
    await local.createUser({ username: 'burst@example.com', password: PASSWORD });
    instances = [await instance(), await instance()];
    const [a, b] = instances.map(({ app }) => app);
    const { cookie, summary } = await signIn(a, 'burst@example.com');
    // B has not talked to Redis yet: the first request connects, the others arrive while it does.
    const answers = await Promise.all(Array.from({ length: 10 }, () => me(b, cookie)));
    expect(answers.map((r) => [r.status, r.body.sub ?? r.body])).toEqual(Array(10).fill([200, summary.sub]));
  });

  it(
    'serves 20 concurrent requests on A and B after the access token expired with one Cognito refresh, and the ' +
      'session keeps a valid refresh token',
    async () => {
      await local.createUser({ username: 'expiry@example.com', password: PASSWORD });
      instances = [await instance(), await instance()];
      const [a, b] = instances.map(({ app }) => app);
      const { cookie, summary } = await signIn(a, 'expiry@example.com');
      for (const round of [1, 2]) {
        const { accessTokenExpiresAt } = (await summaryOf(b, cookie)).body as { accessTokenExpiresAt: number };
        await past(accessTokenExpiresAt * 1000);
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => me(i % 2 ? b : a, cookie)));
        expect(answers.map((r) => [r.status, r.body.sub ?? r.body])).toEqual(Array(20).fill([200, summary.sub]));
        // Measured: one refresh reaches Cognito per expiry for the 20 requests over both instances.
        expect(refreshCalls).toHaveLength(round);
      }
      // The refresh token the session holds still refreshes at Cognito (cognito-local does not rotate).
      const ended = await instances[1].app
        .get(CognitoSyncService)
        .refreshTokens(await refreshTokenOf(b, cookie), { username: 'expiry@example.com' });
      rememberSecrets(ended.AuthenticationResult?.AccessToken, ended.AuthenticationResult?.IdToken);
      expect(ended.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    },
  );

  /** The refresh token a session holds, read by ending it on `app` (sign-out revokes nothing here). */
  async function refreshTokenOf(app: INestApplication, cookie: string): Promise<string> {
    const { refreshToken } = await app
      .get(CognitoServerSessions)
      .end({ method: 'POST', headers: { cookie, 'x-requested-with': 'fetch' } });
    rememberSecrets(refreshToken);
    return refreshToken!;
  }

  it(
    'with refresh-token rotation (a stand-in at the SDK boundary: cognito-local does not rotate), both ' +
      'instances end up with the one rotated token and the rotated-out one is never presented again',
    async () => {
      const username = 'rotation@example.com';
      const { sub } = await local.createUser({ username, password: PASSWORD });
      const { clientId, clientSecret } = local.clients.withSecret;
      // Each rotated token stands for cognito-local's own one, and works once.
      const live = new Map<string, string>();
      const presented: string[] = [];
      const rotating: Through = async (original, operation, builder, rest) => {
        const input = (
          builder({
            GetTokensFromRefreshTokenCommand: class {
              constructor(readonly input: object) {}
            },
          } as never) as {
            input: { RefreshToken: string };
          }
        ).input;
        presented.push(input.RefreshToken);
        const real = live.get(input.RefreshToken);
        if (real === undefined)
          throw Object.assign(new Error('Refresh token has been reused'), { name: 'RefreshTokenReuseException' });
        live.delete(input.RefreshToken);
        const secretHash = createHmac('sha256', clientSecret)
          .update(username + clientId)
          .digest('base64');
        const output = (await (original as (...a: unknown[]) => Promise<{ AuthenticationResult: object }>)(
          operation,
          (sdk: { AdminInitiateAuthCommand: new (input: object) => unknown }) =>
            new sdk.AdminInitiateAuthCommand({
              UserPoolId: local.moduleOptions.userPoolId,
              ClientId: clientId,
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              AuthParameters: { REFRESH_TOKEN: real, SECRET_HASH: secretHash },
            }),
          ...rest,
        )) as { AuthenticationResult: object };
        const next = randomBytes(96).toString('base64url');
        rememberSecrets(next);
        live.set(next, real);
        return { ...output, AuthenticationResult: { ...output.AuthenticationResult, RefreshToken: next } };
      };
      const options = { refreshFlow: 'getTokensFromRefreshToken' as const };
      instances = [await instance(options, rotating), await instance(options, rotating)];
      const [a, b] = instances.map(({ app }) => app);
      const { cookie } = await signIn(a, username);
      const [first] = signedInRefreshTokens;
      live.set(first, first);

      for (const round of [1, 2]) {
        const { accessTokenExpiresAt } = (await summaryOf(a, cookie)).body as { accessTokenExpiresAt: number };
        await past(accessTokenExpiresAt * 1000);
        const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => me(i % 2 ? b : a, cookie)));
        expect(answers.map((r) => [r.status, r.body.sub ?? r.body])).toEqual(Array(20).fill([200, sub]));
        expect(presented).toHaveLength(round);
      }
      // Each refresh presented the token the previous one issued: the rotated-out one was never written back.
      expect(new Set(presented).size).toBe(2);
      expect(presented[0]).toBe(first);
      expect(live.has(presented[1])).toBe(false);
      const [held] = [...live.keys()];
      expect(await refreshTokenOf(b, cookie)).toBe(held);
    },
  );

  it(
    'ends on B the sessions signOutEverywhere(sub) ended on A: 401 SessionExpired (AdminUserGlobalSignOut ' +
      'answered by a stand-in at the SDK boundary: cognito-local lacks it)',
    async () => {
      const { sub } = await local.createUser({ username: 'everywhere@example.com', password: PASSWORD });
      instances = [await instance(), await instance()];
      const [a, b] = instances.map(({ app }) => app);
      const { cookie } = await signIn(a, 'everywhere@example.com');
      expect((await me(b, cookie)).status).toBe(200);
      await a.get(CognitoSyncService).signOutEverywhere(sub);
      expect(globalSignOuts).toEqual(['globalSignOut']);
      const refused = await me(b, cookie);
      expect([refused.status, refused.body.code]).toEqual([401, 'SessionExpired']);
    },
  );

  it('answers 503 SessionStoreUnavailable while Redis is down, without hanging, and serves again after', async () => {
    await local.createUser({ username: 'outage@example.com', password: PASSWORD });
    instances = [await instance(), await instance()];
    const [a, b] = instances.map(({ app }) => app);
    const { cookie } = await signIn(a, 'outage@example.com');
    await redis.stop();
    for (const app of [a, b]) {
      const started = Date.now();
      const down = await me(app, cookie);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect([down.status, down.body]).toEqual([
        503,
        expect.objectContaining({ statusCode: 503, code: 'SessionStoreUnavailable' }),
      ]);
    }
    await redis.start();
    await Promise.all(instances.map(ready));
    // The server persists nothing: the session went with it, and the user signs in again.
    const gone = await me(b, cookie);
    expect([gone.status, gone.body.code]).toEqual([401, 'SessionInvalid']);
    const again = await signIn(b, 'outage@example.com');
    expect((await me(a, again.cookie)).status).toBe(200);
  });
});
