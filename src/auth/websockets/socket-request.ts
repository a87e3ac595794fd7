import { Logger } from '@nestjs/common';
import type { AuthRequest } from '../auth-request';
import type { CognitoClaims } from '../cognito-claims';
import { isAuthorizationName } from '../request-token';
import { COGNITO_REQUEST_USER } from '../../options/constants';
import type { CognitoSessionAuthenticator } from '../session-authenticator';

/**
 * @internal The `Authorization` headers of each `ws` connection's upgrade request
 * (usually one or none), recorded by {@link withCognitoHandshake}: a `ws` socket keeps no
 * reference to its request. Keyed weakly: an entry goes with its socket.
 */
const handshakes = new WeakMap<object, { authorizations: string[]; ticket?: string }>();
const requests = new WeakMap<object, SocketRequest>();
const logger = new Logger('CognitoAuthGuard');
let warnedUnrecorded = false;

/** @internal Keeps the `Authorization` headers and the `?ticket=` of the request a `ws` socket was opened with. */
export function rememberHandshake(client: object, request: unknown): void {
  handshakes.set(client, { authorizations: authorizationsOf(request), ticket: urlTicketOf(request) });
}

/** A plain `ws` handshake's connection ticket: `?ticket=` on its URL (a browser's WebSocket sends no header). */
function urlTicketOf(request: unknown): string | undefined {
  const url = (request as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || !url.includes('?')) return undefined;
  const tickets = new URLSearchParams(url.slice(url.indexOf('?') + 1)).getAll('ticket');
  // Sent twice: which one is meant cannot be known; an empty one stands for a ticket that fails.
  return tickets.length === 0 ? undefined : tickets.length === 1 ? tickets[0] : '';
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
  [key: symbol]: unknown;
  private claims?: CognitoClaims;
  /** The redemption of {@link ticket}: once per connection, however many messages ask. */
  private redemption?: Promise<string>;

  constructor(
    authorizations: readonly string[],
    /** The socket itself, which ends with its token (see watchSocketToken). */
    readonly client?: object,
    /**
     * The connection ticket given at the handshake (server-side sessions): socket.io's `auth.ticket`,
     * a plain `ws` URL's `?ticket=`. Redeemed for an access token that then stands for the connection.
     */
    readonly ticket?: string,
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

  /**
   * The access token the handshake's ticket is redeemed for (`undefined` without a ticket): redeemed
   * once, at the socket's first guarded message; a refusal (`TicketInvalid`, the store down) stays
   * the connection's answer, as a handshake token that fails does. The ticket is single-use: a
   * reconnecting client gets a new one.
   */
  ticketToken(sessions: CognitoSessionAuthenticator): Promise<string> | undefined {
    if (this.ticket === undefined) return undefined;
    this.redemption ??= sessions.redeemTicket(this.ticket);
    return this.redemption;
  }
}

/** @internal The socket's {@link SocketRequest}, made at its first message; gone with the socket. */
export function socketRequest(client: object): SocketRequest {
  let request = requests.get(client);
  if (request === undefined) {
    request = new SocketRequest(handshakeAuthorizations(client), client, handshakeTicket(client));
    requests.set(client, request);
  }
  return request;
}

/**
 * @internal Starts the redemption of a socket's handshake ticket as it connects; the guard awaits
 * the same redemption at each message (a refusal is its answer then, never an unhandled rejection).
 */
export function redeemAtHandshake(client: object, sessions: CognitoSessionAuthenticator): void {
  socketRequest(client)
    .ticketToken(sessions)
    ?.catch(() => undefined);
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
  return recorded?.authorizations ?? [];
}

/** socket.io: `auth: { ticket }` (anything but a string is a ticket that fails); `ws`: the recorded `?ticket=`. */
function handshakeTicket(client: object): string | undefined {
  const { handshake } = client as { handshake?: { auth?: Record<string, unknown> } };
  if (typeof handshake === 'object' && handshake !== null) {
    const ticket = handshake.auth?.ticket;
    return ticket === undefined ? undefined : typeof ticket === 'string' ? ticket : '';
  }
  return handshakes.get(client)?.ticket;
}

/** The credentials of an `Authorization` value, for comparing two spellings of one bearer token. */
function bearerValue(authorization: string): string {
  return authorization.replace(/^bearer +/i, '').trim();
}
