import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { type CognitoOperation, tagOperation } from './cognito.errors';
import { toCognitoHttpError } from './cognito-http-error';
import { errorNameOrUndefined, loggedErrorName, loggedRequestId } from './log-safe-text';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.refresh-token.value';

/**
 * Names the other end can put in `__type`, a `code` field or `x-amzn-errortype`: none has the shape of an error name.
 */
const NOT_NAMES = [
  '<script>alert(1)</script>',
  TOKEN,
  'X\n[Nest] 1  - FAKE LOG LINE',
  '__proto__',
  'Evil<b>Name</b>',
  'A'.repeat(65),
  'Name Exception',
  '1Exception',
  '',
];

describe('errorNameOrUndefined, loggedErrorName, loggedRequestId', () => {
  it.each(['NotAuthorizedException', 'InternalErrorException', 'SomeFutureException', 'A', 'A'.repeat(64)])(
    'passes the error name %s',
    (name) => {
      expect([errorNameOrUndefined(name), loggedErrorName(name)]).toEqual([name, name]);
    },
  );

  it.each(NOT_NAMES)('passes no name of another shape: %j', (name) => {
    expect([errorNameOrUndefined(name), loggedErrorName(name)]).toEqual([undefined, 'UnknownError']);
  });

  it('passes no name that is not a string', () => {
    expect([loggedErrorName(undefined), loggedErrorName(42), loggedErrorName({ toString: () => 'X' })]).toEqual([
      'UnknownError',
      'UnknownError',
      'UnknownError',
    ]);
  });

  it.each([
    ['b5a8a6b0-3c1e-4f6a-9d2e-0f1e2d3c4b5a', 'b5a8a6b0-3c1e-4f6a-9d2e-0f1e2d3c4b5a'],
    ['stand-in-request', 'stand-in-request'],
    [TOKEN, '-'],
    ['id\n[Nest] 1  - FAKE', '-'],
    ['x'.repeat(65), '-'],
    ['', '-'],
    [undefined, '-'],
    [7, '-'],
  ])('logs the request id %j as %j', (requestId, logged) => {
    expect(loggedRequestId({ $metadata: { requestId } })).toBe(logged);
  });

  it('logs - for an error without metadata', () => {
    expect([
      loggedRequestId(new Error('x')),
      loggedRequestId(undefined),
      loggedRequestId(null),
      loggedRequestId('x'),
    ]).toEqual(['-', '-', '-', '-']);
  });
});

const sdkError = (name: string, httpStatusCode: number, operation: CognitoOperation) => {
  const error = new CognitoIdentityProviderServiceException({
    name,
    message: 'm',
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
  tagOperation(error, operation);
  return error;
};

describe('toCognitoHttpError with an error name the other end chose', () => {
  it.each(NOT_NAMES)('never answers %j as the code: CognitoError at 5xx and 429, 500 for another 4xx', (name) => {
    expect(
      [503, 500, 429, 400].map((status) => {
        const { statusCode, code, message } = toCognitoHttpError(sdkError(name, status, 'findUser'));
        return [statusCode, code, message];
      }),
    ).toEqual([
      [502, 'CognitoError', 'Cognito failed to process the request'],
      [502, 'CognitoError', 'Cognito failed to process the request'],
      [429, 'CognitoError', 'Too many requests to Cognito; retry later'],
      [500, 'CognitoError', 'Internal server error'],
    ]);
  });

  it.each(NOT_NAMES)('on a credential operation, a 4xx refusal named %j is still the one 401', (name) => {
    expect(toCognitoHttpError(sdkError(name, 400, 'refreshTokens'))).toEqual({
      statusCode: 401,
      code: 'NotAuthorizedException',
      message: 'Invalid refresh token',
      logDetails: false,
    });
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'knows no error named %s (an Object.prototype member): the 401 on a credential path, 500 CognitoError elsewhere',
    (name) => {
      expect(toCognitoHttpError(sdkError(name, 400, 'signIn'))).toMatchObject({
        statusCode: 401,
        code: 'NotAuthorizedException',
      });
      expect(toCognitoHttpError(sdkError(name, 400, 'findUser'))).toMatchObject({
        statusCode: 500,
        code: 'CognitoError',
      });
    },
  );

  it('keeps a well-formed name Cognito may add later as the code of a 5xx or 429', () => {
    expect(toCognitoHttpError(sdkError('SomeNewServerException', 503, 'findUser'))).toMatchObject({
      statusCode: 502,
      code: 'SomeNewServerException',
    });
    expect(toCognitoHttpError(sdkError('SomeNewThrottleException', 429, 'findUser'))).toMatchObject({
      statusCode: 429,
      code: 'SomeNewThrottleException',
    });
  });
});
