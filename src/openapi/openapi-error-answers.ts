import { type CognitoErrorBody, type CognitoErrorCode, errorBody } from '../errors/error-body';
import { type SessionRoute, sessionErrorAnswers, STORE_DOWN } from './openapi-session-answers';

/** The password endpoints' route handlers, by method name. */
export type PasswordRoute = 'signIn' | 'challenge' | 'refresh' | 'signOut';
/** The token endpoints' route handlers, by method name; the session ones answer only in session mode. */
export type TokenRoute = PasswordRoute | SessionRoute;

/** What decides a route's error answers besides the route. */
export interface ErrorAnswersMode {
  /** Cookie mode, on refresh and sign-out: the cookie is read behind the CSRF checks. */
  readsCookie: boolean;
  /** Cookie mode with `allowedOrigins`, on sign-in and challenge. */
  checksOrigin: boolean;
  /** Cookie mode: a refresh without any token is 401 `RefreshTokenMissing`. */
  cookieMode: boolean;
  csrfHeader: string;
}

/** One error status of a route: what it means, and each code it can carry with that code's message. */
export interface ErrorAnswer {
  status: number;
  description: string;
  codes: Array<[CognitoErrorCode, string]>;
}

const BODY_ERRORS: Array<[CognitoErrorCode, string]> = [
  ['InvalidJson', 'The body is not valid JSON'],
  ['InvalidRequestBody', 'The body must be a JSON object'],
];
const NOT_AUTHORIZED: Record<PasswordRoute, string> = {
  signIn: 'Incorrect username or password',
  challenge: 'Invalid username, session or code',
  refresh: 'Invalid refresh token',
  signOut: 'Not authorized',
};
const INVALID_USERNAME: [CognitoErrorCode, string] = [
  'InvalidUsername',
  'The username does not match these credentials',
];
const MISSING_TOKEN: [CognitoErrorCode, string] = [
  'InvalidRefreshToken',
  'A refresh token (a non-empty string) is required',
];

/** The 400 codes of each route, the most telling first (it is the example). */
function badRequest(route: PasswordRoute, mode: ErrorAnswersMode): Array<[CognitoErrorCode, string]> {
  const cookieErrors: Array<[CognitoErrorCode, string]> = mode.readsCookie
    ? [
        ['DuplicateCookie', 'The request carries more than one refresh cookie'],
        ['InvalidRefreshCookie', 'The refresh cookie does not verify; sign in again'],
      ]
    : [];
  switch (route) {
    case 'signIn':
      return [['InvalidParameter', 'password must be a string'], ...BODY_ERRORS, INVALID_USERNAME];
    case 'challenge':
      return [
        ['UnexpectedChallengeResponse', 'responses.DEVICE_KEY is not an answer to SOFTWARE_TOKEN_MFA'],
        ['InvalidParameter', 'session must be a string'],
        ['InvalidPasswordException', "The password does not meet the user pool's password policy"],
        ...BODY_ERRORS,
        INVALID_USERNAME,
      ];
    case 'refresh':
      return [
        MISSING_TOKEN,
        [
          'UsernameRequired',
          'This app client has a secret: the username (the access token\'s "username" claim) is required',
        ],
        ['InvalidAuthorizationHeader', 'The Authorization header must carry a Cognito access or ID token'],
        ['InvalidParameter', 'username must be a string'],
        ...BODY_ERRORS,
        INVALID_USERNAME,
        ...cookieErrors,
      ];
    case 'signOut':
      return [
        MISSING_TOKEN,
        ...BODY_ERRORS,
        ['InvalidParameterException', 'Cognito refused a parameter of the request'],
        ...cookieErrors,
      ];
  }
}

/** Every error status a route answers, with its codes (see errors/cognito-http-error.ts). */
export function errorAnswers(route: TokenRoute, mode: ErrorAnswersMode): ErrorAnswer[] {
  if (route === 'session' || route === 'wsTicket') return sessionErrorAnswers(route, mode.csrfHeader);
  const { readsCookie, checksOrigin, cookieMode, csrfHeader } = mode;
  const unauthorized: Record<PasswordRoute, string> = {
    signIn: 'Incorrect username or password: an unknown, unconfirmed or disabled user gets the same answer',
    challenge: 'Invalid username, session or code',
    refresh:
      'Invalid refresh token: unknown, expired or revoked' +
      (readsCookie ? '; a cookie is cleared' : '') +
      (cookieMode
        ? '. RefreshTokenMissing: no token in the body and no refresh cookie (signed out): sign in again'
        : ''),
    signOut: 'Cognito refused the app client',
  };
  const missing: Array<[CognitoErrorCode, string]> =
    route === 'refresh' && cookieMode ? [['RefreshTokenMissing', 'There is no refresh cookie: sign in']] : [];
  const csrf: Array<[CognitoErrorCode, string]> = readsCookie
    ? [['CsrfCheckFailed', `A request that reads the refresh cookie needs the ${csrfHeader} header`]]
    : checksOrigin
      ? [['CsrfCheckFailed', 'This origin may not sign in']]
      : route === 'signOut'
        ? [
            [
              'CsrfCheckFailed',
              `A request that acts on the session needs the ${csrfHeader} header or an allowed Origin`,
            ],
          ]
        : [];
  const forbidden =
    "The user pool's web ACL blocked the request" +
    (readsCookie
      ? `; or CsrfCheckFailed: the cookie came without the ${csrfHeader} header, or from an Origin not allowed`
      : '') +
    (checksOrigin ? '; or CsrfCheckFailed: the request came from an Origin not in allowedOrigins' : '') +
    (route === 'signOut' && !readsCookie
      ? `; or, in session mode, CsrfCheckFailed: the session cookie came without the ${csrfHeader} header or an ` +
        'allowed Origin'
      : '');
  // Session mode: sign-in, challenge and sign-out reach the session store (refresh is not served).
  const storeDown = route === 'refresh' ? [] : [STORE_DOWN];
  return [
    {
      status: 400,
      description: 'A malformed body or field, or a parameter Cognito refused',
      codes: badRequest(route, mode),
    },
    {
      status: 401,
      description: unauthorized[route],
      codes: [['NotAuthorizedException', NOT_AUTHORIZED[route]], ...missing],
    },
    {
      status: 403,
      description: forbidden,
      codes: [...csrf, ['ForbiddenException', "The request was blocked by the user pool's web ACL (AWS WAF)"]],
    },
    { status: 413, description: 'The body is too large', codes: [['PayloadTooLarge', 'The body is too large']] },
    {
      status: 415,
      description: 'The body is not UTF-8 JSON, or has a content coding',
      codes: [
        ['UnsupportedMediaType', 'The body must be UTF-8 JSON (Content-Type: application/json)'],
        ['UnsupportedContentEncoding', 'The body could not be decoded; send it without Content-Encoding'],
      ],
    },
    {
      status: 429,
      description: "Too many requests: Cognito's quota (the app's own throttler answers with its own body)",
      codes: [
        ['TooManyRequestsException', 'Too many requests to Cognito; retry later'],
        ['ThrottlingException', 'Too many requests to Cognito; retry later'],
      ],
    },
    {
      status: 500,
      description: 'The app or the pool is misconfigured, or an unexpected error',
      codes: [
        ['CognitoMisconfigured', 'Internal server error'],
        ['CognitoError', 'Internal server error'],
      ],
    },
    {
      status: 502,
      description: "Cognito failed, or answered with something that is not Cognito's answer",
      codes: [
        ['CognitoBadResponse', 'Cognito failed to process the request'],
        ['InternalErrorException', 'Cognito failed to process the request'],
        ['UnexpectedLambdaException', 'Cognito failed to process the request'],
      ],
    },
    {
      status: 503,
      description: 'Cognito cannot be reached' + (storeDown.length > 0 ? ', or (session mode) the session store' : ''),
      codes: [['CognitoUnavailable', 'Cognito cannot be reached; retry later'], ...storeDown],
    },
    {
      status: 504,
      description: 'Cognito did not answer in time',
      codes: [['CognitoTimeout', 'Cognito did not answer in time']],
    },
  ];
}

/** The answer's OpenAPI examples: one error body per code, the first one first. */
export function errorExamples({
  status,
  codes,
}: ErrorAnswer): Record<string, { summary: string; value: CognitoErrorBody }> {
  return Object.fromEntries(
    codes.map(([code, message]) => [code, { summary: `${status} ${code}`, value: errorBody(status, code, message) }]),
  );
}

/** The answer's description: what it means, then its codes. */
export function errorDescription({ description, codes }: ErrorAnswer): string {
  return `${description}. Codes: ${codes.map(([code]) => code).join(', ')}`;
}
