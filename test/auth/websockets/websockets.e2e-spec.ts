// CognitoAuthGuard on WebSocket gateways: socket.io (IoAdapter) and ws (WsAdapter with
// withCognitoHandshake), each on the Express and the Fastify HTTP server, with real
// socket.io-client and ws clients and cognito-local's tokens; the test kit where a token
// must be signed already expired.
import {
  AdminAddUserToGroupCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type CanActivate, Injectable, type INestApplication, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { type OnGatewayConnection, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Server } from 'socket.io';
import WebSocket from 'ws';
import {
  CognitoAuthError,
  CognitoAuthGuard,
  type CognitoClaims,
  CognitoGroups,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoTokenVerifier,
  CognitoUser,
  Public,
  withCognitoHandshake,
} from '../../../src';
import { type CognitoTestClaims, type CognitoTestKit, createCognitoTestKit } from '../../../src/testing';
import { ADAPTERS, type AdapterName, createApp } from '../../support/bootstrap';
import { adminClient, createSignedInUser } from '../../support/cognito-local';
import { listen } from '../../support/listening';
import { rememberSecrets } from '../../support/secrets';
import { connectSocket, type Credentials, TRANSPORTS, type Transport } from '../../support/socket-clients';
import { type CognitoTarget, localTarget } from '../../support/target';

/** The handlers that ran, in order: a refused message must leave no trace here. */
const ran: string[] = [];

@UseGuards(CognitoAuthGuard)
@WebSocketGateway({ path: '/ws' })
class ChatGateway {
  @SubscribeMessage('me')
  me(@CognitoUser() user: CognitoClaims, @CognitoUser('username') username: string) {
    ran.push('me');
    return { event: 'me', data: { username, sub: user.sub } };
  }

  @CognitoGroups('Admins')
  @SubscribeMessage('admin')
  admin() {
    ran.push('admin');
    return { event: 'admin', data: { admin: true } };
  }

  @Public()
  @SubscribeMessage('status')
  status(@CognitoUser('sub') sub: string | undefined) {
    ran.push('status');
    return { event: 'status', data: { sub: sub ?? null } };
  }
}

/** No guard of its own: what `authGuard: true` alone would leave open. */
@WebSocketGateway({ path: '/ws' })
class OpenGateway {
  @SubscribeMessage('ping')
  ping() {
    ran.push('ping');
    return { event: 'pong', data: {} };
  }
}

/**
 * docs/websockets.md, "Refusing the connection itself", socket.io: a middleware turns sockets without a valid token
 * away.
 */
@UseGuards(CognitoAuthGuard)
@WebSocketGateway({ path: '/ws' })
class GatekeeperIoGateway implements OnGatewayInit {
  constructor(private readonly verifier: CognitoTokenVerifier) {}

  afterInit(server: Server) {
    server.use((socket, next) => {
      const token: unknown = socket.handshake.auth.token;
      this.verifier.verify(token as string).then(
        () => next(),
        (error: unknown) => {
          const code = error instanceof CognitoAuthError ? error.code : 'Unavailable';
          next(Object.assign(new Error('Unauthorized'), { data: { code } }));
        },
      );
    });
  }

  @SubscribeMessage('ping')
  ping() {
    ran.push('ping');
    return { event: 'pong', data: {} };
  }
}

/** The same page, ws: handleConnection closes a socket whose handshake carried no valid token. */
@UseGuards(CognitoAuthGuard)
@WebSocketGateway({ path: '/ws' })
class GatekeeperWsGateway implements OnGatewayConnection {
  constructor(private readonly verifier: CognitoTokenVerifier) {}

  async handleConnection(client: WebSocket, request: IncomingMessage) {
    const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    try {
      await this.verifier.verify(token as string);
    } catch {
      client.close(4401, 'Unauthorized');
    }
  }

  @SubscribeMessage('ping')
  ping() {
    ran.push('ping');
    return { event: 'pong', data: {} };
  }
}

const refusal = (statusCode: number, error: string, code: string) => ({
  event: 'exception',
  data: { status: 'error', statusCode, error, message: expect.any(String), code },
});

/** The gateway's app on `adapter`'s HTTP server, its sockets on `transport`; started, with its base URL. */
async function gatewayApp(
  adapter: AdapterName,
  transport: Transport,
  options: CognitoModuleOptions,
  gateway: object = ChatGateway,
) {
  const app = await createApp(
    adapter,
    { imports: [CognitoModule.forRoot({ ...options, authGuard: true })], providers: [gateway as never] },
    (app) =>
      app.useWebSocketAdapter(transport === 'ws' ? withCognitoHandshake(new WsAdapter(app)) : new IoAdapter(app)),
  );
  return { app, url: await listen(app) };
}

/**
 * socket.io's `auth: { token }`, the Authorization header for ws (browsers' ws cannot send it: see docs/websockets.md).
 */
const withToken = (transport: Transport, token: string): Credentials =>
  transport === 'socket.io' ? { authToken: token } : { authorization: `Bearer ${token}` };

describe('CognitoAuthGuard on WebSocket gateways', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
    const cognito = adminClient(target.options.endpoint!);
    await cognito.send(new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName: 'Admins' }));
    cognito.destroy();
  });
  beforeEach(() => {
    ran.length = 0;
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    describe.each(ADAPTERS)('on %s', (adapter) => {
      let app: INestApplication;
      let url: string;
      const connect = (credentials?: Credentials) => connectSocket(transport, url, '/ws', credentials);
      beforeAll(async () => {
        ({ app, url } = await gatewayApp(adapter, transport, target.options));
      });
      afterAll(() => app.close());

      it(
        "refuses a message from a socket that gave no token with the exception event and the module's code; " +
          'the handler never runs',
        async () => {
          const client = await connect();
          try {
            expect(await client.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenMissing'));
            expect(ran).toEqual([]);
            // The socket stays open: a public handler still answers it.
            expect(await client.ask('status')).toEqual({ event: 'status', data: { sub: null } });
            expect(ran).toEqual(['status']);
          } finally {
            client.close();
          }
        },
      );

      it(
        'lets a message through with the token given at ' + 'the handshake, and @CognitoUser() sees its claims',
        async () => {
          const client = await connect(withToken(transport, target.user.accessToken));
          try {
            const sub = JSON.parse(Buffer.from(target.user.accessToken.split('.')[1], 'base64url').toString()).sub;
            expect(await client.ask('me')).toEqual({ event: 'me', data: { username: target.user.username, sub } });
            expect(await client.ask('me')).toEqual({ event: 'me', data: { username: target.user.username, sub } });
            expect(await client.ask('status')).toEqual({ event: 'status', data: { sub } });
            expect(ran).toEqual(['me', 'me', 'status']);
          } finally {
            client.close();
          }
        },
      );

      it('refuses a malformed token with TokenInvalid', async () => {
        const client = await connect(withToken(transport, 'not-a-jwt'));
        try {
          expect(await client.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenInvalid'));
          expect(ran).toEqual([]);
        } finally {
          client.close();
        }
      });

      it('refuses a non-member with GroupRequired, and lets a member of the group through', async () => {
        const user = await createSignedInUser(target.options as never, `ws-${transport}-${adapter}@example.com`);
        rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
        const outsider = await connect(withToken(transport, user.accessToken));
        try {
          expect(await outsider.ask('admin')).toEqual(refusal(403, 'Forbidden', 'GroupRequired'));
          expect(ran).toEqual([]);
        } finally {
          outsider.close();
        }
        const cognito = adminClient(target.options.endpoint!);
        try {
          await cognito.send(
            new AdminAddUserToGroupCommand({
              UserPoolId: target.options.userPoolId,
              Username: user.username,
              GroupName: 'Admins',
            }),
          );
          // Groups are in the token: a new sign-in, a new socket.
          const { AuthenticationResult } = await cognito.send(
            new AdminInitiateAuthCommand({
              UserPoolId: target.options.userPoolId,
              ClientId: target.options.clientId,
              AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
              AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
            }),
          );
          rememberSecrets(
            AuthenticationResult!.AccessToken,
            AuthenticationResult!.IdToken,
            AuthenticationResult!.RefreshToken,
          );
          const member = await connect(withToken(transport, AuthenticationResult!.AccessToken!));
          try {
            expect(await member.ask('admin')).toEqual({ event: 'admin', data: { admin: true } });
            expect(ran).toEqual(['admin']);
          } finally {
            member.close();
          }
        } finally {
          cognito.destroy();
        }
      });
    });
  });

  describe.each(ADAPTERS)('socket.io on %s', (adapter) => {
    it("also reads the token from the handshake's Authorization header", async () => {
      const { app, url } = await gatewayApp(adapter, 'socket.io', target.options);
      const client = await connectSocket('socket.io', url, '/ws', {
        authorization: `Bearer ${target.user.accessToken}`,
      });
      try {
        expect((await client.ask('me')).data).toMatchObject({ username: target.user.username });
      } finally {
        client.close();
        await app.close();
      }
    });
  });

  describe.each(TRANSPORTS)('over %s, with tokens the test kit signs', (transport) => {
    let kit: CognitoTestKit;
    let app: INestApplication;
    let url: string;
    beforeAll(async () => {
      kit = await createCognitoTestKit();
      ({ app, url } = await gatewayApp('express', transport, kit.moduleOptions));
    });
    afterAll(async () => {
      await app.close();
      await kit.close();
    });
    const signed = (claims: CognitoTestClaims) => {
      const token = kit.accessToken(claims);
      rememberSecrets(token);
      return token;
    };

    it(
      'refuses a socket whose handshake carried two ' + 'Authorization headers with TokenInvalid, whichever is valid',
      async () => {
        const [ann, bob] = [signed({ username: 'ann' }), signed({ username: 'bob' })];
        const client = await connectSocket(transport, url, '/ws', {
          authorization: [`Bearer ${ann}`, `Bearer ${bob}`],
        });
        try {
          expect(await client.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenInvalid'));
          expect(await client.ask('status')).toEqual({ event: 'status', data: { sub: null } });
          expect(ran).toEqual(['status']);
        } finally {
          client.close();
        }
      },
    );

    it('refuses a token that had expired before the socket opened with TokenExpired', async () => {
      const late = await connectSocket(
        transport,
        url,
        '/ws',
        withToken(transport, signed({ username: 'ann', expiresIn: -60 })),
      );
      try {
        expect(await late.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenExpired'));
        expect(ran).toEqual([]);
      } finally {
        late.close();
      }
    });

    it(
      "refuses the messages a long-lived socket sends after its token's exp with TokenExpired (the client " +
        'reconnects with a fresh token)',
      async () => {
        // 20 s: the clock is moved past exp, and socket.io's client closes a socket whose server it has not heard for
        // 45
        // s.
        const token = signed({ username: 'ann', expiresIn: 20 });
        const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
        const client = await connectSocket(transport, url, '/ws', withToken(transport, token));
        try {
          expect(await client.ask('me')).toMatchObject({ event: 'me', data: { username: 'ann' } });
          expect(await client.ask('status')).toMatchObject({ event: 'status', data: { sub: expect.any(String) } });
          jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 + 1000);
          expect(await client.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenExpired'));
          // Nor do the socket's claims outlive the token on a public handler.
          expect(await client.ask('status')).toEqual({ event: 'status', data: { sub: null } });
          expect(ran).toEqual(['me', 'status', 'status']);
        } finally {
          jest.restoreAllMocks();
          client.close();
        }
        const fresh = await connectSocket(transport, url, '/ws', withToken(transport, signed({ username: 'ann' })));
        try {
          expect(await fresh.ask('me')).toMatchObject({ event: 'me', data: { username: 'ann' } });
        } finally {
          fresh.close();
        }
      },
    );
  });

  describe('with authGuard: true and a gateway without the guard', () => {
    it('does not start: NestJS 11 applies app-wide guards to HTTP routes only', async () => {
      await expect(gatewayApp('express', 'socket.io', target.options, OpenGateway)).rejects.toThrow(
        'authGuard does not reach the WebSocket gateway OpenGateway',
      );
    });

    it(
      '(why) an APP_GUARD never runs for a gateway handler ' + 'on NestJS 11: the message is handled unchecked',
      async () => {
        const checked: string[] = [];
        @Injectable()
        class CountingGuard implements CanActivate {
          canActivate() {
            checked.push('checked');
            return true;
          }
        }
        const app = await createApp(
          'express',
          { providers: [OpenGateway, { provide: APP_GUARD, useClass: CountingGuard }] },
          (app) => app.useWebSocketAdapter(new IoAdapter(app)),
        );
        const client = await connectSocket('socket.io', await listen(app), '/ws');
        try {
          expect(await client.ask('ping')).toEqual({ event: 'pong', data: {} });
          expect(ran).toEqual(['ping']);
          expect(checked).toEqual([]);
        } finally {
          client.close();
          await app.close();
        }
      },
    );
  });

  describe('refusing the connection itself (docs/websockets.md)', () => {
    it(
      'socket.io: a middleware turns a socket without a ' + 'valid token away with connect_error and the code',
      async () => {
        const { app, url } = await gatewayApp('express', 'socket.io', target.options, GatekeeperIoGateway);
        try {
          for (const [credentials, code] of [
            [{}, 'TokenInvalid'],
            [{ authToken: 'not-a-jwt' }, 'TokenInvalid'],
          ] as const) {
            await expect(connectSocket('socket.io', url, '/ws', credentials)).rejects.toMatchObject({
              message: 'Unauthorized',
              data: { code },
            });
          }
          const client = await connectSocket('socket.io', url, '/ws', { authToken: target.user.accessToken });
          try {
            expect(await client.ask('ping')).toEqual({ event: 'pong', data: {} });
          } finally {
            client.close();
          }
        } finally {
          await app.close();
        }
      },
    );

    it('ws: handleConnection closes a socket without a valid token (4401), and lets a valid one stay', async () => {
      const { app, url } = await gatewayApp('express', 'ws', target.options, GatekeeperWsGateway);
      try {
        const refused = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
        const [code, reason] = (await once(refused, 'close')) as [number, Buffer];
        expect([code, String(reason)]).toEqual([4401, 'Unauthorized']);
        const client = await connectSocket('ws', url, '/ws', withToken('ws', target.user.accessToken));
        try {
          expect(await client.ask('ping')).toEqual({ event: 'pong', data: {} });
        } finally {
          client.close();
        }
      } finally {
        await app.close();
      }
    });
  });
});

describe.each(ADAPTERS)(
  "socket.io's auth.token beside an Authorization header, on %s (tokens the test kit signs)",
  (adapter) => {
    let kit: CognitoTestKit;
    let app: INestApplication;
    let url: string;
    beforeAll(async () => {
      kit = await createCognitoTestKit();
      ({ app, url } = await gatewayApp(adapter, 'socket.io', kit.moduleOptions));
    });
    afterAll(async () => {
      await app.close();
      await kit.close();
    });
    beforeEach(() => {
      ran.length = 0;
    });
    const signed = (username: string) => {
      const token = kit.accessToken({ username });
      rememberSecrets(token);
      return token;
    };

    it(
      'refuses two different tokens with TokenInvalid, whichever is valid (as graphql-ws does for both ' +
        'spellings); the same token in both passes',
      async () => {
        const [ann, bob] = [signed('ann'), signed('bob')];
        const two = await connectSocket('socket.io', url, '/ws', { authToken: ann, authorization: `Bearer ${bob}` });
        try {
          expect(await two.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenInvalid'));
          expect(ran).toEqual([]);
        } finally {
          two.close();
        }
        const same = await connectSocket('socket.io', url, '/ws', { authToken: ann, authorization: `Bearer ${ann}` });
        try {
          expect((await same.ask('me')).data).toMatchObject({ username: 'ann' });
        } finally {
          same.close();
        }
      },
    );
  },
);
