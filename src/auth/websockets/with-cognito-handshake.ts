import type { WebSocketAdapter } from '@nestjs/common';
import { redeemAtHandshake, rememberHandshake } from './socket-request';
import type { CognitoSessionAuthenticator } from '../session-authenticator';
import { isCognitoRefusal } from '../../errors/ws-refusal';
import { OPEN } from '../ws-close-codes';

/** The part of a `ws` socket used here (`@nestjs/platform-ws`); socket.io's sockets have a `handshake` instead. */
interface WsSocket {
  readyState: number;
  send(data: string): void;
  on(event: string, listener: (payload: unknown) => void): unknown;
}

const bridged = new WeakSet<object>();

/** Options of {@link withCognitoHandshake}. */
export interface CognitoHandshakeOptions {
  /**
   * Server-side sessions (`session`): `app.get(CognitoSessionAuthenticator)`. A connection ticket
   * given at the handshake (socket.io's `auth: { ticket }`, `?ticket=` on a plain `ws` URL) is then
   * redeemed as the socket connects, rather than at its first guarded message (a ticket lives
   * 30 seconds). Either way it is redeemed once, and its access token stands for the connection.
   */
  sessions?: CognitoSessionAuthenticator;
}

/**
 * Makes a WebSocket adapter work with {@link CognitoAuthGuard} on `@nestjs/platform-ws`,
 * whose sockets keep no reference to their handshake:
 *
 * - records the `Authorization` header of each connection's upgrade request, which
 *   the guard reads on every message of that socket;
 * - sends the guard's refusals to the client as `{ "event": "exception", "data": … }`:
 *   Nest's gateway exception handling emits its `exception` event on the socket
 *   object, which a `ws` socket does not send anywhere. Only the guard's refusals
 *   are sent; other exceptions keep Nest's handling.
 *
 * - with `sessions`, redeems each socket's connection ticket as it connects (socket.io too).
 *
 * `app.useWebSocketAdapter(withCognitoHandshake(new WsAdapter(app)))`. Harmless on
 * socket.io's `IoAdapter`, which needs none of it but the tickets. Returns the same adapter.
 */
export function withCognitoHandshake<T extends WebSocketAdapter>(adapter: T, options: CognitoHandshakeOptions = {}): T {
  const bind = adapter.bindClientConnect.bind(adapter);
  adapter.bindClientConnect = (server: unknown, callback: (...args: unknown[]) => unknown) =>
    bind(server, (client: object, ...rest: unknown[]) => {
      if (!('handshake' in client)) {
        rememberHandshake(client, rest[0]);
        bridgeRefusals(client as WsSocket);
      }
      if (options.sessions !== undefined) redeemAtHandshake(client, options.sessions);
      return callback(client, ...rest);
    });
  return adapter;
}

/** Once per socket, however many gateways share its server. */
function bridgeRefusals(client: WsSocket): void {
  if (bridged.has(client) || typeof client.send !== 'function' || typeof client.on !== 'function') return;
  bridged.add(client);
  client.on('exception', (payload) => {
    if (isCognitoRefusal(payload) && client.readyState === OPEN)
      client.send(JSON.stringify({ event: 'exception', data: payload }));
  });
}
