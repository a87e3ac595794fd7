import type { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoMisconfiguredError,
  CognitoSyncError,
  operationOf,
  sentDeviceKey,
  sentSecretHash,
  usernameFromCaller,
} from './cognito.errors';
import { errorNameOrUndefined } from './log-safe-text';

/** What {@link CognitoExceptionFilter} answers for an error. */
export interface CognitoHttpError {
  statusCode: number;
  /** Cognito's error name, or this module's own code. */
  code: string;
  /** Safe to show to the caller: never a token, a secret or a stack. */
  message: string;
  /** Seconds, for 429 and 503 answers. */
  retryAfter?: number;
  /** Whether the server log should carry the details (the caller sees a generic answer). */
  logDetails: boolean;
  /** For the log: what the module made of the error, in its own words (never Cognito's message). */
  reason?: string;
  /**
   * The details are about what the request itself chose: a rate-limited warning, not an error that pages an operator.
   */
  callerInput?: boolean;
}

/**
 * On credential paths an unknown user, a disabled or unconfirmed one, a trigger's
 * refusal and a revoked, expired or invalid token all look the same, so that
 * nobody learns whether a user exists: every refusal of Cognito's is this 401
 * except the few in {@link keepsItsStatus}. Each message is the operation's own.
 */
const CREDENTIAL_MESSAGES: Record<string, string> = {
  refreshTokens: 'Invalid refresh token',
  signIn: 'Incorrect username or password',
  respondToNewPasswordChallenge: 'Invalid username or session',
  respondToAuthChallenge: 'Invalid username, session or code',
};

/** Errors that say the app or the pool is misconfigured, not that the caller erred. */
const MISCONFIGURED = new Set([
  'ResourceNotFoundException',
  'InvalidUserPoolConfigurationException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'InvalidOAuthFlowException',
  'InvalidSmsRoleAccessPolicyException',
  'InvalidSmsRoleTrustRelationshipException',
  'InvalidEmailRoleAccessPolicyException',
  'UnsupportedOperationException',
]);
/** Cognito's two wordings for a SECRET_HASH it cannot verify (the second one on the refresh flow). */
const SECRET_HASH_REFUSED = /unable to verify secret hash|secret ?hash does not match/i;
/** NotAuthorizedException also reports a missing secret and disallowed auth flows: the module's words for the log. */
const MISCONFIGURED_MESSAGES: Array<[RegExp, string]> = [
  [
    /secret was not received|SECRET_HASH|secret ?hash/i,
    'the app client has a secret that was not sent: set clientSecret',
  ],
  [/auth flow not enabled|not enabled for this client/i, 'the auth flow is not enabled for the app client'],
];
/** Cognito's ResourceNotFoundException for a device key it does not know ("Device does not exist."). */
const UNKNOWN_DEVICE = /\bdevice\b/i;

/**
 * Cognito's errors this module knows: the status, and a fixed message. Cognito's
 * own text is never passed on: a 4xx message can echo what the request carried.
 */
const KNOWN = new Map(
  Object.entries<[number, string]>({
    NotAuthorizedException: [401, 'Not authorized'],
    UserNotConfirmedException: [401, 'The user is not confirmed'],
    PasswordResetRequiredException: [401, 'The user must reset the password'],
    RefreshTokenReuseException: [401, 'Invalid refresh token'],
    ForbiddenException: [403, "The request was blocked by the user pool's web ACL (AWS WAF)"],
    UserNotFoundException: [404, 'The user does not exist'],
    UsernameExistsException: [409, 'A user with this username already exists'],
    AliasExistsException: [409, 'Another user already has this email address or phone number'],
    GroupExistsException: [409, 'The group already exists'],
    InvalidParameterException: [400, 'Cognito refused a parameter of the request'],
    InvalidPasswordException: [400, "The password does not meet the user pool's password policy"],
    CodeMismatchException: [400, 'The code is wrong'],
    ExpiredCodeException: [400, 'The code has expired'],
    // The trigger's deliberate refusal (Cognito answers it with HTTP 400), not a fault.
    UserLambdaValidationException: [400, 'A Lambda trigger of the user pool refused the request'],
    LimitExceededException: [429, ''],
    TooManyRequestsException: [429, ''],
    ThrottlingException: [429, ''],
    TooManyFailedAttemptsException: [429, ''],
    CodeDeliveryFailureException: [502, ''],
    UnexpectedLambdaException: [502, ''],
    InvalidLambdaResponseException: [502, ''],
    InternalErrorException: [502, ''],
  }),
);

const GENERIC: Record<number, string> = {
  429: 'Too many requests to Cognito; retry later',
  500: 'Internal server error',
  502: 'Cognito failed to process the request',
  503: 'Cognito cannot be reached; retry later',
  504: 'Cognito did not answer in time',
};

/** Seconds a client should wait after a 429 or a 503 (Cognito's quotas are per second). */
const RETRY_AFTER_SECONDS = 1;

/** The operations whose `ResourceNotFoundException` is a group the caller named. */
const GROUP_OPERATIONS = new Set(['addUserToGroup', 'removeUserFromGroup', 'listUsersInGroup']);

/** The HTTP answer for a Cognito SDK error or one of this module's own errors. */
export function toCognitoHttpError(error: Error): CognitoHttpError {
  if (error instanceof CognitoSyncError) return ownError(error);
  const { message } = error;
  // The other end chose the name (see log-safe-text.ts): one that is not a name is CognitoError.
  const name = errorNameOrUndefined(error.name) ?? 'CognitoError';
  const operation = operationOf(error) ?? '';
  if (name === 'NotAuthorizedException' && SECRET_HASH_REFUSED.test(message)) {
    // Over a username the caller gave (AdminInitiateAuth, the challenge), the caller's error first;
    // a wrong clientSecret looks the same, hence the log. Otherwise (GetTokensFromRefreshToken
    // sends no hash, only the secret) it can only be the app's. Never a 401: a cookie stays.
    if (!sentSecretHash(error)) return misconfigured('secret hash refused: clientSecret is wrong for this app client');
    // A username the request chose (the endpoint says so): most likely its own error, anyone can send one.
    if (usernameFromCaller(error)) {
      const reason =
        "secret hash refused: the request's username does not match (if every request fails so, check clientSecret)";
      return { ...invalidUsername, logDetails: true, reason, callerInput: true };
    }
    const reason = 'secret hash refused: the username given does not match, or clientSecret is wrong';
    return { ...invalidUsername, logDetails: true, reason };
  }
  // A device key is the caller's: a device Cognito does not know (forgotten, made up) is the
  // caller's refusal like any other, not a wrong pool or client (whose message names no device).
  const unknownDevice = name === 'ResourceNotFoundException' && sentDeviceKey(error) && UNKNOWN_DEVICE.test(message);
  // A group is named by the caller: one that does not exist is a 404, not a wrong pool.
  const unknownGroup = name === 'ResourceNotFoundException' && GROUP_OPERATIONS.has(operation);
  if (unknownGroup) return { statusCode: 404, code: name, message: 'The group does not exist', logDetails: false };
  if (MISCONFIGURED.has(name) && !unknownDevice) return misconfigured();
  const misconfiguration =
    name === 'NotAuthorizedException' ? MISCONFIGURED_MESSAGES.find(([pattern]) => pattern.test(message)) : undefined;
  if (misconfiguration) return misconfigured(misconfiguration[1]);
  const fault = error as CognitoIdentityProviderServiceException;
  const httpStatus = fault.$metadata?.httpStatusCode ?? 0;
  const known = KNOWN.get(name);
  const statusCode =
    known?.[0] ?? (fault.$fault === 'server' || httpStatus >= 500 ? 502 : httpStatus === 429 ? 429 : 500);
  // An unknown refusal of Cognito's (a client fault) is one too:
  // a deny-list, so a new error name cannot tell users apart.
  const refusal = known ? statusCode < 500 : fault.$fault === 'client' || (httpStatus >= 400 && httpStatus < 500);
  if (Object.hasOwn(CREDENTIAL_MESSAGES, operation) && refusal && !keepsItsStatus(name, operation, httpStatus)) {
    return {
      statusCode: 401,
      code: 'NotAuthorizedException',
      message: CREDENTIAL_MESSAGES[operation],
      logDetails: false,
    };
  }
  if (statusCode === 429)
    return { statusCode, code: name, message: GENERIC[429], retryAfter: RETRY_AFTER_SECONDS, logDetails: false };
  if (statusCode >= 500)
    return {
      statusCode,
      code: statusCode === 500 ? 'CognitoError' : name,
      message: GENERIC[statusCode],
      logDetails: true,
    };
  return { statusCode, code: name, message: known?.[1] ?? 'Cognito refused the request', logDetails: false };
}

/**
 * The refusals on a credential path that keep their own answer: they tell nothing
 * about the user. Cognito's throttling (not per-user limits such as
 * TooManyFailedAttemptsException, which only a real user reaches), AWS WAF's
 * verdict on the request, and a new password that breaks the pool-wide policy.
 */
function keepsItsStatus(name: string, operation: string, httpStatus: number): boolean {
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || httpStatus === 429) return true;
  if (name === 'ForbiddenException') return true;
  return (
    name === 'InvalidPasswordException' &&
    (operation === 'respondToNewPasswordChallenge' || operation === 'respondToAuthChallenge')
  );
}

const invalidUsername = {
  statusCode: 400,
  code: 'InvalidUsername',
  message: 'The username does not match these credentials',
} as const;

function misconfigured(reason?: string): CognitoHttpError {
  return {
    statusCode: 500,
    code: 'CognitoMisconfigured',
    message: GENERIC[500],
    logDetails: true,
    ...(reason ? { reason } : {}),
  };
}

/** This module's own errors: their messages are its own, safe to show below 500. */
function ownError(error: CognitoSyncError): CognitoHttpError {
  const { statusCode, code } = error;
  // 502, 503 and 504 are this module's fault errors; their messages are generic anyway.
  // A misconfiguration (no AWS credentials) was logged where the call failed, with what to fix.
  const logDetails = statusCode >= 500 && !(error instanceof CognitoMisconfiguredError);
  const message = statusCode >= 500 ? (GENERIC[statusCode] ?? GENERIC[500]) : error.message;
  return { statusCode, code, message, logDetails, ...(statusCode === 503 ? { retryAfter: RETRY_AFTER_SECONDS } : {}) };
}
