import { Logger } from '@nestjs/common';
import type { AuthRequest } from '../auth-request';
import type { CognitoClaims } from '../cognito-claims';
import { isAuthorizationName } from '../request-token';
import { COGNITO_REQUEST_USER } from '../../options/constants';

/**
 * @internal The `Authorization` headers of each `ws` connection's upgrade request
 * (usually one or none), recorded by {@link withCognitoHandshake}: a `ws` socket keeps no
 * reference to its request. Keyed weakly: an entry goes with its socket.
 */
const handshakes = new WeakMap<object, string[]>();
const requests = new WeakMap<object, SocketRequest>();
const logger = new Logger('CognitoAuthGuard');
let warnedUnrecorded = false;

/** @internal Keeps the `Authorization` headers of the request a `ws` socket was opened with. */
export function rememberHandshake(client: object, request: unknown): void {
  handshakes.set(client, authorizationsOf(request));
}

/** Every `Authorization` header of a handshake request, in order: Node's `headers` keeps only the first. */
function authorizationsOf(request: unknown): string[] {
  const { headers, rawHeaders } = (request ?? {}) as { headers?: Record<string, unknown>; rawHeaders?: unknown };
  if (Array.isArray(rawHeaders)) {
    return rawHeaders.filter(
      (value, i): value is string => i % 2 === 1 && typeof value === 'string' && isAuthorizationName(rawHeaders[i - 1]),
    );
  }
  const header = headers?.authorization;
  return typeof header === 'string' ? [header] : [];
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
  /** The handshake's `Authorization` headers as sent, names and values alternating: the guard refuses more than one. */
  readonly rawHeaders: string[];
  [key: string]: unknown;
  private claims?: CognitoClaims;

  constructor(
    authorizations: readonly string[],
    /** The socket itself, which ends with its token (see watchSocketToken). */
    readonly client?: object,
  ) {
    this.headers = authorizations.length === 0 ? {} : { authorization: authorizations[0] };
    this.rawHeaders = authorizations.flatMap((value) => ['authorization', value]);
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
    request = new SocketRequest(handshakeAuthorizations(client), client);
    requests.set(client, request);
  }
  return request;
}

/**
 * socket.io: `auth: { token }` (the raw token, or `Bearer <token>`) and the handshake's
 * `Authorization` headers; a header with another token is kept beside it, so that the guard
 * refuses the two (which one is meant cannot be known), as graphql-ws's two spellings are.
 * `ws`: the headers recorded at the upgrade.
 */
function handshakeAuthorizations(client: object): string[] {
  const { handshake, request } = client as {
    handshake?: { auth?: Record<string, unknown>; headers?: Record<string, unknown> };
    request?: unknown;
  };
  if (typeof handshake === 'object' && handshake !== null) {
    // The handshake's request has them all; its `headers` (the same object as the request's) only the first.
    const headers = authorizationsOf(typeof request === 'object' && request !== null ? request : handshake);
    const token = handshake.auth?.token;
    if (token === undefined) return headers;
    // Anything but a string is malformed: a "Bearer " with nothing after it reads as TokenInvalid.
    const given =
      typeof token === 'string' && /^bearer /i.test(token) ? token : `Bearer ${typeof token === 'string' ? token : ''}`;
    return [given, ...headers.filter((header) => bearerValue(header) !== bearerValue(given))];
  }
  const recorded = handshakes.get(client);
  if (recorded === undefined && !warnedUnrecorded) {
    warnedUnrecorded = true;
    logger.warn(
      'A socket without a recorded handshake: for @nestjs/platform-ws, wrap the adapter with withCognitoHandshake()',
    );
  }
  return recorded ?? [];
}

/** The credentials of an `Authorization` value, for comparing two spellings of one bearer token. */
function bearerValue(authorization: string): string {
  return authorization.replace(/^bearer +/i, '').trim();
}
