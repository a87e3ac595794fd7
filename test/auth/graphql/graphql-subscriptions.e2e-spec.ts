// GraphQL subscriptions over WebSockets behind CognitoAuthGuard, with the jwt cookie set:
// the token comes from connectionParams only, never from the handshake's cookie or headers
// (cross-site WebSocket hijacking), on Apollo with graphql-ws on Express and on Mercurius on
// Fastify, against the suite's cognito-local. Then Mercurius's connections end with their
// token (test kit tokens that expire in seconds; revocation against a wire-level stand-in).
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { GraphQLModule, Query, Resolver, Subscription } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CognitoGroups,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoTokenVerifier,
  CognitoUser,
  cognitoGraphQLWsOnConnect,
  cognitoMercuriusSubscription,
} from '../../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../../src/testing';
import { type AdapterName, createApp } from '../../support/bootstrap';
import { CognitoStandIn, reply, replyError, type StandInRequest, standInOptions } from '../../support/cognito-stand-in';
import { adminClient, createSignedInUser } from '../../support/cognito-local';
import { rememberSecrets } from '../../support/secrets';
import { type CognitoTarget, localTarget, signIn } from '../../support/target';

const COOKIE = 'access_token';
const EVIL_ORIGIN = 'https://evil.example';

@Resolver()
class AlertsResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Subscription(() => String, { resolve: (value: string) => value })
  async *greetings(@CognitoUser('username') username: string): AsyncGenerator<string> {
    yield `hello ${username}`;
  }

  @CognitoGroups('Admins')
  @Subscription(() => String, { resolve: (value: string) => value })
  async *alerts(): AsyncGenerator<string> {
    yield 'alert';
  }

  /** An endless stream, one event every 100 ms, for as long as the connection lasts. */
  @Subscription(() => String, { resolve: (value: string) => value })
  async *ticks(): AsyncGenerator<string> {
    for (let i = 0; ; i += 1) {
      yield `tick ${i}`;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

type DriverName = 'apollo' | 'mercurius';
const DRIVERS: Array<[DriverName, AdapterName]> = [
  ['apollo', 'express'],
  ['mercurius', 'fastify'],
];

/**
 * GraphQL with subscriptions; `helper`: the module's connection-time check (cognitoGraphQLWsOnConnect,
 * cognitoMercuriusSubscription).
 */
function graphqlModule(driver: DriverName, helper: boolean): DynamicModule {
  if (driver === 'mercurius') {
    // cache: false: mercurius's query cache imports quick-lru (ESM only), which Jest's CommonJS mode cannot load on
    // Node 20.
    return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [CognitoTokenVerifier],
      useFactory: (verifier: CognitoTokenVerifier) => ({
        autoSchemaFile: true,
        cache: false,
        subscription: helper ? cognitoMercuriusSubscription(verifier) : true,
      }),
    });
  }
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [CognitoTokenVerifier],
    useFactory: (verifier: CognitoTokenVerifier) => ({
      autoSchemaFile: true,
      subscriptions: { 'graphql-ws': helper ? { onConnect: cognitoGraphQLWsOnConnect(verifier) } : {} },
    }),
  });
}

async function listeningApp(driver: DriverName, adapter: AdapterName, options: CognitoModuleOptions, helper = true) {
  const app = await createApp(adapter, {
    imports: [CognitoModule.forRoot({ ...options, authGuard: true }), graphqlModule(driver, helper)],
    providers: [AlertsResolver],
  });
  await app.listen(0, '127.0.0.1');
  return { app, url: `ws://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql` };
}

interface Events {
  data: Array<{ value: unknown; at: number }>;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  closed?: { code: number; reason: string; at: number };
}

/**
 * Subscribes over a graphql-ws client whose socket sends `headers` with the handshake (as a
 * browser sends its cookies and Origin), and collects events until the subscription ends,
 * errs or the socket closes, or `events` data have come.
 */
async function subscribe(
  url: string,
  query: string,
  connectionParams?: Record<string, unknown>,
  headers: Record<string, string> = {},
  events = 1,
) {
  class HandshakeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({ url, webSocketImpl: HandshakeSocket, connectionParams, retryAttempts: 0, lazy: true });
  const seen: Events = { data: [] };
  try {
    await new Promise<void>((resolve) => {
      client.subscribe(
        { query },
        {
          next: (value) => {
            if (value.errors === undefined) seen.data.push({ value: value.data, at: Date.now() });
            else seen.errors = value.errors as Events['errors'];
            if (seen.data.length >= events || value.errors !== undefined) resolve();
          },
          error: (error) => {
            const { code, reason } = error as { code?: number; reason?: string };
            if (code === undefined)
              seen.errors = error instanceof Error ? [{ message: error.message }] : (error as Events['errors']);
            else seen.closed = { code, reason: reason ?? '', at: Date.now() };
            resolve();
          },
          complete: () => resolve(),
        },
      );
    });
  } finally {
    await client.dispose();
  }
  return seen;
}

describe('GraphQL subscriptions with jwt.cookie set: connectionParams only, never the handshake', () => {
  let target: CognitoTarget;
  let admin: string;
  beforeAll(async () => {
    target = await localTarget();
    const cognito = adminClient(target.options.endpoint!);
    try {
      await cognito.send(new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName: 'Admins' }));
      const user = await createSignedInUser(target.options as never, 'subscriptions-admin@example.com');
      rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: target.options.userPoolId,
          Username: user.username,
          GroupName: 'Admins',
        }),
      );
      admin = await signIn(target, user.email, user.password);
    } finally {
      cognito.destroy();
    }
  });
  const options = () => ({ ...target.options, jwt: { cookie: COOKIE } });
  /** What a page on another site sends when it opens the socket: the victim's cookie, its own Origin, nothing else. */
  const attacker = (token: string) => ({ Origin: EVIL_ORIGIN, Cookie: `${COOKIE}=${token}` });

  describe.each(DRIVERS)('on %s with %s, with the connection-time check', (driver, adapter) => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => ({ app, url } = await listeningApp(driver, adapter, options())));
    afterAll(() => app.close());

    it.each([
      ['a protected subscription', 'subscription { greetings }'],
      ["a @CognitoGroups('Admins') subscription", 'subscription { alerts }'],
    ])(
      `refuses the attacker's socket (Origin ${EVIL_ORIGIN}, the victim's jwt cookie, no connectionParams) ` +
        `at connection, on %s`,
      async (_case, query) => {
        const events = await subscribe(url, query, undefined, attacker(admin));
        expect(events).toEqual({ data: [], closed: { code: 4401, reason: 'TokenMissing', at: expect.any(Number) } });
      },
    );

    it(
      'refuses a bearer token in the handshake headers too: ' + 'the token is connectionParams.authorization only',
      async () => {
        const events = await subscribe(url, 'subscription { greetings }', undefined, {
          Authorization: `Bearer ${admin}`,
        });
        expect(events).toEqual({ data: [], closed: { code: 4401, reason: 'TokenMissing', at: expect.any(Number) } });
      },
    );

    it('closes with 4401 TokenInvalid for a connectionParams token that fails', async () => {
      const events = await subscribe(
        url,
        'subscription { greetings }',
        { authorization: 'Bearer not-a-jwt' },
        attacker(admin),
      );
      expect(events).toEqual({ data: [], closed: { code: 4401, reason: 'TokenInvalid', at: expect.any(Number) } });
    });

    it(
      'serves a legitimate connectionParams token, the group-protected subscription to a member, even from a ' +
        'socket with a cookie',
      async () => {
        const greeting = await subscribe(
          url,
          'subscription { greetings }',
          { authorization: `Bearer ${target.user.accessToken}` },
          attacker(admin),
        );
        expect(greeting.data).toEqual([
          { value: { greetings: `hello ${target.user.username}` }, at: expect.any(Number) },
        ]);
        const alert = await subscribe(url, 'subscription { alerts }', { authorization: `Bearer ${admin}` });
        expect(alert.data).toEqual([{ value: { alerts: 'alert' }, at: expect.any(Number) }]);
      },
    );
  });

  describe.each(DRIVERS)('on %s with %s, with the guard alone (no connection-time check)', (driver, adapter) => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => ({ app, url } = await listeningApp(driver, adapter, options(), false)));
    afterAll(() => app.close());

    it.each(['subscription { greetings }', 'subscription { alerts }'])(
      "answers the attacker's socket UNAUTHENTICATED (TokenMissing) on %s",
      async (query) => {
        const events = await subscribe(url, query, undefined, attacker(admin));
        expect(events.data).toEqual([]);
        expect(events.errors).toEqual([
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', cognitoCode: 'TokenMissing' }),
          }),
        ]);
      },
    );

    it('serves a connectionParams token', async () => {
      const events = await subscribe(
        url,
        'subscription { alerts }',
        { authorization: `Bearer ${admin}` },
        attacker(target.user.accessToken),
      );
      expect(events.data).toEqual([{ value: { alerts: 'alert' }, at: expect.any(Number) }]);
    });
  });
});

/** Cognito's GetUser, accepting the access token until `revoke()`. */
function revocableCognito() {
  let revoked = false;
  return {
    revoke: () => (revoked = true),
    handler: (request: StandInRequest, res: ServerResponse) => {
      if (request.operation !== 'GetUser')
        return replyError(res, 'InvalidParameterException', `unexpected ${request.operation}`);
      return revoked
        ? replyError(res, 'NotAuthorizedException', 'Access Token has been revoked')
        : reply(res, 200, { Username: 'ann', UserAttributes: [] });
    },
  };
}

describe(
  'Mercurius subscriptions end with their token (test kit tokens; revocation on a wire-level stand-in, not ' +
    'cognito-local)',
  () => {
    let kit: CognitoTestKit;
    beforeAll(async () => {
      kit = await createCognitoTestKit();
    });
    afterAll(() => kit.close());

    it(
      'closes the socket with 4401 TokenExpired at exp, no event later than 1 s after it; the same client ' +
        'subscribes again with a fresh token',
      async () => {
        const { app, url } = await listeningApp('mercurius', 'fastify', kit.moduleOptions);
        let token = kit.accessToken({ username: 'ann', expiresIn: 3 });
        const exp =
          (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;
        // As docs/graphql.md shows: connectionParams read the current token at each connection.
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          connectionParams: () => ({ authorization: `Bearer ${token}` }),
          retryAttempts: 0,
          lazy: true,
        });
        const ticks = (events: number) => {
          const seen: Events = { data: [] };
          return new Promise<Events>((resolve) => {
            const unsubscribe = client.subscribe(
              { query: 'subscription { ticks }' },
              {
                next: (value) => {
                  seen.data.push({ value: value.data, at: Date.now() });
                  if (seen.data.length >= events) {
                    unsubscribe();
                    resolve(seen);
                  }
                },
                error: (error) => {
                  const { code, reason } = error as { code: number; reason: string };
                  resolve({ ...seen, closed: { code, reason, at: Date.now() } });
                },
                complete: () => resolve(seen),
              },
            );
          });
        };
        try {
          const events = await ticks(Infinity);
          expect(events.closed).toEqual({ code: 4401, reason: 'TokenExpired', at: expect.any(Number) });
          expect(events.closed!.at).toBeGreaterThanOrEqual(exp);
          expect(events.closed!.at).toBeLessThanOrEqual(exp + 1000);
          expect(events.data.length).toBeGreaterThan(3);
          expect(Math.max(...events.data.map(({ at }) => at))).toBeLessThanOrEqual(exp + 1000);
          token = kit.accessToken({ username: 'ann' });
          expect((await ticks(2)).data).toEqual([
            { value: { ticks: 'tick 0' }, at: expect.any(Number) },
            { value: { ticks: 'tick 1' }, at: expect.any(Number) },
          ]);
        } finally {
          await client.dispose();
          await app.close();
        }
      },
    );

    it(
      'with revocationCheck, asks again at its cache ' + 'period and closes the socket with 4401 TokenRevoked',
      async () => {
        const cognito = revocableCognito();
        const standIn = await new CognitoStandIn(cognito.handler).start();
        const options: CognitoModuleOptions = {
          ...standInOptions(standIn),
          ...kit.moduleOptions,
          endpoint: standIn.endpoint,
          revocationCheck: { cacheSeconds: 1 },
        };
        const { app, url } = await listeningApp('mercurius', 'fastify', options);
        try {
          const token = kit.accessToken({ username: 'ann' });
          const firstCheck = standIn.nextRequest();
          const subscription = subscribe(
            url,
            'subscription { ticks }',
            { authorization: `Bearer ${token}` },
            {},
            Infinity,
          );
          expect((await firstCheck).operation).toBe('GetUser');
          const revokedAt = Date.now();
          cognito.revoke();
          const events = await subscription;
          expect(events.closed).toEqual({ code: 4401, reason: 'TokenRevoked', at: expect.any(Number) });
          // One cache period for the answer to go stale, one for the next check, and the check itself.
          expect(events.closed!.at - revokedAt).toBeLessThanOrEqual(3000);
          expect(events.data.length).toBeGreaterThan(0);
        } finally {
          await app.close();
          await standIn.stop();
        }
      },
    );
  },
);

describe(
  'GraphQL subscriptions end with their token without the connection-time check (the guard watches the ' +
    'connection; test kit tokens)',
  () => {
    let kit: CognitoTestKit;
    beforeAll(async () => {
      kit = await createCognitoTestKit();
    });
    afterAll(() => kit.close());

    it.each(DRIVERS)(
      'on %s with %s: closed with 4401 TokenExpired within 1 s of exp, no event later',
      async (driver, adapter) => {
        const { app, url } = await listeningApp(driver, adapter, kit.moduleOptions, false);
        const token = kit.accessToken({ username: 'ann', expiresIn: 2 });
        rememberSecrets(token);
        const exp =
          (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;
        try {
          const events = await subscribe(
            url,
            'subscription { ticks }',
            { authorization: `Bearer ${token}` },
            {},
            Infinity,
          );
          expect(events.closed).toEqual({ code: 4401, reason: 'TokenExpired', at: expect.any(Number) });
          expect(events.closed!.at).toBeGreaterThanOrEqual(exp);
          expect(events.closed!.at).toBeLessThanOrEqual(exp + 1000);
          expect(events.data.length).toBeGreaterThan(3);
          expect(events.data.filter(({ at }) => at > exp + 1000)).toEqual([]);
        } finally {
          await app.close();
        }
      },
    );
  },
);

describe('Mercurius with cognitoMercuriusSubscription: one connection_init per socket', () => {
  let kit: CognitoTestKit;
  beforeAll(async () => {
    kit = await createCognitoTestKit();
  });
  afterAll(() => kit.close());

  it(
    'acknowledges the first connection_init and closes ' + 'the socket with 4429 at the second, as graphql-ws does',
    async () => {
      const { app, url } = await listeningApp('mercurius', 'fastify', kit.moduleOptions);
      const token = kit.accessToken({ username: 'ann' });
      rememberSecrets(token);
      const socket = new WebSocket(url, 'graphql-transport-ws');
      try {
        await once(socket, 'open');
        const types: string[] = [];
        socket.on('message', (raw) => types.push((JSON.parse(String(raw)) as { type: string }).type));
        const closed = once(socket, 'close');
        const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
        for (let i = 0; i < 20; i++) socket.send(init);
        const [code, reason] = (await closed) as [number, Buffer];
        expect({ code, reason: String(reason) }).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
        expect(types.filter((type) => type === 'connection_ack')).toHaveLength(1);
      } finally {
        socket.terminate();
        await app.close();
      }
    },
  );
});
