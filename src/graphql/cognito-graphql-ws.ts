import type { CognitoTokenVerifier } from '../auth/cognito-token-verifier';
import { CognitoAuthError, CognitoAuthUnavailableError } from '../errors/cognito-auth.errors';
import { connectionAuthorization, connectionAuthorizationValue } from './graphql-request';

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
}

/** WebSocket close codes: graphql-ws's 4401 Unauthorized, and 1013 Try Again Later for keys not available yet. */
const UNAUTHORIZED = 4401;
const TRY_AGAIN_LATER = 1013;

/**
 * graphql-ws's `onConnect` that verifies the connection's token once, when the
 * client connects: `connectionParams.authorization` (or `Authorization`), as
 * `Bearer <token>`, checked by the pool's {@link CognitoTokenVerifier} like the
 * guard's. A connection without one, or with a token that fails, is closed with
 * 4401 and the module's code as the reason (`TokenMissing`, `TokenExpired`, ...);
 * when the JWKS cannot be fetched yet, with 1013 (Try Again Later), which
 * graphql-ws clients retry. Each subscription then goes through
 * {@link CognitoAuthGuard} with the same token (groups, expiry at subscribe time,
 * `@CognitoUser()`); cookies are never read over a WebSocket.
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
    if (given === undefined && options.optional === true) return true;
    const authorization = connectionAuthorization(connection.connectionParams);
    const token = authorization === undefined ? undefined : /^Bearer +([^\s]+) *$/i.exec(authorization)?.[1];
    if (token === undefined) return refuse(connection, UNAUTHORIZED, given === undefined ? 'TokenMissing' : 'TokenInvalid');
    try {
      await verifier.verify(token);
      return true;
    } catch (error) {
      if (!(error instanceof CognitoAuthError)) throw error;
      return refuse(connection, error instanceof CognitoAuthUnavailableError ? TRY_AGAIN_LATER : UNAUTHORIZED, error.code);
    }
  };
}

/** Closes the socket with `code` where graphql-ws lets us reach it; graphql-ws's own `false` (4403) otherwise. */
function refuse(connection: CognitoGraphQLWsConnection, code: number, reason: string): false {
  const socket = (connection.extra as { socket?: { close?: unknown } } | undefined)?.socket;
  if (typeof socket?.close === 'function') (socket.close as (code: number, reason: string) => void)(code, reason);
  return false;
}
