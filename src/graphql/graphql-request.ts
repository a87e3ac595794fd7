import type { AuthRequest } from '../auth/auth-request';

type Bag = Record<string, unknown>;
const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null;

/** One stand-in request per graphql-ws connection, so that the guard and `@CognitoUser()` meet on the same object. */
const connections = new WeakMap<object, AuthRequest>();

/**
 * The request in a GraphQL context (the resolver's third argument), read without
 * loading `@nestjs/graphql`: `req` on Apollo (Express's or Fastify's request, as
 * the driver's default context sets it), or `reply.request` on Mercurius
 * (Fastify's request). A subscription over graphql-ws has no request: its
 * context's `req` is the connection, and the stand-in carries the connection's
 * `connectionParams.authorization` as its only header (see
 * {@link connectionAuthorization}). Never the upgrade request's cookies: a
 * browser sends them from any site that opens the socket.
 */
export function graphqlRequestOf(context: unknown): AuthRequest | undefined {
  if (!isBag(context)) return undefined;
  const request = context.req ?? (isBag(context.reply) ? context.reply.request : undefined);
  if (!isBag(request)) return undefined;
  return isGraphQLWsConnection(request) ? connectionRequest(request) : (request as AuthRequest);
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

/** graphql-ws's per-connection context (graphql-ws 5 and 6): what Nest's Apollo driver puts in `req` for a subscription. */
function isGraphQLWsConnection(value: Bag): boolean {
  return typeof value.connectionInitReceived === 'boolean' && isBag(value.subscriptions) && 'extra' in value;
}

function connectionRequest(connection: Bag): AuthRequest {
  let request = connections.get(connection);
  if (request === undefined) {
    const params = connection.connectionParams;
    const authorization = connectionAuthorization(params);
    request = { headers: authorization === undefined ? {} : { authorization } };
    // Both spellings, perhaps different tokens: refused by the guard as two Authorization headers are.
    if (isBag(params) && sentBothSpellings(params)) {
      request.rawHeaders = ['authorization', params.authorization, 'Authorization', params.Authorization];
    }
    connections.set(connection, request);
  }
  return request;
}
