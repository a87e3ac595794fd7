import type { AuthRequest } from '../auth-request';
import { isUpgradeRequest } from '../request-token';
import { markGraphQLConnection, webSocketOfUpgrade } from './graphql-connection-watch';
import { MERCURIUS_TICKET_TOKEN, ticketTokenOf } from './connection-ticket';

type Bag = Record<PropertyKey, unknown>;
const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null;

/** One stand-in request per WebSocket connection, so that the guard and `@CognitoUser()` meet on the same object. */
const connections = new WeakMap<object, AuthRequest>();

/**
 * @internal Where `cognitoMercuriusSubscription`'s `context` leaves the connection's
 * WebSocket in a Mercurius subscription context, for the guard's watch of its token.
 */
export const MERCURIUS_CONNECTION_SOCKET = Symbol('nestjs-cognito-sync: Mercurius connection socket');

/**
 * The request in a GraphQL context (the resolver's third argument), read without
 * loading `@nestjs/graphql`: `req` on Apollo (Express's or Fastify's request, as
 * the driver's default context sets it), or `reply.request` on Mercurius
 * (Fastify's request). A subscription has no request of its own; the stand-in for
 * its connection carries the client's `connectionParams.authorization` as its only
 * header (see {@link connectionAuthorization}): over graphql-ws on Apollo, the
 * context's `req` is the connection; on Mercurius, `reply.request` (or `request`) is
 * the socket's upgrade request, whose headers Mercurius fills in from
 * `connectionParams` (`_connectionInit` in its context), and which is never read. A
 * connection whose ticket was redeemed at connect time carries the answered token instead.
 * Never the upgrade request's cookies: a browser sends them from any site that opens
 * the socket.
 */
export function graphqlRequestOf(context: unknown): AuthRequest | undefined {
  if (!isBag(context)) return undefined;
  // Mercurius's fullWsTransport queries carry the upgrade request as `request`, with no reply.
  const ownRequest = context.req ?? (isBag(context.reply) ? context.reply.request : undefined);
  const request = ownRequest ?? context.request;
  if (!isBag(request)) return undefined;
  if (isGraphQLWsConnection(request)) {
    const socket = isBag(request.extra) ? request.extra.socket : undefined;
    const ticketToken = ticketTokenOf(request);
    return connectionRequest(request, request.connectionParams, () => socket, 'cognitoGraphQLWsOnConnect', ticketToken);
  }
  if (isBag(request.headers) && isUpgradeRequest(request.headers)) return socketContextRequest(context, request);
  // A `request` field that is no upgrade request is not Mercurius's: an app's own, never read.
  return ownRequest === undefined ? undefined : (request as AuthRequest);
}

/**
 * A GraphQL context over a WebSocket whose request is the upgrade request (Mercurius's
 * subscriptions, and its `fullWsTransport` queries): the stand-in of `connectionParams`,
 * with the connection's socket as `cognitoMercuriusSubscription` hands it over, or as
 * found from the upgrade request.
 */
function socketContextRequest(context: Bag, upgrade: Bag): AuthRequest {
  const socket = () => context[MERCURIUS_CONNECTION_SOCKET] ?? webSocketOfUpgrade(upgrade);
  const ticketToken = context[MERCURIUS_TICKET_TOKEN];
  return connectionRequest(
    upgrade,
    context._connectionInit,
    socket,
    'cognitoMercuriusSubscription',
    typeof ticketToken === 'string' ? ticketToken : undefined,
  );
}

/**
 * The `Authorization` value a graphql-ws client sent in `connectionParams`
 * (`authorization` or `Authorization`, like the HTTP header: `Bearer <token>`);
 * `undefined` when there is none or it is not a string.
 */
export function connectionAuthorization(connectionParams: unknown): string | undefined {
  const value = connectionAuthorizationValue(connectionParams);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whatever the client sent as `authorization` (or `Authorization`), string or not, own
 * properties only (never one inherited from `Object.prototype`); `undefined` when absent;
 * both values (an array: malformed) when it sent both, as it cannot be known which is meant.
 */
export function connectionAuthorizationValue(connectionParams: unknown): unknown {
  if (!isBag(connectionParams)) return undefined;
  if (sentBothSpellings(connectionParams)) return [connectionParams.authorization, connectionParams.Authorization];
  if (Object.hasOwn(connectionParams, 'authorization')) return connectionParams.authorization;
  return Object.hasOwn(connectionParams, 'Authorization') ? connectionParams.Authorization : undefined;
}

/** Whether connectionParams carry both `authorization` and `Authorization` (own properties). */
function sentBothSpellings(connectionParams: Bag): boolean {
  return Object.hasOwn(connectionParams, 'authorization') && Object.hasOwn(connectionParams, 'Authorization');
}

/**
 * graphql-ws's per-connection context (graphql-ws 5 and 6): what Nest's Apollo driver puts in `req` for a subscription.
 */
function isGraphQLWsConnection(value: Bag): boolean {
  return typeof value.connectionInitReceived === 'boolean' && isBag(value.subscriptions) && 'extra' in value;
}

/**
 * The stand-in of a connection (graphql-ws's context, or Mercurius's upgrade request), made
 * once, and marked with the connection's socket for the guard's watch of its token.
 */
function connectionRequest(
  connection: Bag,
  params: unknown,
  socket: () => unknown,
  helper: 'cognitoGraphQLWsOnConnect' | 'cognitoMercuriusSubscription',
  /** The access token the connection's ticket was redeemed for at connect time: its token then. */
  ticketToken?: string,
): AuthRequest {
  let request = connections.get(connection);
  if (request === undefined) {
    const authorization = ticketToken === undefined ? connectionAuthorization(params) : `Bearer ${ticketToken}`;
    request = { headers: authorization === undefined ? {} : { authorization } };
    // Both spellings, perhaps different tokens: refused by the guard as two Authorization headers are.
    if (isBag(params) && sentBothSpellings(params)) {
      request.rawHeaders = ['authorization', params.authorization, 'Authorization', params.Authorization];
    }
    markGraphQLConnection(request, socket(), helper);
    connections.set(connection, request);
  }
  return request;
}
