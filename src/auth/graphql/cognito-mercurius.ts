import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { CognitoAuthError, CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { connectionAuthorization, connectionAuthorizationValue, MERCURIUS_CONNECTION_SOCKET } from './graphql-request';
import { bearerToken } from '../request-token';
import { closeCodeOf, OPEN } from '../ws-close-codes';
import type { CognitoSessionAuthenticator } from '../session-authenticator';
import { connectionTicketValue, MERCURIUS_TICKET_TOKEN, redeemConnectionTicket } from './connection-ticket';

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
  /**
   * Server-side sessions (`session`): inject `CognitoSessionAuthenticator` and pass it here to accept
   * `connectionParams.ticket`, a connection ticket from the `ws-ticket` endpoint, redeemed once when
   * the client connects; the access token it answers then stands for the connection (a used, expired
   * or unknown ticket: 4401 `TicketInvalid`). Without it a ticket is not read. An `authorization`
   * sent beside a ticket takes precedence.
   */
  sessions?: CognitoSessionAuthenticator;
}

/**
 * Mercurius's `subscription.context` and `subscription.onConnect`, as {@link cognitoMercuriusSubscription} makes them.
 */
export interface CognitoMercuriusSubscription {
  /**
   * Hands the connection's socket to the guard, which closes it when its token ends; a second
   * `connection_init` on the same socket closes it with 4429, as graphql-ws does.
   */
  context(socket: CognitoMercuriusSocket, request: unknown): Record<PropertyKey, unknown>;
  /**
   * Verifies `connectionParams.authorization` (or redeems `connectionParams.ticket`) when the client
   * connects; `false` refuses the connection, an object (merged into its context) carries a ticket's token.
   */
  onConnect(this: unknown, data: { payload?: unknown }): Promise<boolean | Record<symbol, string>>;
}

/** graphql-ws's close for a second `connection_init` on one socket. */
const TOO_MANY_INITIALISATION_REQUESTS = 4429;

/**
 * The sockets whose `connection_init` was seen, weakly held:
 * Mercurius would run `context` and `onConnect` again for each.
 */
const initialised = new WeakSet<object>();

/**
 * Mercurius's `subscription` options that authenticate its WebSocket connections with the
 * pool's {@link CognitoTokenVerifier}, as `cognitoGraphQLWsOnConnect` does on Apollo:
 *
 * - `onConnect` verifies `connectionParams.authorization` (or `Authorization`), as
 *   `Bearer <token>`, when the client connects; a connection without one, or whose token
 *   fails, is closed with 4401 and the module's code as the reason (`TokenMissing`,
 *   `TokenExpired`, ...), or 1013 (Try Again Later) when the keys cannot be fetched yet.
 * - `context` hands the connection's socket to {@link CognitoAuthGuard}, which closes it
 *   with 4401 and `TokenExpired` at the token's `exp`, and with `revocationCheck` asks again
 *   at the check's cache period and closes with 4401 and `TokenRevoked` (1013 when Cognito
 *   cannot answer). A second `connection_init` on a socket closes it with 4429 (Too many
 *   initialisation requests), as graphql-ws does.
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
    context: (socket) => {
      // Mercurius runs `context` and `onConnect` at every `connection_init`: one per socket, as the protocol says.
      if (initialised.has(socket)) {
        socket.close(TOO_MANY_INITIALISATION_REQUESTS, 'Too many initialisation requests');
        return {};
      }
      initialised.add(socket);
      return { [MERCURIUS_CONNECTION_SOCKET]: socket };
    },
    // A method, not an arrow: Mercurius calls it on its connection, whose socket it closes with the reason.
    async onConnect(this: unknown, { payload }) {
      if (isClosing(this)) return false;
      // Absent is not the same as malformed: an array, object or number there is a token that fails, optional or not.
      const given = connectionAuthorizationValue(payload);
      const { sessions } = options;
      const ticket = given === undefined && sessions !== undefined ? connectionTicketValue(payload) : undefined;
      if (given === undefined && ticket === undefined && options.optional === true) return true;
      if (ticket !== undefined && sessions !== undefined) {
        try {
          const token = await redeemConnectionTicket(sessions, ticket);
          await verifier.verify(token);
          // Merged into the connection's context, where the guard's stand-in request reads it.
          return { [MERCURIUS_TICKET_TOKEN]: token };
        } catch (error) {
          if (!(error instanceof CognitoAuthError)) throw error;
          return refuse(this, error);
        }
      }
      const token = connectionToken(payload);
      if (token === undefined) {
        const missing = given === undefined;
        return refuse(
          this,
          new CognitoUnauthorizedError(
            missing ? 'TokenMissing' : 'TokenInvalid',
            'connectionParams.authorization must be "Bearer <token>"',
          ),
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

/** The token of `connectionParams.authorization` as `Bearer <token>`, read like the header. */
function connectionToken(connectionParams: unknown): string | undefined {
  const authorization = connectionAuthorization(connectionParams);
  return authorization === undefined ? undefined : bearerToken(authorization);
}

/**
 * Whether Mercurius's connection (`this` of `onConnect`) has a
 * socket no longer open: a repeated `connection_init` closed it.
 */
function isClosing(connection: unknown): boolean {
  const socket = (connection as { socket?: { readyState?: unknown } } | undefined)?.socket;
  return typeof socket?.readyState === 'number' && socket.readyState !== OPEN;
}
