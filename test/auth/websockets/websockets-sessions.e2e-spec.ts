// CognitoAuthGuard on WebSocket gateways with server-side sessions, with a stand-in session
// authenticator that answers cognito-local's access tokens: socket.io (auth.ticket) and ws
// (?ticket= on the handshake URL), each on the Express and the Fastify HTTP server. A session
// cookie never authenticates a handshake; a ticket is redeemed once for the connection.
import { once } from 'node:events';
import type { INestApplication } from '@nestjs/common';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { UseGuards } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import {
  CognitoAccessToken,
  CognitoAuthGuard,
  CognitoModule,
  CognitoSessionAuthenticator,
  CognitoUser,
  Public,
  withCognitoHandshake,
} from '../../../src';
import { createCognitoTestKit } from '../../../src/testing';
import { ADAPTERS, createApp } from '../../support/bootstrap';
import { rememberSecrets } from '../../support/secrets';
import { listen } from '../../support/listening';
import { SESSION_COOKIE, StandInSessions, StandInSessionsModule } from '../../support/session-stand-in';
import { connectSocket, type Credentials, TRANSPORTS, type Transport } from '../../support/socket-clients';
import { type CognitoTarget, localTarget } from '../../support/target';

@UseGuards(CognitoAuthGuard)
@WebSocketGateway({ path: '/ws' })
class ProfileGateway {
  @SubscribeMessage('me')
  me(@CognitoUser('username') username: string, @CognitoAccessToken() token: string | undefined) {
    // Whether the handler got the token the ticket was redeemed for: never the token itself.
    return { event: 'me', data: { username, token: token === undefined ? null : token.length } };
  }

  @Public()
  @SubscribeMessage('status')
  status(@CognitoUser('username') username: string | undefined) {
    return { event: 'status', data: { username: username ?? null } };
  }
}

const refusal = (statusCode: number, error: string, code: string) => ({
  event: 'exception',
  data: { status: 'error', statusCode, error, message: expect.any(String), code },
});

describe('CognitoAuthGuard on WebSocket gateways with a stand-in session authenticator', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    describe.each(ADAPTERS)('on %s', (adapter) => {
      let app: INestApplication;
      let url: string;
      let sessions: StandInSessions;
      const connect = (credentials?: Credentials) => connectSocket(transport, url, '/ws', credentials);
      beforeAll(async () => {
        app = await createApp(
          adapter,
          {
            imports: [CognitoModule.forRoot({ ...target.options, authGuard: true }), StandInSessionsModule],
            providers: [ProfileGateway],
          },
          // socket.io's adapter wrapped too, given the sessions: tickets are redeemed as sockets connect.
          (app) => {
            const sessions = app.get(CognitoSessionAuthenticator);
            const wrapped = transport === 'ws' ? new WsAdapter(app) : new IoAdapter(app);
            app.useWebSocketAdapter(withCognitoHandshake(wrapped, { sessions }));
          },
        );
        url = await listen(app);
        sessions = app.get(StandInSessions);
        sessions.start('ann', target.user.accessToken);
      });
      afterAll(() => app.close());

      it('refuses a socket whose handshake has the session cookie alone (TokenMissing), never asks it', async () => {
        const asked = sessions.asked.length;
        const client = await connect({ cookie: `${SESSION_COOKIE}=ann` });
        try {
          expect(await client.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TokenMissing'));
          expect(await client.ask('status')).toEqual({ event: 'status', data: { username: null } });
          expect(sessions.asked.length).toBe(asked);
        } finally {
          client.close();
        }
      });

      it('redeems a socket’s ticket once, as it connects; the same ticket again is refused', async () => {
        sessions.issueTicket(`ticket-${transport}-${adapter}`, target.user.accessToken);
        const redeemTicket = sessions.redeemTicket.bind(sessions);
        let redeemed!: () => void;
        const atConnection = new Promise<void>((resolve) => (redeemed = resolve));
        const redeem = jest.spyOn(sessions, 'redeemTicket').mockImplementation((ticket) => {
          redeemed();
          return redeemTicket(ticket);
        });
        const client = await connect({ ticket: `ticket-${transport}-${adapter}` });
        try {
          // Before any message: the handshake redeemed it.
          await atConnection;
          expect(redeem).toHaveBeenCalledTimes(1);
          const me = { event: 'me', data: { username: target.user.username, token: target.user.accessToken.length } };
          expect(await client.ask('me')).toEqual(me);
          expect(await client.ask('me')).toEqual(me);
          expect(await client.ask('status')).toEqual({ event: 'status', data: { username: target.user.username } });
          expect(redeem).toHaveBeenCalledTimes(1);
        } finally {
          client.close();
          redeem.mockRestore();
        }
        const replayed = await connect({ ticket: `ticket-${transport}-${adapter}` });
        try {
          expect(await replayed.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TicketInvalid'));
          expect(await replayed.ask('me')).toEqual(refusal(401, 'Unauthorized', 'TicketInvalid'));
          // A public handler still answers it, anonymously.
          expect(await replayed.ask('status')).toEqual({ event: 'status', data: { username: null } });
        } finally {
          replayed.close();
        }
      });
    });
  });

  describe.each(TRANSPORTS)(
    'a socket admitted by its ticket ends with the token (testing kit, 2 s), over %s',
    (transport) => {
      it.each(ADAPTERS)('on %s: the exception event (TokenExpired), then the disconnect', async (adapter) => {
        const kit = await createCognitoTestKit();
        const app = await createApp(
          adapter,
          {
            imports: [CognitoModule.forRoot({ ...kit.moduleOptions, authGuard: true }), StandInSessionsModule],
            providers: [ProfileGateway],
          },
          (app) => {
            const sessions = app.get(CognitoSessionAuthenticator);
            const wrapped = transport === 'ws' ? new WsAdapter(app) : new IoAdapter(app);
            app.useWebSocketAdapter(withCognitoHandshake(wrapped, { sessions }));
          },
        );
        try {
          const token = kit.accessToken({ username: 'ann', expiresIn: 2 });
          rememberSecrets(token);
          app.get(StandInSessions).issueTicket('short-lived', token);
          const heard = await untilEnd(transport, await listen(app), 'short-lived');
          expect(heard).toEqual([
            { event: 'me', data: { username: 'ann', token: token.length } },
            { event: 'exception', data: expect.objectContaining({ statusCode: 401, code: 'TokenExpired' }) },
            { event: 'end', data: transport === 'ws' ? { code: 4401 } : { reason: 'io server disconnect' } },
          ]);
        } finally {
          await app.close();
          await kit.close();
        }
      });
    },
  );
});

/** Opens a socket with `ticket`, asks `me` once, and answers what it heard until the server ended it. */
async function untilEnd(
  transport: Transport,
  url: string,
  ticket: string,
): Promise<Array<{ event: string; data: unknown }>> {
  const heard: Array<{ event: string; data: unknown }> = [];
  if (transport === 'socket.io') {
    const socket = io(url, {
      path: '/ws',
      transports: ['websocket'],
      auth: { ticket },
      reconnection: false,
      forceNew: true,
    });
    socket.onAny((event: string, data: unknown) => heard.push({ event, data }));
    const ended = new Promise<void>((resolve) =>
      socket.on('disconnect', (reason) => resolve(void heard.push({ event: 'end', data: { reason } }))),
    );
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    socket.emit('me');
    await ended;
    return heard;
  }
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?ticket=${ticket}`);
  socket.on('message', (raw) => heard.push(JSON.parse(String(raw)) as { event: string; data: unknown }));
  const ended = new Promise<void>((resolve) =>
    socket.on('close', (code) => resolve(void heard.push({ event: 'end', data: { code } }))),
  );
  await once(socket, 'open');
  socket.send(JSON.stringify({ event: 'me' }));
  await ended;
  return heard;
}
