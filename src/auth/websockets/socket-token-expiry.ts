import type { AuthRequest } from '../auth-request';
import { type TokenRechecker, watchConnectionToken } from '../connection-token-watch';
import type { CognitoAuthError } from '../../errors/cognito-auth.errors';
import { SocketRequest } from './socket-request';
import { wsRefusalOf } from '../../errors/ws-refusal';
import { closeCodeOf, OPEN } from '../ws-close-codes';

/** The parts of a socket.io socket (it has a `handshake`) and of a `ws` socket used here. */
interface GatewaySocket {
  handshake?: unknown;
  readyState?: number;
  once(event: string, listener: () => void): unknown;
  emit?(event: string, payload: unknown): unknown;
  disconnect?(close: boolean): unknown;
  send?(data: string): void;
  close?(code: number, reason: string): void;
}

/**
 * @internal Ends a gateway socket when the token the guard admitted it with does (see
 * {@link watchConnectionToken}): a handler returning an Observable keeps pushing with no
 * message for the guard to refuse. The client gets the `exception` event with the
 * refusal (`TokenExpired`, `TokenRevoked`), then the socket is disconnected, which ends
 * every stream Nest runs for it. Anything but a socket's request is left alone.
 */
export function watchSocketToken(request: AuthRequest, token: string, exp: number, verifier: TokenRechecker): void {
  if (!(request instanceof SocketRequest) || request.client === undefined) return;
  const client = request.client as GatewaySocket;
  const closeEvent = 'handshake' in client ? 'disconnect' : 'close';
  watchConnectionToken(client, {
    token,
    exp,
    verifier,
    end: (refusal) => endSocket(client, refusal),
    onClose: (stop) => client.once(closeEvent, stop),
  });
}

function endSocket(client: GatewaySocket, refusal: CognitoAuthError): void {
  const payload = wsRefusalOf(refusal);
  if ('handshake' in client) {
    client.emit?.('exception', payload);
    // Closes the connection once the exception is written (engine.io drains its buffer first).
    client.disconnect?.(true);
    return;
  }
  if (client.readyState === OPEN) client.send?.(JSON.stringify({ event: 'exception', data: payload }));
  client.close?.(closeCodeOf(refusal), refusal.code);
}
