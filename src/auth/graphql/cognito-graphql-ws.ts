import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { watchConnectionToken } from '../connection-token-watch';
import { CognitoAuthError } from '../../errors/cognito-auth.errors';
import { connectionAuthorization, connectionAuthorizationValue } from './graphql-request';
import { bearerToken } from '../request-token';
import { closeCodeOf, UNAUTHORIZED } from '../ws-close-codes';
import type { CognitoSessionAuthenticator } from '../session-authenticator';
import { connectionTicketValue, redeemConnectionTicket, rememberTicketToken } from './connection-ticket';

/** What {@link cognitoGraphQLWsOnConnect} reads of graphql-ws's connection context (graphql-ws 5 and 6). */
export interface CognitoGraphQLWsConnection {
  /** The `connection_init` payload: the client's `connectionParams`. */
  readonly connectionParams?: Readonly<Record<string, unknown>>;
  /** With `graphql-ws/use/ws` (Nest's drivers), `{ socket, request }`: the socket closes with the refusal's code. */
  readonly extra?: unknown;
}

/** Options of {@link cognitoGraphQLWsOnConnect}. */
export interface CognitoGraphQLWsOptions {
  /**
   * Accept connections that carry no `authorization` at all (for public
   * subscriptions; the guard still refuses protected ones with `UNAUTHENTICATED`).
   * A token that is there and fails is refused either way. Default `false`.
   */
  optional?: boolean;
  /**
   * Server-side sessions (`session`): inject `CognitoSessionAuthenticator` and pass it here to accept
   * `connectionParams.ticket`, a connection ticket from the `ws-ticket` endpoint. It is redeemed once,
   * when the client connects, and the access token it answers then stands for the connection as an
   * `authorization` would (a used, expired or unknown ticket: 4401 `TicketInvalid`). Without it a
   * ticket is not read. An `authorization` sent beside a ticket takes precedence.
   */
  sessions?: CognitoSessionAuthenticator;
}

/**
 * graphql-ws's `onConnect` that verifies the connection's token once, when the
 * client connects: `connectionParams.authorization` (or `Authorization`), as
 * `Bearer <token>`, checked by the pool's {@link CognitoTokenVerifier} like the
 * guard's. A connection without one, or with a token that fails, is closed with
 * 4401 and the module's code as the reason (`TokenMissing`, `TokenExpired`, ...);
 * when the JWKS cannot be fetched yet, with 1013 (Try Again Later), which
 * graphql-ws clients retry. Each subscription then goes through
 * {@link CognitoAuthGuard} with the same token (groups, expiry at subscribe time,
 * `@CognitoUser()`); cookies are never read over a WebSocket. The connection ends
 * with its token: at its `exp` it is closed with 4401 `TokenExpired`, running
 * subscriptions included; with `revocationCheck`, the token is re-checked every cache
 * period and the connection closed with 4401 `TokenRevoked` (1013 when Cognito cannot
 * answer). graphql-ws's client treats 4401 as final: subscribe again with a fresh token.
 *
 * @example
 * ```ts
 * GraphQLModule.forRootAsync<ApolloDriverConfig>({
 *   driver: ApolloDriver,
 *   inject: [CognitoTokenVerifier],
 *   useFactory: (verifier: CognitoTokenVerifier) => ({
 *     autoSchemaFile: true,
 *     subscriptions: { 'graphql-ws': { onConnect: cognitoGraphQLWsOnConnect(verifier) } },
 *   }),
 * });
 * ```
 */
export function cognitoGraphQLWsOnConnect(
  verifier: CognitoTokenVerifier,
  options: CognitoGraphQLWsOptions = {},
): (connection: CognitoGraphQLWsConnection) => Promise<boolean> {
  return async (connection) => {
    // Absent is not the same as malformed: an array, object or number there is a token that fails, optional or not.
    const given = connectionAuthorizationValue(connection.connectionParams);
    const ticket =
      given === undefined && options.sessions !== undefined
        ? connectionTicketValue(connection.connectionParams)
        : undefined;
    if (given === undefined && ticket === undefined && options.optional === true) return true;
    try {
      let token: string | undefined;
      if (ticket !== undefined && options.sessions !== undefined) {
        token = await redeemConnectionTicket(options.sessions, ticket);
      } else {
        const authorization = connectionAuthorization(connection.connectionParams);
        token = authorization === undefined ? undefined : bearerToken(authorization);
        if (token === undefined)
          return refuse(connection, UNAUTHORIZED, given === undefined ? 'TokenMissing' : 'TokenInvalid');
      }
      const { exp } = await verifier.verify(token);
      if (ticket !== undefined) rememberTicketToken(connection, token);
      return endsWithToken(connection, token, exp, verifier);
    } catch (error) {
      if (!(error instanceof CognitoAuthError)) throw error;
      return refuse(connection, closeCodeOf(error), error.code);
    }
  };
}

/** The part of graphql-ws's `extra.socket` used here (`ws`'s WebSocket with `graphql-ws/use/ws`). */
interface ConnectionSocket {
  close(code: number, reason: string): void;
  once?(event: 'close', listener: () => void): unknown;
}

function socketOf(connection: CognitoGraphQLWsConnection): ConnectionSocket | undefined {
  const socket = (connection.extra as { socket?: { close?: unknown } } | undefined)?.socket;
  return typeof socket?.close === 'function' ? (socket as ConnectionSocket) : undefined;
}

/** Closes the socket with `code` where graphql-ws lets us reach it; graphql-ws's own `false` (4403) otherwise. */
function refuse(connection: CognitoGraphQLWsConnection, code: number, reason: string): false {
  socketOf(connection)?.close(code, reason);
  return false;
}

/**
 * Accepts the connection and closes it when its token ends (see {@link watchConnectionToken}):
 * a running subscription pushes without another check. A connection whose socket cannot be
 * reached cannot be closed then: refused (fails closed).
 */
function endsWithToken(
  connection: CognitoGraphQLWsConnection,
  token: string,
  exp: number,
  verifier: CognitoTokenVerifier,
): boolean {
  const socket = socketOf(connection);
  if (socket === undefined) return false;
  watchConnectionToken(socket, {
    token,
    exp,
    verifier,
    end: (refusal) => socket.close(closeCodeOf(refusal), refusal.code),
    onClose: (stop) => socket.once?.('close', stop),
  });
  return true;
}
