/**
 * Base class of the errors this module raises itself (Cognito's own errors
 * are passed on as the SDK throws them). `code` is stable and machine-readable;
 * `statusCode` is what {@link CognitoExceptionFilter} answers with.
 */
export class CognitoSyncError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid module options; thrown while the application starts. */
export class CognitoConfigurationError extends CognitoSyncError {
  constructor(message: string) {
    super(`CognitoModule: ${message}`, 'InvalidModuleOptions', 500);
  }
}

/** A caller's input was refused before any call to Cognito (HTTP 400). */
export class CognitoInputError extends CognitoSyncError {
  constructor(code: string, message: string) {
    super(message, code, 400);
  }
}

/**
 * Cognito could not be reached: the connection was refused, reset or dropped
 * (HTTP 503). Thrown in place of the raw network error; `cause` keeps it.
 */
export class CognitoUnavailableError extends CognitoSyncError {
  constructor(message = 'Cognito could not be reached', options?: { cause?: unknown }) {
    super(message, 'CognitoUnavailable', 503);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A Cognito call, retries included, missed its deadline (`timeoutMs`; HTTP 504). */
export class CognitoTimeoutError extends CognitoSyncError {
  constructor(message = 'Cognito did not answer in time', options?: { cause?: unknown }) {
    super(message, 'CognitoTimeout', 504);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Cognito (or something in front of it) answered with something that is not a valid Cognito response (HTTP 502). */
export class CognitoBadResponseError extends CognitoSyncError {
  constructor(message = 'Cognito answered with an invalid response', options?: { cause?: unknown }) {
    super(message, 'CognitoBadResponse', 502);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * Which service method a failed Cognito call came from. Kept beside the error,
 * not on it, so that Cognito's errors reach callers exactly as the SDK threw them.
 */
const operations = new WeakMap<object, string>();

/** @internal Records that `error` came out of the service method `operation`. */
export function tagOperation(error: unknown, operation: string): void {
  if (typeof error === 'object' && error !== null) operations.set(error, operation);
}

/** The {@link CognitoSyncService} method an error came from, when it came from one. */
export function operationOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? operations.get(error) : undefined;
}
