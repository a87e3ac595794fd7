import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from '@nestjs/common';
import { CognitoBadResponseError, CognitoTimeoutError, CognitoUnavailableError, tagOperation } from './cognito.errors';
import { fingerprint } from './cognito.hashing';

/** How one Cognito call is made. */
export interface CognitoCallOptions {
  /** The service method, for the error's operation tag and the filter's log line. */
  operation: string;
  /** Deadline of the whole call, the SDK's retries included. */
  timeoutMs: number;
  logger: Logger;
  /** The token the call carries: only its fingerprint is logged. */
  token?: string;
  /** Whether a successful answer is a valid one; an invalid one fails as {@link CognitoBadResponseError}. */
  isValid?: (output: any) => boolean;
  /** An error name that answers the question rather than failing the call (e.g. a lookup's UserNotFoundException): not logged. */
  expected?: string;
}

/**
 * Network error codes that mean "Cognito could not be reached". The SDK names a
 * reset socket `TimeoutError` (code ECONNRESET), so the code decides, not the name.
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);

/**
 * The network error code of a failed call, if the network failed. The SDK
 * rewraps an error from another realm (e.g. Node's own errors seen from Jest's
 * sandbox) as a plain `Error("AWS SDK error wrapper for <error>")` with no
 * `code`: its message is then all there is to read.
 */
function networkCode(error: unknown): string | undefined {
  const { code, syscall, message } = (error ?? {}) as { code?: unknown; syscall?: unknown; message?: unknown };
  if (typeof code === 'string') return UNREACHABLE.has(code) || syscall !== undefined ? code : undefined;
  const wrapped = typeof message === 'string' ? /^AWS SDK error wrapper for (.*)/.exec(message)?.[1] : undefined;
  if (wrapped === undefined) return undefined;
  const named = /\b(E[A-Z]{3,})\b/.exec(wrapped)?.[1];
  if (named !== undefined && UNREACHABLE.has(named)) return named;
  // Node's words for a connection reset before or during the answer.
  return /socket hang up|^Error: aborted\b/.test(wrapped) ? 'ECONNRESET' : undefined;
}

/**
 * @internal One Cognito call under a deadline that bounds the SDK's retries too:
 * the timer aborts the SDK's request (which also stops its retries) and answers
 * 504 even if the SDK were slow to notice. Network faults and unreadable answers
 * are thrown as this module's typed errors, Cognito's own errors unchanged; every
 * failure is logged once, without the token.
 */
export async function callCognito<Output>(
  client: CognitoIdentityProviderClient,
  command: { constructor: { name: string } },
  { operation, timeoutMs, logger, token, isValid, expected }: CognitoCallOptions,
): Promise<Output> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CognitoTimeoutError(`Cognito did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const output = await Promise.race([client.send(command as never, { abortSignal: controller.signal }), deadline]);
    if (isValid && !isValid(output)) throw new CognitoBadResponseError(`Cognito answered ${operation} without the expected fields`);
    return output as Output;
  } catch (raw) {
    const error = toCognitoFault(raw);
    tagOperation(error, operation);
    const { name, $metadata } = raw as { name?: string; $metadata?: { requestId?: string } };
    const code = networkCode(raw);
    const cause = code ? ` (${code})` : '';
    const tokenPart = token === undefined ? '' : ` token=${fingerprint(token)}`;
    // One line per failed call: operation, error name, request id, token fingerprint. Never the message
    // of a raw error (an unreadable answer's message quotes its body).
    if (name === undefined || name !== expected) {
      logger.warn(
        `${command.constructor.name.replace(/Command$/, '')} failed: ${name ?? 'Error'}${cause} requestId=${$metadata?.requestId ?? '-'}${tokenPart}`,
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error a caller sees for what the SDK threw: Cognito's own errors (they
 * carry a `$fault`) unchanged, the rest as {@link CognitoUnavailableError},
 * {@link CognitoTimeoutError} or {@link CognitoBadResponseError}; anything else unchanged.
 */
export function toCognitoFault(error: unknown): Error {
  if (error instanceof CognitoTimeoutError || error instanceof CognitoBadResponseError) return error;
  const { name, $fault, $response } = (error ?? {}) as { name?: string; $fault?: string; $response?: unknown };
  if (networkCode(error) !== undefined) return new CognitoUnavailableError(undefined, { cause: error });
  if ($fault === 'client' || $fault === 'server') return error as Error;
  if (name === 'TimeoutError' || name === 'AbortError') return new CognitoTimeoutError(undefined, { cause: error });
  // The SDK's deserializer failed (HTML from a proxy, truncated JSON): it attaches the raw response.
  if (name === 'SyntaxError' || $response !== undefined) return new CognitoBadResponseError(undefined, { cause: error });
  // Anything else (e.g. no AWS credentials) is not a fault of Cognito's: passed on, answered 500 by Nest.
  return error as Error;
}
