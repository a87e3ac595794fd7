import type { ExecutionContext } from '@nestjs/common';
import { CognitoAuthUnavailableError } from '../errors/cognito-auth.errors';
import { CognitoGraphQLError } from '../errors/cognito-graphql-error';
import { toWsRefusal } from '../errors/ws-refusal';
import { responseOf } from './request-of-context';

/**
 * @internal `CognitoAuthGuard`'s refusal in the shape of the context's transport.
 * GraphQL answers with errors in its own shape (extensions.code), not with
 * HTTP statuses; a gateway's exception handling renders only WsExceptions.
 */
export async function refusalFor(context: ExecutionContext, error: unknown): Promise<never> {
  const type = context.getType<string>();
  throw type === 'graphql' ? CognitoGraphQLError.fromGuard(error) : type === 'ws' ? await toWsRefusal(error) : error;
}

/** @internal An HTTP refusal's `Retry-After`, when the error has one (a 503 that says when to retry). */
export function setRetryAfter(context: ExecutionContext, error: unknown): void {
  if (error instanceof CognitoAuthUnavailableError && error.retryAfter !== undefined) {
    // On Express's response or Fastify's reply (both have `header(name, value)`).
    responseOf(context)?.header?.('Retry-After', String(error.retryAfter));
  }
}
