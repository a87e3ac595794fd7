// sharedRefresh: two app instances (two registrations, each with its own Redis
// connection) sharing a real redis-server, in front of the wire-level stand-in with
// rotation (GetTokensFromRefreshToken: cognito-local has none), on Express and Fastify.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type INestApplication, Logger } from '@nestjs/common';
import type KeyvRedis from '@keyv/redis';
import { createClient, createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { CognitoModule, type CognitoModuleOptions, CognitoSyncService } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { CognitoStandIn, reply, replyError, standInOptions, type StandInRequest } from '../support/cognito-stand-in';
import { listen, postJson } from '../support/listening';
import { RedisServer } from '../support/redis-server';
import { rememberSecrets } from '../support/secrets';

const CLIENT_SECRET = 'shared-refresh-client-secret';
const USERNAME = 'ann.shared@example.com';
const SUB = '7d0f3c1e-5a9b-4c2d-8e7f-0a1b2c3d4e5f';
const WINDOW_SECONDS = 3;
rememberSecrets(CLIENT_SECRET);

/** A token shaped like Cognito's: its claims readable to anyone who has it. */
function jwtLike(use: string, n: number): string {
  const claims = Buffer.from(JSON.stringify({ sub: SUB, username: USERNAME, token_use: use, n })).toString('base64url');
  const token = `eyJraWQiOiJzaGFyZWQiLCJhbGciOiJSUzI1NiJ9.${claims}.${randomUUID()}`;
  rememberSecrets(token);
  return token;
}

/** Cognito with rotation: each refresh token works once; a rotated-out one is a reuse. */
function rotatingCognito(first: string, issued: string[]) {
  const live = new Set([first]);
  const rotatedOut = new Set<string>();
  return (request: StandInRequest, res: ServerResponse) => {
    const token = request.body.RefreshToken as string;
    if (rotatedOut.has(token)) return replyError(res, 'RefreshTokenReuseException', 'Refresh token has been reused');
    if (!live.delete(token)) return replyError(res, 'NotAuthorizedException', 'Invalid Refresh Token.');
    rotatedOut.add(token);
    const [access, id, next] = [
      jwtLike('access', issued.length),
      jwtLike('id', issued.length),
      jwtLike('refresh', issued.length),
    ];
    issued.push(access, id, next, access.split('.')[1]);
    live.add(next);
    reply(res, 200, {
      AuthenticationResult: {
        AccessToken: access,
        IdToken: id,
        RefreshToken: next,
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    });
  };
}

interface Instance {
  app: INestApplication;
  store: Keyv;
  url: string;
}

/** One app instance: its own registration and its own connection to the shared Redis. */
async function instance(
  adapter: (typeof ADAPTERS)[number],
  redis: RedisServer,
  options: CognitoModuleOptions,
): Promise<Instance> {
  const store = createKeyv(redis.url);
  const module = CognitoModule.forRoot({
    ...options,
    refreshController: true,
    sharedRefresh: { store, windowSeconds: WINDOW_SECONDS },
  });
  const app = await createApp(adapter, { imports: [module] });
  return { app, store, url: `${await listen(app)}/auth/refresh` };
}

/** The node-redis client under an instance's store. */
const clientOf = ({ store }: Instance) => (store.store as KeyvRedis<string>).client as ReturnType<typeof createClient>;

/** The next `name` event of a Redis client (events.once would reject on the client's error events). */
const event = (client: ReturnType<typeof createClient>, name: string) =>
  new Promise<void>((resolve) => client.once(name, () => resolve()));

/** Every key and value in Redis, as one text. */
async function dump(scanner: ReturnType<typeof createClient>): Promise<{ keys: string[]; text: string }> {
  const keys: string[] = [];
  for await (const batch of scanner.scanIterator({ MATCH: '*' })) keys.push(...batch);
  const values = await Promise.all(keys.map((key) => scanner.get(key)));
  return { keys, text: [...keys, ...values].join('\n') };
}

/** Resolves once `count` calls have entered `service.refreshTokens` (they are then all in flight). */
function entered(services: CognitoSyncService[], count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    for (const service of services) {
      const original = service.refreshTokens.bind(service);
      jest.spyOn(service, 'refreshTokens').mockImplementation((...args) => {
        if (++seen === count) resolve();
        return original(...args);
      });
    }
  });
}

/** Resolves once an instance's client asks Redis for a slot: it is waiting for the other instance. */
function waiting(instances: Instance[]): Promise<void> {
  return new Promise((resolve) => {
    for (const target of instances) {
      const client = clientOf(target);
      const get = client.get.bind(client);
      jest.spyOn(client, 'get').mockImplementation((key) => {
        resolve();
        return get(key);
      });
    }
  });
}

describe.each(ADAPTERS)(
  'sharedRefresh across two instances (real redis-server, wire-level stand-in with rotation), on %s',
  (adapter) => {
    let redis: RedisServer;
    let scanner: ReturnType<typeof createClient>;
    let standIn: CognitoStandIn;
    let instances: Instance[] = [];
    beforeAll(async () => {
      redis = await new RedisServer().start();
      scanner = createClient({ url: redis.url });
      // The outage test stops Redis: the client reconnects by itself, and says so as an error event.
      scanner.on('error', () => undefined);
      await scanner.connect();
    });
    afterEach(async () => {
      jest.restoreAllMocks();
      for (const { app, store } of instances) {
        await app.close();
        await store.disconnect();
      }
      instances = [];
      await standIn.stop();
      if (scanner.isReady) await scanner.flushAll();
    });
    afterAll(async () => {
      await scanner.close();
      await redis.close();
    });

    it(
      'answers 50 concurrent refreshes over both with one upstream call and one rotated pair, the same pair ' +
        'within the window, a reuse error (401) after it, and leaves nothing readable in Redis',
      async () => {
        const first = jwtLike('refresh', -1);
        const issued: string[] = [];
        standIn = await new CognitoStandIn(rotatingCognito(first, issued)).start();
        const options: CognitoModuleOptions = {
          ...standInOptions(standIn),
          clientSecret: CLIENT_SECRET,
          refreshFlow: 'getTokensFromRefreshToken',
        };
        instances = [await instance(adapter, redis, options), await instance(adapter, redis, options)];
        const warn = jest.spyOn(Logger.prototype, 'warn');
        const services = instances.map(({ app }) => app.get(CognitoSyncService));
        const forbidden = () => [first, ...issued, USERNAME, SUB, 'token_use', CLIENT_SECRET, first.split('.')[1]];

        standIn.hold();
        const allIn = entered(services, 50);
        const otherWaits = waiting(instances);
        const answers = Promise.all(
          Array.from({ length: 50 }, (_, i) => postJson(instances[i % 2].url, { refreshToken: first })),
        );
        await Promise.all([allIn, standIn.heldAtLeast(1), otherWaits]);
        const during = await dump(scanner);
        expect(during.keys).toEqual([expect.stringMatching(/^cognito-sync:refresh:[\w-]{43}$/)]);
        standIn.release(rotatingCognito(first, issued));

        const results = await answers;
        expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
        expect(standIn.requests).toHaveLength(1);
        const pairs = new Set(results.map((r) => JSON.stringify(r.body.authenticationResult)));
        expect(pairs.size).toBe(1);
        const pair = JSON.parse([...pairs][0]);
        expect(pair.refreshToken).toBe(issued[2]);

        // A late tab, on either instance, within the window: the same pair, no call.
        const late = await Promise.all(instances.map(({ url }) => postJson(url, { refreshToken: first })));
        expect(late.map((r) => [r.status, r.body.authenticationResult])).toEqual([
          [200, pair],
          [200, pair],
        ]);
        expect(standIn.requests).toHaveLength(1);
        const after = await dump(scanner);
        expect(after.keys).toEqual(during.keys);
        expect(after.text).toMatch(/^cognito-sync:refresh:[\w-]+\nv1\.[\w-]+$/);
        for (const text of forbidden()) {
          expect(during.text).not.toContain(text);
          expect(after.text).not.toContain(text);
        }
        expect(
          warn.mock.calls.map(([line]) => String(line)).filter((line) => /RefreshTokenReuse|Rotated-out/.test(line)),
        ).toEqual([]);

        // After the window nothing is kept: the rotated-out token is a reuse again, answered 401.
        const subscriber = scanner.duplicate();
        await subscriber.connect();
        let onExpired!: (key: string) => void;
        const expired = new Promise<string>((resolve) => (onExpired = resolve));
        await subscriber.subscribe('__keyevent@0__:expired', (key) => onExpired(key));
        if ((await scanner.exists(after.keys[0])) === 1) expect(await expired).toBe(after.keys[0]);
        await subscriber.close();
        const reused = await postJson(instances[1].url, { refreshToken: first });
        expect(reused).toEqual({ status: 401, body: expect.objectContaining({ code: 'NotAuthorizedException' }) });
        expect(standIn.requests).toHaveLength(2);
        expect(warn.mock.calls.map(([line]) => String(line))).toContainEqual(
          expect.stringMatching(/^Rotated-out refresh token used again/),
        );
        expect((await dump(scanner)).text).not.toContain(first);
      },
    );

    it(
      'keeps answering 200 while Redis is down, merging within each instance, with one log line per instance; ' +
        'sharing resumes when Redis is back',
      async () => {
        standIn = await new CognitoStandIn().start();
        instances = [
          await instance(adapter, redis, standInOptions(standIn)),
          await instance(adapter, redis, standInOptions(standIn)),
        ];
        const services = instances.map(({ app }) => app.get(CognitoSyncService));
        const warn = jest.spyOn(Logger.prototype, 'warn');
        const log = jest.spyOn(Logger.prototype, 'log');
        const lines = (spy: jest.SpyInstance) =>
          spy.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith('sharedRefresh'));
        const token = (name: string) => {
          const value = `shared-refresh.outage.${name}.${randomUUID()}`;
          rememberSecrets(value);
          return value;
        };
        const refreshAll = (refreshToken: string, count = 20) =>
          Promise.all(Array.from({ length: count }, (_, i) => postJson(instances[i % 2].url, { refreshToken })));

        // Connected and sharing.
        expect((await refreshAll(token('before'))).map((r) => r.status)).toEqual(Array(20).fill(200));
        expect(standIn.requests).toHaveLength(1);

        await redis.stop();
        await Promise.all(
          instances.map(clientOf).map((client) => (client.isReady ? event(client, 'reconnecting') : undefined)),
        );
        standIn.requests.length = 0;
        standIn.hold();
        const allIn = entered(services, 20);
        const down = refreshAll(token('down'));
        await Promise.all([allIn, standIn.heldAtLeast(2)]);
        standIn.release();
        expect((await down).map((r) => r.status)).toEqual(Array(20).fill(200));
        expect(standIn.requests).toHaveLength(2);
        expect((await refreshAll(token('still-down'), 4)).map((r) => r.status)).toEqual(Array(4).fill(200));
        const storeDown =
          'sharedRefresh store failed (not connected): ' +
          'refreshes are merged within this instance until it answers again';
        expect(lines(warn)).toEqual([storeDown, storeDown]);

        await redis.start();
        await Promise.all(
          instances.map(clientOf).map((client) => (client.isReady ? undefined : event(client, 'ready'))),
        );
        standIn.requests.length = 0;
        expect((await refreshAll(token('back'))).map((r) => r.status)).toEqual(Array(20).fill(200));
        expect(standIn.requests).toHaveLength(1);
        expect(lines(log)).toEqual([
          'sharedRefresh store answers again: refreshes are shared across instances',
          'sharedRefresh store answers again: refreshes are shared across instances',
        ]);
        expect(lines(warn)).toHaveLength(2);
      },
    );
  },
);
