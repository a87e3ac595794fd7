import type { CognitoModuleErrorCode } from './error-body';

/**
 * Base class of the errors this module raises itself (Cognito's own errors
 * are passed on as the SDK throws them). `code` is stable and machine-readable;
 * `statusCode` is what {@link CognitoExceptionFilter} answers with.
 */
export class CognitoSyncError extends Error {
  constructor(
    message: string,
    readonly code: CognitoModuleErrorCode,
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

/** A cookie-borne refresh was refused by the CSRF checks (HTTP 403), before any call to Cognito. */
export class CognitoCsrfError extends CognitoSyncError {
  constructor(message: string) {
    super(message, 'CsrfCheckFailed', 403);
  }
}

/** A caller's input was refused before any call to Cognito (HTTP 400). */
export class CognitoInputError extends CognitoSyncError {
  constructor(code: CognitoModuleErrorCode, message: string) {
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
 * The app cannot reach Cognito as configured, e.g. the SDK found no AWS
 * credentials (HTTP 500 `CognitoMisconfigured`). Raised where the Cognito call
 * is made, whose log line already names the cause; `cause` keeps the SDK's error.
 */
export class CognitoMisconfiguredError extends CognitoSyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'CognitoMisconfigured', 500);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/**
 * Every Cognito call this module makes, by the part that makes it: the
 * {@link CognitoSyncService} methods, the guard's revocation check and the health check.
 */
export type CognitoOperation =
  | 'refreshTokens'
  | 'signIn'
  | 'respondToNewPasswordChallenge'
  | 'createUser'
  | 'findUser'
  | 'updateUser'
  | 'deleteUser'
  | 'enableUser'
  | 'disableUser'
  | 'setUserPassword'
  | 'findUserByAccessToken'
  | 'listUsers'
  | 'upsertUser'
  | 'signOut'
  | 'globalSignOut'
  | 'addUserToGroup'
  | 'removeUserFromGroup'
  | 'listGroupsForUser'
  | 'listUsersInGroup'
  | 'resetUserPassword'
  | 'forgotPassword'
  | 'confirmForgotPassword'
  | 'changePassword'
  | 'respondToAuthChallenge'
  | 'revocationCheck'
  | 'healthCheck';

/**
 * Which service method a failed Cognito call came from. Kept beside the error,
 * not on it, so that Cognito's errors reach callers exactly as the SDK threw them.
 */
const operations = new WeakMap<object, CognitoOperation>();

/** Failed calls that carried a SECRET_HASH, i.e. one over a username the caller gave. */
const hashedCalls = new WeakSet<object>();

/** Failed calls that carried a device key (`DEVICE_KEY`, `DeviceKey`), which only a caller gives. */
const deviceCalls = new WeakSet<object>();

/** @internal What a failed call carried that came from the caller, beyond the token. */
export interface SentInputs {
  /** A SECRET_HASH, i.e. one over a username the caller gave. */
  secretHash?: boolean;
  /** A device key. */
  deviceKey?: boolean;
}

/**
 * @internal Records that `error` came out of the service method `operation`, and
 * what that call carried (a SECRET_HASH, a device key).
 */
export function tagOperation(error: unknown, operation: CognitoOperation, sent: SentInputs = {}): void {
  if (typeof error !== 'object' || error === null) return;
  operations.set(error, operation);
  if (sent.secretHash) hashedCalls.add(error);
  if (sent.deviceKey) deviceCalls.add(error);
}

/**
 * @internal Whether the failed call carried a SECRET_HASH. Every SECRET_HASH this
 * module sends is over a username from the caller (a body field, an unverified
 * bearer token, signIn's argument): Cognito refusing it is then the caller's error first.
 */
export function sentSecretHash(error: unknown): boolean {
  return typeof error === 'object' && error !== null && hashedCalls.has(error);
}

/**
 * @internal Whether the failed call carried a device key. Every device key this module
 * sends is the caller's (`refreshTokens`' `deviceKey`, the endpoint's body field): a
 * device Cognito does not know is then the caller's error, not the app's configuration.
 */
export function sentDeviceKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && deviceCalls.has(error);
}

/**
 * Failed calls whose username the request chose, unauthenticated (a body field, a bearer token, an unsigned cookie).
 */
const callerUsernames = new WeakSet<object>();

/**
 * @internal Records that the username of the call that failed with `error` came from the
 * request itself: a SECRET_HASH Cognito refuses over it is the caller's doing, not the app's.
 */
export function tagCallerUsername(error: unknown): void {
  if (typeof error === 'object' && error !== null) callerUsernames.add(error);
}

/** @internal Whether {@link tagCallerUsername} recorded `error`. */
export function usernameFromCaller(error: unknown): boolean {
  return typeof error === 'object' && error !== null && callerUsernames.has(error);
}

/** The {@link CognitoSyncService} method an error came from, when it came from one. */
export function operationOf(error: unknown): CognitoOperation | undefined {
  return typeof error === 'object' && error !== null ? operations.get(error) : undefined;
}
