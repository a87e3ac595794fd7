import type { ArgumentsHost } from '@nestjs/common';
import { socketRequest } from '../websockets/socket-request';
import type { AuthRequest } from './auth-request';

/**
 * The request behind an execution context: Express's or Fastify's request over
 * HTTP; over WebSockets, the socket's stand-in that carries the token given at the
 * handshake (see {@link socketRequest}); `undefined` elsewhere, which the guard
 * refuses unless the handler is public. `@CognitoUser()` reads the claims from the
 * same object the guard wrote them to.
 */
export function requestOf(context: ArgumentsHost): AuthRequest | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return context.switchToHttp().getRequest<AuthRequest | undefined>();
    case 'ws':
      return socketRequest(context.switchToWs().getClient<object>());
    default:
      return undefined;
  }
}

/**
 * The HTTP response, for `Retry-After`: over HTTP only. Over WebSockets the second
 * argument is the message's payload, which a client chooses (a `header` in it must
 * never be called); the retry delay travels in the refusal itself.
 */
export function responseOf(context: ArgumentsHost): { header?: (name: string, value: string) => unknown } | undefined {
  return context.getType() === 'http' ? context.switchToHttp().getResponse() : undefined;
}
