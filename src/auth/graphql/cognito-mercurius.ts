import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { watchConnectionToken } from '../connection-token-watch';
import { CognitoAuthError, CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { connectionAuthorization, connectionAuthorizationValue, MERCURIUS_CONNECTION_WATCH } from './graphql-request';

/** What {@link cognitoMercuriusSubscription} uses of Mercurius's socket (a `ws` WebSocket). */
export interface CognitoMercuriusSocket {
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Options of {@link cognitoMercuriusSubscription}. */
export interface CognitoMercuriusSubscriptionOptions {
  /**
   * Accept connections that carry no `authorization` at all (for public
   * subscriptions; the guard still refuses protected ones with `UNAUTHENTICATED`).
   * A token that is there and fails is refused either way. Default `false`.
   */
  optional?: boolean;
}

/** Mercurius's `subscription.context` and `subscription.onConnect`, as {@link cognitoMercuriusSubscription} makes them. */
export interface CognitoMercuriusSubscription {
  /** Sets up the connection's watch, which closes the socket when its token ends. */
  context(socket: CognitoMercuriusSocket, request: unknown): Record<PropertyKey, unknown>;
  /** Verifies `connectionParams.authorization` when the client connects; `false` refuses the connection. */
  onConnect(this: unknown, data: { payload?: unknown }): Promise<boolean>;
}

/** WebSocket close codes: graphql-ws's 4401 Unauthorized, and 1013 Try Again Later for keys or Cognito not available yet. */
const UNAUTHORIZED = 4401;
const TRY_AGAIN_LATER = 1013;

/**
 * Mercurius's `subscription` options that authenticate its WebSocket connections with the
 * pool's {@link CognitoTokenVerifier}, as `cognitoGraphQLWsOnConnect` does on Apollo:
 *
 * - `onConnect` verifies `connectionParams.authorization` (or `Authorization`), as
 *   `Bearer <token>`, when the client connects; a connection without one, or whose token
 *   fails, is closed with 4401 and the module's code as the reason (`TokenMissing`,
 *   `TokenExpired`, ...), or 1013 (Try Again Later) when the keys cannot be fetched yet.
 * - `context` gives each connection a watch, started by its first operation, that closes the
 *   socket with 4401 and `TokenExpired` at the token's `exp`, and with `revocationCheck`
 *   asks again at the check's cache period and closes with 4401 and `TokenRevoked` (1013
 *   when Cognito cannot answer).
 *
 * Each subscription then goes through {@link CognitoAuthGuard} with that same token, read
 * from `connectionParams` only: never the upgrade request's cookies or headers.
 *
 * @example
 * ```ts
 * GraphQLModule.forRootAsync<MercuriusDriverConfig>({
 *   driver: MercuriusDriver,
 *   inject: [CognitoTokenVerifier],
 *   useFactory: (verifier: CognitoTokenVerifier) => ({
 *     autoSchemaFile: true,
 *     subscription: cognitoMercuriusSubscription(verifier),
 *   }),
 * });
 * ```
 */
export function cognitoMercuriusSubscription(
  verifier: CognitoTokenVerifier,
  options: CognitoMercuriusSubscriptionOptions = {},
): CognitoMercuriusSubscription {
  return {
    context: (socket) => ({ [MERCURIUS_CONNECTION_WATCH]: connectionWatch(socket, verifier) }),
    // A method, not an arrow: Mercurius calls it on its connection, whose socket it closes with the reason.
    async onConnect(this: unknown, { payload }) {
      // Absent is not the same as malformed: an array, object or number there is a token that fails, optional or not.
      const given = connectionAuthorizationValue(payload);
      if (given === undefined && options.optional === true) return true;
      const token = bearerToken(payload);
      if (token === undefined) {
        const missing = given === undefined;
        return refuse(
          this,
          new CognitoUnauthorizedError(missing ? 'TokenMissing' : 'TokenInvalid', 'connectionParams.authorization must be "Bearer <token>"'),
        );
      }
      try {
        await verifier.verify(token);
        return true;
      } catch (error) {
        if (!(error instanceof CognitoAuthError)) throw error;
        return refuse(this, error);
      }
    },
  };
}

/**
 * Refuses a connection: `false`, on which Mercurius sends `connection_error` and closes the
 * socket. Mercurius 16 calls `onConnect` as a method of its connection: its socket is closed
 * first with the reason (4401 and the module's code, 1013 when keys or Cognito are not
 * available), as graphql-ws clients expect and as `cognitoGraphQLWsOnConnect` does on Apollo.
 */
function refuse(connection: unknown, reason: CognitoAuthError): false {
  const socket = (connection as { socket?: Partial<CognitoMercuriusSocket> } | undefined)?.socket;
  if (typeof socket?.close === 'function') socket.close(closeCodeOf(reason), reason.code);
  return false;
}

/** The WebSocket close code of a refusal: 1013 (Try Again Later) when the token cannot be judged yet, 4401 otherwise. */
function closeCodeOf(reason: CognitoAuthError): number {
  return reason instanceof CognitoAuthUnavailableError ? TRY_AGAIN_LATER : UNAUTHORIZED;
}

/** The token of `connectionParams.authorization` as `Bearer <token>`, read like the header. */
function bearerToken(connectionParams: unknown): string | undefined {
  const authorization = connectionAuthorization(connectionParams);
  return authorization === undefined ? undefined : /^Bearer +([^\s]+) *$/i.exec(authorization)?.[1];
}

/**
 * The watch of one connection: from its first operation (where the guard's read of the
 * context starts it), closes the socket when the connection's token ends (see
 * {@link watchConnectionToken}). Idempotent; an anonymous connection has nothing to watch.
 */
function connectionWatch(socket: CognitoMercuriusSocket, verifier: CognitoTokenVerifier): (connectionParams: unknown) => void {
  let started = false;
  let closed = false;
  socket.once('close', () => (closed = true));
  const end = (reason: CognitoAuthError) => {
    if (!closed) socket.close(closeCodeOf(reason), reason.code);
  };
  return (connectionParams) => {
    if (started) return;
    started = true;
    const token = bearerToken(connectionParams);
    if (token === undefined) return;
    verifier.verify(token).then(
      ({ exp }) => {
        if (!closed) watchConnectionToken(socket, { token, exp, verifier, end, onClose: (stop) => socket.once('close', stop) });
      },
      (error: unknown) =>
        end(
          error instanceof CognitoAuthError
            ? error
            : new CognitoAuthUnavailableError('RevocationCheckUnavailable', 'The token cannot be checked right now; retry later'),
        ),
    );
  };
}
