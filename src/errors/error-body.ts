/** The codes of the errors this module raises itself (Cognito's own errors keep their names). */
export type CognitoModuleErrorCode =
  | 'CognitoBadResponse'
  | 'CognitoError'
  | 'CognitoMisconfigured'
  | 'CognitoTimeout'
  | 'CognitoUnavailable'
  | 'CsrfCheckFailed'
  | 'DuplicateCookie'
  | 'GroupRequired'
  | 'InsufficientScope'
  | 'InvalidAccessToken'
  | 'InvalidAttributes'
  | 'InvalidAuthorizationHeader'
  | 'InvalidJson'
  | 'InvalidModuleOptions'
  | 'InvalidParameter'
  | 'InvalidRefreshCookie'
  | 'InvalidRefreshToken'
  | 'InvalidRequestBody'
  | 'InvalidUsername'
  | 'JwksUnavailable'
  | 'LoginFailed'
  | 'LoginStateInvalid'
  | 'PayloadTooLarge'
  | 'RefreshTokenMissing'
  | 'ReturnToRefused'
  | 'RevocationCheckUnavailable'
  | 'SessionExpired'
  | 'SessionInvalid'
  | 'SessionStoreUnavailable'
  | 'TicketInvalid'
  | 'TokenExpired'
  | 'TokenInvalid'
  | 'TokenMissing'
  | 'TokenRevoked'
  | 'UnexpectedChallengeResponse'
  | 'UnknownIdentityProvider'
  | 'UnsupportedContentEncoding'
  | 'UnsupportedMediaType'
  | 'UsernameRequired';

/**
 * The `code` of an error answer: one of the module's own codes, or the name of
 * Cognito's error (`UserNotFoundException`, `NotAuthorizedException`, ...).
 */
// `string & {}` keeps the module's codes as suggestions while Cognito's names stay open.
export type CognitoErrorCode = CognitoModuleErrorCode | (string & {});

/** The JSON body of every error answer this module gives: the filter's, the guard's, the body errors'. */
export interface CognitoErrorBody {
  statusCode: number;
  /** The HTTP reason phrase. */
  error: string;
  /** The module's own words, safe to show: never a token, a secret, a stack or Cognito's message. */
  message: string;
  code: CognitoErrorCode;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The error body for an answer. */
export function errorBody(statusCode: number, code: CognitoErrorCode, message: string): CognitoErrorBody {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, code };
}
