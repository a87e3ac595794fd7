import type { ExecutionContext } from '@nestjs/common';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { setRetryAfter } from './guard-refusal';
import { isUpgradeRequest } from './request-token';
import type { RouteRules } from './route-rules';
import type { AuthRequest } from './auth-request';
import type { CognitoSessionAuthenticator } from './session-authenticator';
import { SocketRequest } from './websockets/socket-request';
import { isGraphQLConnection } from './graphql/graphql-connection-watch';

/**
 * @internal Where server-side sessions stand in for a token the request does not carry, and how:
 * - over HTTP (routes, and GraphQL queries and mutations over HTTP): the session its cookie names,
 *   through {@link CognitoSessionAuthenticator.accessTokenOf} (CSRF-checked, refreshed when due);
 * - on a gateway socket: the connection ticket of its handshake, redeemed once for the connection;
 * - on a GraphQL WebSocket connection: nothing here (its connect-time helper redeems the ticket,
 *   and the connection then carries the answered token as a handshake token).
 *
 * `undefined` where none applies. A handshake never authenticates by cookie: sockets and GraphQL
 * connections are never asked for one.
 */
export function sessionTokenOf(
  context: ExecutionContext,
  request: AuthRequest,
  sessions: CognitoSessionAuthenticator,
): Promise<string | undefined> | undefined {
  if (request instanceof SocketRequest) return request.ticketToken(sessions);
  if (context.getType<string>() === 'ws' || isGraphQLConnection(request)) return undefined;
  // The authenticator answers none for a handshake too: checked here as well, so that no cookie ever does.
  if (isUpgradeRequest(request.headers ?? {})) return undefined;
  return askSession(sessions, request);
}

/** Always a promise: an authenticator that throws at once refuses as one that rejects. */
async function askSession(sessions: CognitoSessionAuthenticator, request: AuthRequest): Promise<string | undefined> {
  return sessions.accessTokenOf(request);
}

/**
 * @internal The guard's admission by the token of a session (or of a socket's ticket), which
 * `decide` verifies as a bearer token is: cache, revocation, groups, scopes. The authenticator's
 * refusals are the guard's (`Retry-After` on a 503 that has one). On a public route any refusal
 * leaves the caller anonymous, 503 included, as a bearer token that cannot be judged does there:
 * a public route never answers 401, 403 or 503.
 */
export async function admitSession(
  context: ExecutionContext,
  rules: Pick<RouteRules, 'isPublic'>,
  fromSession: Promise<string | undefined>,
  decide: (token: string) => true | Promise<boolean>,
): Promise<boolean> {
  let token: string | undefined;
  try {
    token = await fromSession;
  } catch (error) {
    if (rules.isPublic) return true;
    setRetryAfter(context, error);
    throw error;
  }
  if (token !== undefined) return decide(token);
  if (rules.isPublic) return true;
  throw new CognitoUnauthorizedError('TokenMissing', 'A bearer token or a session is required');
}
