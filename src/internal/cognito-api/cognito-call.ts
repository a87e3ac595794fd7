import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from '@nestjs/common';
import {
  type CognitoOperation,
  CognitoBadResponseError,
  CognitoMisconfiguredError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  type SentInputs,
  tagOperation,
} from '../../errors/cognito.errors';
import { loggedErrorName, loggedRequestId } from '../../errors/log-safe-text';
import { fingerprint } from '../hashing';
import { isCredentialsError, NO_CREDENTIALS } from './emulator-credentials';
import { CognitoCallState, watchCall } from './cognito-client';
import { RateLimitedLog } from '../rate-limited-log';

/** How one Cognito call is made. */
export interface CognitoCallOptions {
  /** The service method, for the error's operation tag and the filter's log line. */
  operation: CognitoOperation;
  /** Deadline of the whole call, the SDK's retries included. */
  timeoutMs: number;
  logger: Logger;
  /** The token the call carries: only its fingerprint is logged. */
  token?: string;
  /** Whether a successful answer is a valid one; an invalid one fails as {@link CognitoBadResponseError}. */
  isValid?(output: unknown): boolean;
  /**
   * An error name that answers the question rather than failing the call
   * (e.g. a lookup's UserNotFoundException): not logged.
   */
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
 * Cognito's refusals of what the caller sent (a wrong password or code, an unknown user, a
 * garbage refresh token): anyone can cause one per request, so they are logged rate-limited.
 * Faults (throttling, Cognito down, a bad answer) and misconfigurations keep a line per call.
 */
const CALLER_REFUSALS = new Set([
  'AliasExistsException',
  'CodeMismatchException',
  'EnableSoftwareTokenMFAException',
  'ExpiredCodeException',
  'InvalidPasswordException',
  'NotAuthorizedException',
  'PasswordHistoryPolicyViolationException',
  'PasswordResetRequiredException',
  'TooManyFailedAttemptsException',
  'UserNotConfirmedException',
  'UserNotFoundException',
  'UsernameExistsException',
]);

/** The rate-limited log of each logger's caller refusals, weakly held as the loggers (one per service part) are. */
const refusalLogs = new WeakMap<Logger, RateLimitedLog>();

function refusalLogOf(logger: Logger): RateLimitedLog {
  let log = refusalLogs.get(logger);
  if (log === undefined) refusalLogs.set(logger, (log = new RateLimitedLog(logger)));
  return log;
}

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
 * 504 even if the SDK were slow to notice, or passes on Cognito's throttling
 * answer if an attempt got one (the deadline then cut the retries of a throttled
 * call: 429, not 504). Network faults, missing credentials and unreadable answers
 * are thrown as this module's typed errors, Cognito's own errors unchanged; every
 * failure is logged once, without the token.
 */
export async function callCognito<Output>(
  client: CognitoIdentityProviderClient,
  command: { constructor: { name: string } },
  { operation, timeoutMs, logger, token, isValid, expected }: CognitoCallOptions,
): Promise<Output> {
  // The client's hooks (createCognitoClient) find this state through the command: the
  // deadline reaches every attempt and backoff without an AbortSignal per call, and
  // client.send(command) takes no options, so the SDK's middleware cache applies.
  const call = new CognitoCallState(Date.now() + timeoutMs);
  watchCall(command, call);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const timeout = new CognitoTimeoutError(`Cognito did not answer within ${timeoutMs} ms`);
      call.abort(timeout);
      reject(timeout);
    }, timeoutMs);
  });
  try {
    const output = await Promise.race([client.send(command as never), deadline]);
    if (isValid && !isValid(output))
      throw new CognitoBadResponseError(`Cognito answered ${operation} without the expected fields`);
    return output as Output;
  } catch (raw) {
    let error = toCognitoFault(raw);
    // The deadline cut the retries of a throttled call short: Cognito did answer, with "slow down".
    const throttled = call.throttled;
    const cutShort = error instanceof CognitoTimeoutError && throttled !== undefined;
    if (cutShort) error = throttled;
    tagOperation(error, operation, sentInputs(command));
    const answered = (cutShort ? throttled : raw) as { name?: string } | undefined;
    const code = networkCode(raw);
    let cause = code ? ` (${code})` : cutShort ? ' (deadline reached while retrying)' : '';
    if (error instanceof CognitoMisconfiguredError) cause = ` (${error.message})`;
    const tokenPart = token === undefined ? '' : ` token=${fingerprint(token)}`;
    const name = answered?.name;
    const line =
      `${command.constructor.name.replace(/Command$/, '')} failed: ${loggedErrorName(name)}${cause} ` +
      `requestId=${loggedRequestId(answered)}${tokenPart}`;
    // One line per failed call: operation, error name, request id, token fingerprint. Never the message
    // of a raw error (an unreadable answer's message quotes its body, Cognito's may echo the request);
    // the name and the request id only when they look like one (the other end chose them).
    // A misconfiguration gets no other line (the filter does not repeat it): it says what to fix.
    // A refusal of what the caller sent, at most one line a minute per service part (see CALLER_REFUSALS).
    if (error instanceof CognitoMisconfiguredError) logger.error(line);
    else if (name === undefined || name !== expected)
      (error === raw && CALLER_REFUSALS.has(name ?? '') ? refusalLogOf(logger) : logger).warn(line);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the command carries from the caller: a SECRET_HASH (AdminInitiateAuth,
 * AdminRespondToAuthChallenge; ForgotPassword's and ConfirmForgotPassword's `SecretHash`),
 * a device key (AdminInitiateAuth's `DEVICE_KEY`, GetTokensFromRefreshToken's `DeviceKey`).
 */
function sentInputs(command: object): SentInputs {
  const { input } = command as {
    input?: {
      AuthParameters?: Record<string, string>;
      ChallengeResponses?: Record<string, string>;
      DeviceKey?: string;
      SecretHash?: string;
    };
  };
  return {
    secretHash:
      input?.AuthParameters?.SECRET_HASH !== undefined ||
      input?.ChallengeResponses?.SECRET_HASH !== undefined ||
      input?.SecretHash !== undefined,
    deviceKey: input?.AuthParameters?.DEVICE_KEY !== undefined || input?.DeviceKey !== undefined,
  };
}

/**
 * The error a caller sees for what the SDK threw: Cognito's own errors (they
 * carry a `$fault`) unchanged, the rest as {@link CognitoUnavailableError},
 * {@link CognitoTimeoutError}, {@link CognitoMisconfiguredError} (no AWS credentials)
 * or {@link CognitoBadResponseError}; anything else unchanged.
 */
export function toCognitoFault(error: unknown): Error {
  if (error instanceof CognitoTimeoutError || error instanceof CognitoBadResponseError) return error;
  const { name, $fault, $response } = (error ?? {}) as { name?: string; $fault?: string; $response?: unknown };
  if (networkCode(error) !== undefined) return new CognitoUnavailableError(undefined, { cause: error });
  if ($fault === 'client' || $fault === 'server') return error as Error;
  if (name === 'TimeoutError' || name === 'AbortError') return new CognitoTimeoutError(undefined, { cause: error });
  // The SDK's credential chain found nothing: nothing was sent, the app is misconfigured.
  if (isCredentialsError(error)) return new CognitoMisconfiguredError(NO_CREDENTIALS, { cause: error });
  // The SDK's deserializer failed (HTML from a proxy, truncated JSON): it attaches the raw response.
  if (name === 'SyntaxError' || $response !== undefined)
    return new CognitoBadResponseError(undefined, { cause: error });
  // Anything else is not a fault of Cognito's: passed on, answered 500 by Nest.
  return error as Error;
}
