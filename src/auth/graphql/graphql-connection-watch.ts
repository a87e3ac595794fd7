import { Logger } from '@nestjs/common';
import type { AuthRequest } from '../auth-request';
import { type TokenRechecker, watchConnectionToken } from '../connection-token-watch';
import { RateLimitedLog } from '../../internal/rate-limited-log';
import { CognitoGraphQLError } from '../../errors/cognito-graphql-error';
import { closeCodeOf } from '../ws-close-codes';

/** The part of a GraphQL connection's WebSocket (`ws`'s, under graphql-ws and Mercurius) a watch uses. */
export interface WatchableSocket {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The GraphQL connection behind a subscription's stand-in request:
 * its socket, when found, and the helper that would provide it.
 */
interface GraphQLConnection {
  readonly socket: WatchableSocket | undefined;
  readonly helper: 'cognitoGraphQLWsOnConnect' | 'cognitoMercuriusSubscription';
}

/** The stand-ins of GraphQL connections (see `graphql-request.ts`), weakly held as the stand-ins are. */
const connections = new WeakMap<AuthRequest, GraphQLConnection>();

const unwatchable = new RateLimitedLog(new Logger('CognitoAuthGuard'));

const isBag = (value: unknown): value is Record<PropertyKey, unknown> => typeof value === 'object' && value !== null;

/** Whether `value` has what a watch calls on a socket. */
export function isWatchableSocket(value: unknown): value is WatchableSocket {
  return isBag(value) && typeof value.close === 'function' && typeof value.once === 'function';
}

/** @internal Marks `request` as the stand-in of a GraphQL WebSocket connection, with its socket when it was found. */
export function markGraphQLConnection(
  request: AuthRequest,
  socket: unknown,
  helper: GraphQLConnection['helper'],
): void {
  connections.set(request, { socket: isWatchableSocket(socket) ? socket : undefined, helper });
}

/**
 * @internal The `ws` WebSocket of a Mercurius connection, found from its upgrade request
 * (Fastify's request, or Node's): `ws` keeps it on the TCP socket under its
 * `Symbol('websocket')` for as long as the connection is open.
 */
export function webSocketOfUpgrade(upgrade: Record<PropertyKey, unknown>): WatchableSocket | undefined {
  const raw = isBag(upgrade.raw) ? upgrade.raw : upgrade;
  const tcp = raw.socket;
  if (!isBag(tcp)) return undefined;
  const key = Object.getOwnPropertySymbols(tcp).find((symbol) => symbol.description === 'websocket');
  const socket = key === undefined ? undefined : tcp[key];
  return isWatchableSocket(socket) ? socket : undefined;
}

/**
 * @internal What the guard does when it admits a GraphQL subscription (or any operation
 * over a WebSocket): the connection is closed when the token does, at its `exp` and, with
 * `revocationCheck`, when found revoked (see {@link watchConnectionToken}), with or without
 * the connect-time helpers (a running subscription pushes with no further check). A
 * connection whose socket cannot be reached is refused (fails closed) rather than run
 * unwatched, with a message that names the helper which hands the socket over.
 * Anything that is no GraphQL connection is left alone.
 */
export function watchGraphQLConnection(
  request: AuthRequest,
  token: string,
  exp: number,
  verifier: TokenRechecker,
): void {
  const connection = connections.get(request);
  if (connection === undefined) return;
  const { socket, helper } = connection;
  if (socket === undefined) {
    const message =
      `This connection cannot be closed when its token expires, so it is refused: set up ${helper}(verifier) ` +
      '(docs/graphql.md)';
    unwatchable.warn(
      `A GraphQL subscription was refused: its WebSocket was not found. Set up ${helper}(verifier) (docs/graphql.md)`,
    );
    throw CognitoGraphQLError.fromAnswer({ statusCode: 500, code: 'CognitoMisconfigured', message });
  }
  watchConnectionToken(socket, {
    token,
    exp,
    verifier,
    end: (refusal) => socket.close(closeCodeOf(refusal), refusal.code),
    onClose: (stop) => socket.once('close', stop),
  });
}

/** @internal Whether `request` is the stand-in of a GraphQL WebSocket connection (which never reads a cookie). */
export function isGraphQLConnection(request: AuthRequest): boolean {
  return connections.has(request);
}
