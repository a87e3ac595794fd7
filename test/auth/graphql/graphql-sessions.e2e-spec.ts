// GraphQL with server-side sessions, with a stand-in session authenticator that answers
// cognito-local's access tokens: queries over HTTP by the session cookie (Apollo on Express,
// Mercurius on Fastify); subscriptions never by the cookie of their upgrade request, but by a
// connection ticket in connectionParams, redeemed once by the connection-time helper.
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule, Query, Resolver, Subscription } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CognitoModule,
  CognitoSessionAuthenticator,
  CognitoTokenVerifier,
  CognitoUser,
  cognitoGraphQLWsOnConnect,
  cognitoMercuriusSubscription,
} from '../../../src';
import { type AdapterName, createApp, http } from '../../support/bootstrap';
import { sessionCookie, StandInSessions, StandInSessionsModule } from '../../support/session-stand-in';
import { type CognitoTarget, localTarget } from '../../support/target';

@Resolver()
class ProfileResolver {
  @Query(() => String)
  me(@CognitoUser('username') username: string): string {
    return username;
  }

  @Subscription(() => String, { resolve: (value: string) => value })
  async *greetings(@CognitoUser('username') username: string): AsyncGenerator<string> {
    yield `hello ${username}`;
  }
}

type DriverName = 'apollo' | 'mercurius';
const DRIVERS: Array<[DriverName, AdapterName]> = [
  ['apollo', 'express'],
  ['mercurius', 'fastify'],
];

/** `helper`: the connection-time check, given the session authenticator (tickets) or not at all. */
function graphqlModule(driver: DriverName, helper: boolean): DynamicModule {
  if (driver === 'mercurius') {
    return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [CognitoTokenVerifier, CognitoSessionAuthenticator],
      useFactory: (verifier: CognitoTokenVerifier, sessions: CognitoSessionAuthenticator) => ({
        autoSchemaFile: true,
        cache: false,
        subscription: helper ? cognitoMercuriusSubscription(verifier, { sessions }) : true,
      }),
    });
  }
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [CognitoTokenVerifier, CognitoSessionAuthenticator],
    useFactory: (verifier: CognitoTokenVerifier, sessions: CognitoSessionAuthenticator) => ({
      autoSchemaFile: true,
      subscriptions: { 'graphql-ws': helper ? { onConnect: cognitoGraphQLWsOnConnect(verifier, { sessions }) } : {} },
    }),
  });
}

interface Seen {
  data: unknown[];
  errors?: Array<{ extensions?: Record<string, unknown> }>;
  closed?: { code: number; reason: string };
}

/** One subscription over graphql-ws, its upgrade request sending `headers` (as a browser sends its cookies). */
async function subscribe(url: string, connectionParams: Record<string, unknown> | undefined, headers = {}) {
  class HandshakeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({ url, webSocketImpl: HandshakeSocket, connectionParams, retryAttempts: 0, lazy: true });
  const seen: Seen = { data: [] };
  try {
    await new Promise<void>((resolve) => {
      client.subscribe(
        { query: 'subscription { greetings }' },
        {
          next: (value) => {
            if (value.errors === undefined) seen.data.push(value.data);
            else seen.errors = value.errors as unknown as Seen['errors'];
            resolve();
          },
          error: (error) => {
            const { code, reason } = error as { code?: number; reason?: string };
            // Mercurius sends a refused operation as graphql-ws's `error` message: the errors themselves.
            if (code === undefined) seen.errors = error as Seen['errors'];
            else seen.closed = { code, reason: reason ?? '' };
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

describe('GraphQL with a stand-in session authenticator', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  describe.each(DRIVERS)('on %s with %s', (driver, adapter) => {
    describe.each([
      ['with the connection-time check given the sessions', true],
      ['with the guard alone', false],
    ])('%s', (_case, helper) => {
      let app: INestApplication;
      let url: string;
      let sessions: StandInSessions;
      beforeAll(async () => {
        app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({ ...target.options, authGuard: true }),
            StandInSessionsModule,
            graphqlModule(driver, helper),
          ],
          providers: [ProfileResolver],
        });
        await app.listen(0, '127.0.0.1');
        url = `ws://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
        sessions = app.get(StandInSessions);
        sessions.start('ann', target.user.accessToken);
      });
      afterAll(() => app.close());

      it('answers a query over HTTP by the session cookie, and a refused session as a GraphQL error', async () => {
        const query = { query: '{ me }' };
        const res = await http(app).post('/graphql').set(sessionCookie('ann')).set('X-Requested-With', 'x').send(query);
        expect(res.body).toEqual({ data: { me: target.user.username } });
        const refused = await http(app)
          .post('/graphql')
          .set(sessionCookie('forged'))
          .set('X-Requested-With', 'x')
          .send(query);
        expect(refused.body.errors).toEqual([
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', cognitoCode: 'SessionInvalid' }),
          }),
        ]);
      });

      it('refuses a subscription whose upgrade request carries the session cookie alone (never asked)', async () => {
        const asked = sessions.asked.length;
        const seen = await subscribe(url, undefined, { ...sessionCookie('ann'), Origin: 'https://evil.example' });
        expect(seen.data).toEqual([]);
        if (helper) expect(seen.closed).toEqual({ code: 4401, reason: 'TokenMissing' });
        else
          expect(seen.errors).toEqual([
            expect.objectContaining({
              extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', cognitoCode: 'TokenMissing' }),
            }),
          ]);
        expect(sessions.asked.length).toBe(asked);
      });

      if (helper) {
        it('serves a connection by its ticket, redeemed once; the same ticket again closes with 4401', async () => {
          sessions.issueTicket('ticket-1', target.user.accessToken);
          const first = await subscribe(url, { ticket: 'ticket-1' });
          expect(first).toEqual({ data: [{ greetings: `hello ${target.user.username}` }] });
          const again = await subscribe(url, { ticket: 'ticket-1' });
          expect(again).toEqual({ data: [], closed: { code: 4401, reason: 'TicketInvalid' } });
        });
      }
    });
  });
});
