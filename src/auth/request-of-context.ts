import type { ArgumentsHost } from '@nestjs/common';
import { graphqlRequestOf } from './graphql/graphql-request';
import { socketRequest } from './websockets/socket-request';
import type { AuthRequest } from './auth-request';

/**
 * The request behind an execution context: Express's or Fastify's request over
 * HTTP, the one GraphQL's context carries (see {@link graphqlRequestOf}); over
 * WebSockets, the socket's stand-in that carries the token given at the handshake (see
 * {@link socketRequest}); `undefined` elsewhere, which the guard refuses unless the
 * handler is public. `@CognitoUser()` reads the claims from the same object the guard
 * wrote them to.
 */
export function requestOf(context: ArgumentsHost): AuthRequest | undefined {
  switch (context.getType<string>()) {
    case 'http':
      // What switchToHttp().getRequest() returns, without the three closures it makes per call.
      return context.getArgByIndex<AuthRequest | undefined>(0);
    case 'graphql':
      return graphqlRequestOf(context.getArgs()[2]);
    case 'ws':
      return socketRequest(context.switchToWs().getClient<object>());
    default:
      return undefined;
  }
}

/**
 * The HTTP response, for `Retry-After`: over HTTP only. In GraphQL the second argument
 * is the field's arguments, over WebSockets the message's payload: both chosen by the
 * caller (a `header` in them must never be called); the retry delay travels in the
 * error or the refusal itself.
 */
export function responseOf(context: ArgumentsHost): { header?: (name: string, value: string) => unknown } | undefined {
  return context.getType() === 'http' ? context.switchToHttp().getResponse() : undefined;
}

/** The connection of an HTTP request (Express's `req.socket`, Fastify's `request.socket`); none over WebSockets. */
export function connectionOf(request: AuthRequest | undefined): object | undefined {
  const socket = request?.socket;
  return typeof socket === 'object' && socket !== null ? socket : undefined;
}
