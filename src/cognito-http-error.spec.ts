import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoBadResponseError,
  CognitoConfigurationError,
  CognitoInputError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  tagOperation,
} from './cognito.errors';
import { toCognitoHttpError } from './cognito-http-error';

const sdkError = (name: string, message = 'm', extra: object = {}) =>
  new CognitoIdentityProviderServiceException({ name, message, $fault: 'client', $metadata: {}, ...extra });

describe('toCognitoHttpError', () => {
  it.each([
    ['NotAuthorizedException', 401],
    ['UserNotFoundException', 404],
    ['UsernameExistsException', 409],
    ['InvalidParameterException', 400],
    ['InvalidPasswordException', 400],
    ['ForbiddenException', 403],
    ['TooManyRequestsException', 429],
    ['InternalErrorException', 502],
    ['UnexpectedLambdaException', 502],
    ['ResourceNotFoundException', 500],
    ['AccessDeniedException', 500],
    ['SomethingNewException', 500],
  ])('maps %s to %i', (name, status) => {
    expect(toCognitoHttpError(sdkError(name)).statusCode).toBe(status);
  });

  it('answers 429 with Retry-After', () => {
    expect(toCognitoHttpError(sdkError('TooManyRequestsException'))).toMatchObject({ statusCode: 429, retryAfter: 1 });
  });

  it('maps an unknown server fault to 502', () => {
    expect(toCognitoHttpError(sdkError('Weird', 'm', { $fault: 'server', $metadata: { httpStatusCode: 503 } })).statusCode).toBe(502);
  });

  it.each(['Unable to verify secret hash for client abc', 'Client abc is configured for secret but secret was not received'])(
    'treats NotAuthorizedException "%s" as the app\'s misconfiguration (500, generic)',
    (message) => {
      expect(toCognitoHttpError(sdkError('NotAuthorizedException', message))).toEqual({
        statusCode: 500,
        code: 'CognitoMisconfigured',
        message: 'Internal server error',
        logDetails: true,
      });
    },
  );

  it('answers a hash Cognito cannot verify on the refresh path with 400 InvalidUsername (the username is the caller\'s)', () => {
    const error = sdkError('NotAuthorizedException', 'Unable to verify secret hash for client abc');
    tagOperation(error, 'refreshTokens');
    expect(toCognitoHttpError(error)).toMatchObject({ statusCode: 400, code: 'InvalidUsername', logDetails: true });
  });

  it.each([
    ['NotAuthorizedException', 'Invalid Refresh Token.'],
    ['NotAuthorizedException', 'Refresh Token has expired'],
    ['NotAuthorizedException', 'Refresh Token has been revoked'],
    ['NotAuthorizedException', 'User is disabled.'],
    ['UserNotFoundException', 'User does not exist.'],
    ['UserNotConfirmedException', 'User is not confirmed.'],
    ['PasswordResetRequiredException', 'Password reset required for the user'],
    ['RefreshTokenReuseException', 'Refresh token reused'],
  ])('on the refresh path, %s "%s" looks like any invalid token', (name, message) => {
    const error = sdkError(name, message);
    tagOperation(error, 'refreshTokens');
    expect(toCognitoHttpError(error)).toEqual({
      statusCode: 401,
      code: 'NotAuthorizedException',
      message: 'Invalid refresh token',
      logDetails: false,
    });
  });

  it('passes the module\'s own input errors on with their code, and hides configuration details', () => {
    expect(toCognitoHttpError(new CognitoInputError('UsernameRequired', 'need it'))).toMatchObject({
      statusCode: 400,
      code: 'UsernameRequired',
      message: 'need it',
    });
    expect(toCognitoHttpError(new CognitoConfigurationError('clientId is required'))).toMatchObject({
      statusCode: 500,
      code: 'InvalidModuleOptions',
      message: 'Internal server error',
    });
  });

  it.each([
    ['NotAuthorizedException', 'Incorrect username or password.'],
    ['UserNotFoundException', 'User does not exist.'],
    ['NotAuthorizedException', 'User is disabled.'],
  ])('on signIn, %s "%s" looks like a wrong password', (name, message) => {
    const error = sdkError(name, message);
    tagOperation(error, 'signIn');
    expect(toCognitoHttpError(error)).toEqual({
      statusCode: 401,
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password',
      logDetails: false,
    });
  });

  it('on respondToNewPasswordChallenge, an unknown user looks like a bad session; a weak password stays 400', () => {
    const missing = sdkError('UserNotFoundException', 'User does not exist.');
    tagOperation(missing, 'respondToNewPasswordChallenge');
    expect(toCognitoHttpError(missing)).toMatchObject({ statusCode: 401, code: 'NotAuthorizedException', message: 'Invalid username or session' });
    const weak = sdkError('InvalidPasswordException', 'Password does not conform to policy');
    tagOperation(weak, 'respondToNewPasswordChallenge');
    expect(toCognitoHttpError(weak)).toMatchObject({ statusCode: 400, code: 'InvalidPasswordException' });
  });

  it('outside credential operations, user management errors keep their own status (findUser 404, createUser 409)', () => {
    const missing = sdkError('UserNotFoundException', 'User does not exist.');
    tagOperation(missing, 'findUser');
    expect(toCognitoHttpError(missing)).toMatchObject({ statusCode: 404, code: 'UserNotFoundException' });
    const duplicate = sdkError('UsernameExistsException', 'User account already exists');
    tagOperation(duplicate, 'createUser');
    expect(toCognitoHttpError(duplicate)).toMatchObject({ statusCode: 409, code: 'UsernameExistsException' });
  });
});

describe('toCognitoHttpError: faults', () => {
  it.each([
    [new CognitoUnavailableError(), { statusCode: 503, code: 'CognitoUnavailable', retryAfter: 1, logDetails: true }],
    [new CognitoTimeoutError(), { statusCode: 504, code: 'CognitoTimeout', logDetails: true }],
    [new CognitoBadResponseError(), { statusCode: 502, code: 'CognitoBadResponse', logDetails: true }],
  ])('maps %s', (error, expected) => {
    const answer = toCognitoHttpError(error);
    expect(answer).toMatchObject(expected);
    expect(answer.message).not.toBe('Internal server error');
  });
});
