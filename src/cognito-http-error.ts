import type { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSyncError, operationOf } from './cognito.errors';

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
}

/**
 * On credential paths an unknown user, a disabled or unconfirmed one and a
 * revoked, expired or invalid token all look the same, so that nobody learns
 * whether a user exists.
 */
const CREDENTIAL_OPERATIONS = new Set(['refreshTokens', 'signIn', 'respondToNewPasswordChallenge']);
/** The 401 message of a credential operation other than the refresh. */
const CREDENTIAL_MESSAGES: Record<string, string> = {
  signIn: 'Incorrect username or password',
  respondToNewPasswordChallenge: 'Invalid username or session',
};
const INVALID_CREDENTIALS = new Set([
  'NotAuthorizedException',
  'RefreshTokenReuseException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
]);

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
/** Cognito could not verify a SECRET_HASH that was sent (as opposed to one that is missing). */
const SECRET_HASH_REFUSED = /unable to verify secret hash/i;
/** NotAuthorizedException also reports a wrong or missing SECRET_HASH and disallowed auth flows. */
const MISCONFIGURED_MESSAGE = /secret hash|secret was not received|SECRET_HASH|auth flow not enabled|not enabled for this client/i;

const BY_NAME: Record<string, number> = {
  NotAuthorizedException: 401,
  UserNotConfirmedException: 401,
  PasswordResetRequiredException: 401,
  RefreshTokenReuseException: 401,
  ForbiddenException: 403,
  UserNotFoundException: 404,
  UsernameExistsException: 409,
  AliasExistsException: 409,
  GroupExistsException: 409,
  InvalidParameterException: 400,
  InvalidPasswordException: 400,
  CodeMismatchException: 400,
  ExpiredCodeException: 400,
  LimitExceededException: 429,
  TooManyRequestsException: 429,
  TooManyFailedAttemptsException: 429,
  CodeDeliveryFailureException: 502,
  UnexpectedLambdaException: 502,
  InvalidLambdaResponseException: 502,
  UserLambdaValidationException: 502,
  InternalErrorException: 502,
};

const GENERIC: Record<number, string> = {
  401: 'Invalid refresh token',
  429: 'Too many requests to Cognito; retry later',
  500: 'Internal server error',
  502: 'Cognito failed to process the request',
  503: 'Cognito cannot be reached; retry later',
  504: 'Cognito did not answer in time',
};

/** Seconds a client should wait after a 429 or a 503 (Cognito's quotas are per second). */
const RETRY_AFTER_SECONDS = 1;

/** The HTTP answer for a Cognito SDK error or one of this module's own errors. */
export function toCognitoHttpError(error: Error): CognitoHttpError {
  if (error instanceof CognitoSyncError) {
    // 502, 503 and 504 are this module's fault errors; their messages are generic anyway.
    const { statusCode, code } = error;
    const logDetails = statusCode >= 500;
    const message = logDetails ? (GENERIC[statusCode] ?? GENERIC[500]) : error.message;
    return { statusCode, code, message, logDetails, ...(statusCode === 503 ? { retryAfter: RETRY_AFTER_SECONDS } : {}) };
  }
  const { name, message } = error;
  // The username behind a SECRET_HASH comes from the caller (a body field, an unverified
  // bearer token): on the credential paths a hash Cognito cannot verify is the caller's
  // error first. Logged, since a wrong clientSecret looks the same from here.
  if (name === 'NotAuthorizedException' && SECRET_HASH_REFUSED.test(message) && CREDENTIAL_OPERATIONS.has(operationOf(error) ?? '')) {
    return { statusCode: 400, code: 'InvalidUsername', message: 'The username does not match these credentials', logDetails: true };
  }
  if (MISCONFIGURED.has(name) || (name === 'NotAuthorizedException' && MISCONFIGURED_MESSAGE.test(message))) {
    return { statusCode: 500, code: 'CognitoMisconfigured', message: GENERIC[500], logDetails: true };
  }
  if (CREDENTIAL_OPERATIONS.has(operationOf(error) ?? '') && INVALID_CREDENTIALS.has(name)) {
    const credentialMessage = CREDENTIAL_MESSAGES[operationOf(error)!] ?? GENERIC[401];
    return { statusCode: 401, code: 'NotAuthorizedException', message: credentialMessage, logDetails: false };
  }
  const fault = error as CognitoIdentityProviderServiceException;
  const statusCode = BY_NAME[name] ?? (fault.$fault === 'server' || (fault.$metadata?.httpStatusCode ?? 0) >= 500 ? 502 : 500);
  if (statusCode === 429) return { statusCode, code: name, message: GENERIC[429], retryAfter: RETRY_AFTER_SECONDS, logDetails: false };
  if (statusCode >= 500) return { statusCode, code: statusCode === 500 ? 'CognitoError' : name, message: GENERIC[statusCode], logDetails: true };
  return { statusCode, code: name, message, logDetails: false };
}
