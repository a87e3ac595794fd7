import { Logger } from '@nestjs/common';
import type { AuthRequest } from '../auth/auth-request';
import type { CognitoClaims } from '../auth/cognito-token-verifier';
import { COGNITO_REQUEST_USER } from '../options/constants';

/**
 * @internal The `Authorization` header of each `ws` connection's upgrade request
 * (`null`: none), recorded by {@link withCognitoHandshake}: a `ws` socket keeps no
 * reference to its request. Keyed weakly: an entry goes with its socket.
 */
const handshakes = new WeakMap<object, string | null>();
const requests = new WeakMap<object, SocketRequest>();
const logger = new Logger('CognitoAuthGuard');
let warnedUnrecorded = false;

/** @internal Keeps the `Authorization` header of the request a `ws` socket was opened with. */
export function rememberHandshake(client: object, request: unknown): void {
  const authorization = (request as { headers?: Record<string, unknown> } | undefined)?.headers?.authorization;
  handshakes.set(client, typeof authorization === 'string' ? authorization : null);
}

/**
 * @internal What {@link CognitoAuthGuard} reads and writes for one socket, as it
 * does an HTTP request: the token given once at the handshake, as an
 * `Authorization` header, and the claims of the socket's last successful check.
 *
 * No cookie: a browser sends its cookies with a cross-site WebSocket handshake
 * (there is no CORS for WebSockets), so a cookie would let any site open a socket
 * as the user (cross-site WebSocket hijacking).
 */
export class SocketRequest implements AuthRequest {
  readonly headers: { authorization?: string };
  [key: string]: unknown;
  private claims?: CognitoClaims;

  constructor(authorization: string | undefined) {
    this.headers = authorization === undefined ? {} : { authorization };
  }

  /** The claims of the last successful check, never past the token's `exp`: a long-lived socket outlives its token. */
  get [COGNITO_REQUEST_USER](): CognitoClaims | undefined {
    const claims = this.claims;
    if (claims !== undefined && claims.exp * 1000 <= Date.now()) this.claims = undefined;
    return this.claims;
  }

  set [COGNITO_REQUEST_USER](claims: CognitoClaims | undefined) {
    this.claims = claims;
  }
}

/** @internal The socket's {@link SocketRequest}, made at its first message; gone with the socket. */
export function socketRequest(client: object): SocketRequest {
  let request = requests.get(client);
  if (request === undefined) {
    request = new SocketRequest(handshakeAuthorization(client));
    requests.set(client, request);
  }
  return request;
}

/**
 * socket.io: `auth: { token }` (the raw token, or `Bearer <token>`), else the
 * handshake's `Authorization` header. `ws`: the header recorded at the upgrade.
 */
function handshakeAuthorization(client: object): string | undefined {
  const { handshake } = client as { handshake?: { auth?: Record<string, unknown>; headers?: Record<string, unknown> } };
  if (typeof handshake === 'object' && handshake !== null) {
    const token = handshake.auth?.token;
    // Anything but a string is malformed: a "Bearer " with nothing after it reads as TokenInvalid.
    if (token !== undefined) return typeof token === 'string' && /^bearer /i.test(token) ? token : `Bearer ${typeof token === 'string' ? token : ''}`;
    const header = handshake.headers?.authorization;
    return typeof header === 'string' ? header : undefined;
  }
  const recorded = handshakes.get(client);
  if (recorded === undefined && !warnedUnrecorded) {
    warnedUnrecorded = true;
    logger.warn('A socket without a recorded handshake: for @nestjs/platform-ws, wrap the adapter with withCognitoHandshake()');
  }
  return recorded ?? undefined;
}
