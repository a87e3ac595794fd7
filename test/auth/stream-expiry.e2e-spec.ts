// Streams end with their token: a gateway handler returning an Observable (socket.io and
// ws, on the Express and the Fastify HTTP server) and a graphql-ws subscription on Apollo
// are cut at the token's exp, and with revocationCheck once the token is revoked. Tokens
// from the testing kit (cognito-local's live an hour), a few seconds long; revocation
// through the wire-level stand-in, not cognito-local (which keeps accepting a revoked
// access token), as in sessions-revocation.e2e-spec.ts.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, type INestApplication, UseGuards } from '@nestjs/common';
import { GraphQLModule, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { SubscribeMessage, WebSocketGateway, type WsResponse } from '@nestjs/websockets';
import { createClient } from 'graphql-ws';
import { EventEmitter, once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { finalize, interval, map, type Observable } from 'rxjs';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import {
  CognitoAuthGuard,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoTokenVerifier,
  cognitoGraphQLWsOnConnect,
  withCognitoHandshake,
} from '../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, type AdapterName, createApp } from '../support/bootstrap';
import { CognitoStandIn, reply, replyError, type StandInRequest, standInOptions } from '../support/cognito-stand-in';
import { listen } from '../support/listening';
import { rememberSecrets } from '../support/secrets';
import { TRANSPORTS, type Transport } from '../support/socket-clients';

/** How often the streams below push. */
const TICK_MS = 100;
/** Each stream's producer says here when it is torn down ('gateway', 'subscription'). */
const torn = new EventEmitter();

@UseGuards(CognitoAuthGuard)
@WebSocketGateway({ path: '/ws' })
class TickerGateway {
  @SubscribeMessage('ticks')
  ticks(): Observable<WsResponse<number>> {
    return interval(TICK_MS).pipe(
      map((n) => ({ event: 'tick', data: n })),
      finalize(() => torn.emit('gateway')),
    );
  }
}

@Resolver()
class TickerResolver {
  @Query(() => String)
  hello(): string {
    return 'hello';
  }

  @Subscription(() => Int, { resolve: (n: number) => n })
  async *ticks(): AsyncGenerator<number> {
    try {
      for (let n = 0; ; n++) {
        await new Promise((resolve) => setTimeout(resolve, TICK_MS));
        yield n;
      }
    } finally {
      torn.emit('subscription');
    }
  }
}

/** One thing a client heard, and when (`Date.now()`, the clock the server's `exp` check uses). */
interface Heard {
  event: string;
  data?: unknown;
  at: number;
}

/** What a stream's client heard, and the end of its connection. */
class Recorder {
  readonly heard: Heard[] = [];
  private readonly arrivals = new EventEmitter();

  push(event: string, data?: unknown): void {
    this.heard.push({ event, data, at: Date.now() });
    this.arrivals.emit('heard');
  }

  /** The first thing heard that is `event`: a bounded wait. */
  async first(event: string, ms = 5000): Promise<Heard> {
    const found = () => this.heard.find((heard) => heard.event === event);
    const waiting = (async () => {
      while (found() === undefined) await once(this.arrivals, 'heard');
      return found()!;
    })();
    return within(waiting, ms, `${event} event`);
  }
}

/** `promise`, or a failure naming what did not come within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), Math.max(ms, 0))),
  );
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const expOf = (token: string): number =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;

const refusal = (code: string) => ({
  status: 'error',
  statusCode: 401,
  error: 'Unauthorized',
  message: expect.any(String),
  code,
});

/** A gateway socket that asked for `ticks`: everything it hears, and when its connection ended. */
async function openTicker(transport: Transport, url: string, token: string) {
  const recorder = new Recorder();
  if (transport === 'socket.io') {
    const socket = io(url, {
      path: '/ws',
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      forceNew: true,
    });
    socket.onAny((event: string, data: unknown) => recorder.push(event, data));
    socket.on('disconnect', (reason) => recorder.push('end', { reason }));
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    socket.emit('ticks');
    return { recorder, close: () => socket.close() };
  }
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
  socket.on('message', (raw) => {
    const { event, data } = JSON.parse(String(raw)) as { event: string; data: unknown };
    recorder.push(event, data);
  });
  socket.on('close', (code, reason) => recorder.push('end', { code, reason: String(reason) }));
  await once(socket, 'open');
  socket.send(JSON.stringify({ event: 'ticks' }));
  return { recorder, close: () => socket.close() };
}

/**
 * A graphql-ws client subscribed to `ticks`, one recorder per subscription: each value, then
 * the error it ended with (a close event). As docs/graphql.md's client, it subscribes again
 * after a 4401 `TokenExpired`, from the error callback; `connectionParams` is read at each connection.
 */
function subscribeTicks(url: string, token: () => string) {
  const rounds: Recorder[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: () => ({ authorization: `Bearer ${token()}` }),
    retryAttempts: 0,
  });
  const start = () => {
    const recorder = new Recorder();
    rounds.push(recorder);
    client.subscribe(
      { query: 'subscription { ticks }' },
      {
        next: (value) => recorder.push('tick', value.data),
        error: (error) => {
          const { code, reason } = error as { code?: number; reason?: string };
          recorder.push('end', { code, reason });
          if (code === 4401 && reason === 'TokenExpired') start();
        },
        complete: () => recorder.push('complete'),
      },
    );
  };
  start();
  return { recorder: rounds[0], rounds, client };
}

function gatewayApp(adapter: AdapterName, transport: Transport, options: CognitoModuleOptions) {
  return createApp(
    adapter,
    { imports: [CognitoModule.forRoot({ ...options, authGuard: true })], providers: [TickerGateway] },
    (app) =>
      app.useWebSocketAdapter(transport === 'ws' ? withCognitoHandshake(new WsAdapter(app)) : new IoAdapter(app)),
  );
}

async function apolloApp(options: CognitoModuleOptions): Promise<{ app: INestApplication; url: string }> {
  const graphql: DynamicModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [CognitoTokenVerifier],
    useFactory: (verifier: CognitoTokenVerifier) => ({
      autoSchemaFile: true,
      subscriptions: { 'graphql-ws': { onConnect: cognitoGraphQLWsOnConnect(verifier) } },
    }),
  });
  const app = await createApp('express', {
    imports: [CognitoModule.forRoot({ ...options, authGuard: true }), graphql],
    providers: [TickerResolver],
  });
  return { app, url: `${(await listen(app)).replace(/^http/, 'ws')}/graphql` };
}

/**
 * Checks what a stream's client heard around the token's exp (ms): ticks before, nothing but the end after exp + 1 s.
 */
function expectCutAtExp(heard: Heard[], exp: number): void {
  const end = heard.find((h) => h.event === 'end')!;
  expect(heard.filter((h) => h.event === 'tick' && h.at < exp).length).toBeGreaterThan(0);
  expect(end.at).toBeGreaterThanOrEqual(exp);
  expect(end.at).toBeLessThanOrEqual(exp + 1000);
  expect(heard.filter((h) => h.at > exp + 1000)).toEqual([]);
  // The end is the last thing heard: no tick after it.
  expect(heard.at(-1)).toBe(end);
}

describe('streams end with their token (testing kit tokens, 3 s)', () => {
  let kit: CognitoTestKit;
  beforeAll(async () => {
    kit = await createCognitoTestKit();
  });
  afterAll(() => kit.close());
  const shortLived = (seconds = 3) => {
    const token = kit.accessToken({ username: 'ann', expiresIn: seconds });
    rememberSecrets(token);
    return token;
  };

  describe.each(TRANSPORTS)('a gateway stream over %s', (transport) => {
    describe.each(ADAPTERS)('on %s', (adapter) => {
      let app: INestApplication;
      let url: string;
      beforeAll(async () => {
        app = await gatewayApp(adapter, transport, kit.moduleOptions);
        url = await listen(app);
      });
      afterAll(() => app.close());

      it(
        'gets ticks before exp, then the exception event (TokenExpired) and the disconnect within 1 s of exp; ' +
          'the Observable is torn down',
        async () => {
          const token = shortLived();
          const exp = expOf(token);
          const tornDown = once(torn, 'gateway');
          const { recorder, close } = await openTicker(transport, url, token);
          try {
            const end = await recorder.first('end', exp + 3000 - Date.now());
            expectCutAtExp(recorder.heard, exp);
            const exceptions = recorder.heard.filter((h) => h.event === 'exception');
            expect(exceptions.map((h) => h.data)).toEqual([refusal('TokenExpired')]);
            expect(exceptions[0].at).toBeGreaterThanOrEqual(exp);
            expect(end.data).toEqual(
              transport === 'ws' ? { code: 4401, reason: 'TokenExpired' } : { reason: 'io server disconnect' },
            );
            await within(tornDown, 1000, 'end of the Observable');
          } finally {
            close();
          }
        },
      );
    });
  });

  describe('a graphql-ws subscription on apollo with express', () => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => {
      ({ app, url } = await apolloApp(kit.moduleOptions));
    });
    afterAll(() => app.close());

    it(
      'gets values before exp, then the close 4401 TokenExpired within 1 s of exp; subscribing again connects ' +
        'with a fresh token',
      async () => {
        // The first connection gets a 3 s token, the next one a fresh token (what the app's refresh would give).
        const tokens = [shortLived(), shortLived(3600)];
        const exp = expOf(tokens[0]);
        const tornDown = once(torn, 'subscription');
        const { recorder, rounds, client } = subscribeTicks(url, () =>
          tokens.length > 1 ? tokens.shift()! : tokens[0],
        );
        try {
          const end = await recorder.first('end', exp + 3000 - Date.now());
          expectCutAtExp(recorder.heard, exp);
          expect(end.data).toEqual({ code: 4401, reason: 'TokenExpired' });
          await within(tornDown, 1000, 'end of the subscription');
          // docs/graphql.md: 4401 is final for graphql-ws's client; subscribing again connects again, with the fresh
          // token.
          expect(rounds).toHaveLength(2);
          expect((await rounds[1].first('tick')).data).toEqual({ ticks: 0 });
        } finally {
          await client.dispose();
        }
      },
    );
  });
});

/** Cognito as the guard sees it around a sign-out: GetUser accepts the access token until `revoke()`. */
function cognitoWithRevocation() {
  let revoked = false;
  return {
    revoke: () => (revoked = true),
    reset: () => (revoked = false),
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
  'streams end when their token is revoked (revocationCheck, cacheSeconds: 1; wire-level stand-in, not ' +
    'cognito-local)',
  () => {
    let standIn: CognitoStandIn;
    let kit: CognitoTestKit;
    let options: CognitoModuleOptions;
    const cognito = cognitoWithRevocation();
    beforeAll(async () => {
      standIn = await new CognitoStandIn(cognito.handler).start();
      kit = await createCognitoTestKit();
      options = {
        ...standInOptions(standIn),
        ...kit.moduleOptions,
        endpoint: standIn.endpoint,
        revocationCheck: { cacheSeconds: 1 },
      };
    });
    afterAll(async () => {
      await standIn.stop();
      await kit.close();
    });
    beforeEach(() => cognito.reset());
    const token = () => {
      const value = kit.accessToken({ username: 'ann' });
      rememberSecrets(value);
      return value;
    };

    describe.each(TRANSPORTS)('a gateway stream over %s', (transport) => {
      it.each(ADAPTERS)(
        'on %s: the exception event (TokenRevoked), then the disconnect, within the re-check period of the revocation',
        async (adapter) => {
          const app = await gatewayApp(adapter, transport, options);
          const { recorder, close } = await openTicker(transport, await listen(app), token());
          try {
            await recorder.first('tick');
            cognito.revoke();
            const revokedAt = Date.now();
            const end = await recorder.first('end', 3000);
            expect(end.at - revokedAt).toBeLessThanOrEqual(2000);
            expect(recorder.heard.filter((h) => h.event === 'exception').map((h) => h.data)).toEqual([
              refusal('TokenRevoked'),
            ]);
            expect(recorder.heard.at(-1)).toBe(end);
            if (transport === 'ws') expect(end.data).toEqual({ code: 4401, reason: 'TokenRevoked' });
          } finally {
            close();
            await app.close();
          }
        },
      );
    });

    it(
      'a graphql-ws subscription on apollo with express: closed with 4401 TokenRevoked within the re-check ' +
        'period of the revocation',
      async () => {
        const { app, url } = await apolloApp(options);
        const accessToken = token();
        const { recorder, client } = subscribeTicks(url, () => accessToken);
        try {
          await recorder.first('tick');
          cognito.revoke();
          const revokedAt = Date.now();
          const end = await recorder.first('end', 3000);
          expect(end.at - revokedAt).toBeLessThanOrEqual(2000);
          expect(end.data).toEqual({ code: 4401, reason: 'TokenRevoked' });
        } finally {
          await client.dispose();
          await app.close();
        }
      },
    );
  },
);
