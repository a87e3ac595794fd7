import { CognitoAuthError, CognitoAuthUnavailableError } from './cognito-auth.errors';
import type { CognitoErrorBody } from './error-body';

/** What a socket client gets as the `exception` event when the guard refuses a message. */
export interface CognitoWsRefusal extends CognitoErrorBody {
  /** As in Nest's own `exception` events. */
  status: 'error';
  /** Seconds after which a retry can succeed (503 `JwksUnavailable`), when known: `Retry-After` over HTTP. */
  retryAfter?: number;
}

/** The refusals made here, so that {@link withCognitoHandshake} sends these and no other exception to `ws` clients. */
const refusals = new WeakSet<object>();

/**
 * @internal The guard's refusal as a `WsException` carrying the module's error body:
 * Nest's gateway exception handling (`BaseWsExceptionFilter`) emits it as is as the
 * `exception` event, where any other error would read "Internal server error".
 * `@nestjs/websockets` is loaded here only, once a message is refused: an app
 * without gateways never loads it. Other errors pass unchanged.
 */
export async function toWsRefusal(error: unknown): Promise<unknown> {
  if (!(error instanceof CognitoAuthError)) return error;
  const { WsException } = await import('@nestjs/websockets');
  return new WsException(wsRefusalOf(error));
}

/**
 * @internal The `exception` event's payload for a refusal: also
 * what a socket gets when its token ends (see socket-token-expiry).
 */
export function wsRefusalOf(error: CognitoAuthError): CognitoWsRefusal {
  const refusal: CognitoWsRefusal = { status: 'error', ...(error.getResponse() as CognitoErrorBody) };
  if (error instanceof CognitoAuthUnavailableError && error.retryAfter !== undefined)
    refusal.retryAfter = error.retryAfter;
  refusals.add(refusal);
  return refusal;
}

/** @internal Whether an `exception` event's payload is one of the guard's refusals. */
export function isCognitoRefusal(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && refusals.has(payload);
}
