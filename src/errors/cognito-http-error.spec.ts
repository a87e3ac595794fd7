import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoBadResponseError,
  CognitoConfigurationError,
  CognitoInputError,
  CognitoMisconfiguredError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  type CognitoOperation,
  tagCallerUsername,
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
    ['UserLambdaValidationException', 400],
    ['ForbiddenException', 403],
    ['TooManyRequestsException', 429],
    ['ThrottlingException', 429],
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
    expect(
      toCognitoHttpError(sdkError('Weird', 'm', { $fault: 'server', $metadata: { httpStatusCode: 503 } })).statusCode,
    ).toBe(502);
  });

  it.each([
    'Unable to verify secret hash for client abc',
    'Client abc is configured for secret but secret was not received',
  ])('treats NotAuthorizedException "%s" as the app\'s misconfiguration (500, generic)', (message) => {
    expect(toCognitoHttpError(sdkError('NotAuthorizedException', message))).toMatchObject({
      statusCode: 500,
      code: 'CognitoMisconfigured',
      message: 'Internal server error',
      logDetails: true,
    });
  });

  const HASH_REFUSALS = [
    'Unable to verify secret hash for client abc',
    'SecretHash does not match for the client: abc',
  ];

  it.each(HASH_REFUSALS)(
    'answers "%s" with 400 InvalidUsername, logged, when the call hashed a username the caller gave',
    (message) => {
      for (const operation of ['refreshTokens', 'signIn', 'respondToNewPasswordChallenge'] as const) {
        const error = sdkError('NotAuthorizedException', message);
        tagOperation(error, operation, { secretHash: true });
        expect(toCognitoHttpError(error)).toMatchObject({
          statusCode: 400,
          code: 'InvalidUsername',
          logDetails: true,
          reason: expect.any(String),
        });
      }
    },
  );

  it(
    "marks the refusal as the caller's (a rate-limited warning, not an ERROR) only when the endpoint tagged " +
      "the username as the request's",
    () => {
      const [own, callers] = [
        sdkError('NotAuthorizedException', HASH_REFUSALS[0]),
        sdkError('NotAuthorizedException', HASH_REFUSALS[0]),
      ];
      for (const error of [own, callers]) tagOperation(error, 'refreshTokens', { secretHash: true });
      tagCallerUsername(callers);
      expect(toCognitoHttpError(own).callerInput).toBeUndefined();
      expect(toCognitoHttpError(callers)).toMatchObject({
        statusCode: 400,
        code: 'InvalidUsername',
        logDetails: true,
        callerInput: true,
      });
    },
  );

  it.each(HASH_REFUSALS)(
    'answers "%s" with 500 CognitoMisconfigured when no caller input fed a hash ' +
      '(GetTokensFromRefreshToken, admin calls)',
    (message) => {
      for (const operation of ['refreshTokens', 'findUser', 'revocationCheck'] as const) {
        const error = sdkError('NotAuthorizedException', message);
        tagOperation(error, operation);
        expect(toCognitoHttpError(error)).toMatchObject({
          statusCode: 500,
          code: 'CognitoMisconfigured',
          message: 'Internal server error',
          logDetails: true,
        });
      }
    },
  );

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

  it("passes the module's own input errors on with their code, and hides configuration details", () => {
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

  it(
    'on respondToNewPasswordChallenge, an unknown user looks like a bad session; a weak new password stays ' +
      '400 (the policy is pool-wide)',
    () => {
      const missing = sdkError('UserNotFoundException', 'User does not exist.');
      tagOperation(missing, 'respondToNewPasswordChallenge');
      expect(toCognitoHttpError(missing)).toMatchObject({
        statusCode: 401,
        code: 'NotAuthorizedException',
        message: 'Invalid username or session',
      });
      const weak = sdkError('InvalidPasswordException', 'Password does not conform to policy');
      tagOperation(weak, 'respondToNewPasswordChallenge');
      expect(toCognitoHttpError(weak)).toMatchObject({ statusCode: 400, code: 'InvalidPasswordException' });
      expect(toCognitoHttpError(weak).message).not.toContain('conform');
    },
  );

  const CREDENTIAL_ANSWERS: Array<[CognitoOperation, string]> = [
    ['refreshTokens', 'Invalid refresh token'],
    ['signIn', 'Incorrect username or password'],
    ['respondToNewPasswordChallenge', 'Invalid username or session'],
  ];
  const CALLER_REFUSALS = [
    'NotAuthorizedException',
    'UserNotFoundException',
    'UserNotConfirmedException',
    'PasswordResetRequiredException',
    'RefreshTokenReuseException',
    'UserLambdaValidationException',
    'InvalidParameterException',
    'CodeMismatchException',
    'ExpiredCodeException',
    'LimitExceededException',
    'TooManyFailedAttemptsException',
    'AliasExistsException',
    'SomeFutureClientException',
  ];

  it.each(CREDENTIAL_ANSWERS)(
    "on %s, every refusal of Cognito's is one identical 401 (a deny-list)",
    (operation, message) => {
      for (const name of [
        ...CALLER_REFUSALS,
        ...(operation === 'respondToNewPasswordChallenge' ? [] : ['InvalidPasswordException']),
      ]) {
        const error = sdkError(name, `echo of ${name}`);
        tagOperation(error, operation);
        expect([name, toCognitoHttpError(error)]).toEqual([
          name,
          { statusCode: 401, code: 'NotAuthorizedException', message, logDetails: false },
        ]);
      }
      const unknown4xx = sdkError('Unmodelled', 'x', { $fault: undefined, $metadata: { httpStatusCode: 400 } });
      tagOperation(unknown4xx, operation);
      expect(toCognitoHttpError(unknown4xx).statusCode).toBe(401);
    },
  );

  it.each(CREDENTIAL_ANSWERS)(
    'on %s, only throttling, WAF, faults and misconfiguration answer otherwise',
    (operation) => {
      const cases: Array<[string, object, number]> = [
        ['TooManyRequestsException', {}, 429],
        ['ThrottlingException', {}, 429],
        ['Unmodelled', { $metadata: { httpStatusCode: 429 } }, 429],
        ['ForbiddenException', {}, 403],
        ['InternalErrorException', { $fault: 'server' }, 502],
        ['UnexpectedLambdaException', { $fault: 'server' }, 502],
        ['Unmodelled', { $fault: 'server', $metadata: { httpStatusCode: 503 } }, 502],
        ['ResourceNotFoundException', {}, 500],
        ['UnrecognizedClientException', {}, 500],
      ];
      for (const [name, extra, status] of cases) {
        const error = sdkError(name, 'm', extra);
        tagOperation(error, operation);
        expect([name, toCognitoHttpError(error).statusCode]).toEqual([name, status]);
      }
    },
  );

  it("never passes Cognito's message on: each code has fixed text of the module's", () => {
    const expected: Array<[string, number, string]> = [
      ['UserNotFoundException', 404, 'The user does not exist'],
      ['UsernameExistsException', 409, 'A user with this username already exists'],
      ['AliasExistsException', 409, 'Another user already has this email address or phone number'],
      ['InvalidParameterException', 400, 'Cognito refused a parameter of the request'],
      ['InvalidPasswordException', 400, "The password does not meet the user pool's password policy"],
      ['UserLambdaValidationException', 400, 'A Lambda trigger of the user pool refused the request'],
      ['NotAuthorizedException', 401, 'Not authorized'],
      ['ForbiddenException', 403, "The request was blocked by the user pool's web ACL (AWS WAF)"],
      ['TooManyRequestsException', 429, 'Too many requests to Cognito; retry later'],
      ['InternalErrorException', 502, 'Cognito failed to process the request'],
      ['SomethingNewException', 500, 'Internal server error'],
    ];
    for (const [name, statusCode, message] of expected) {
      const error = sdkError(name, 'Invalid value "<script>leak@example.com</script>"');
      tagOperation(error, 'findUser');
      expect(toCognitoHttpError(error)).toMatchObject({
        statusCode,
        code: statusCode === 500 ? 'CognitoError' : name,
        message,
      });
    }
  });

  it(
    'outside credential operations, user management errors keep their own status (findUser 404, createUser ' + '409)',
    () => {
      const missing = sdkError('UserNotFoundException', 'User does not exist.');
      tagOperation(missing, 'findUser');
      expect(toCognitoHttpError(missing)).toMatchObject({ statusCode: 404, code: 'UserNotFoundException' });
      const duplicate = sdkError('UsernameExistsException', 'User account already exists');
      tagOperation(duplicate, 'createUser');
      expect(toCognitoHttpError(duplicate)).toMatchObject({ statusCode: 409, code: 'UsernameExistsException' });
    },
  );
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

  it(
    "answers missing AWS credentials with the misconfiguration body, not logged again (the call's own line " +
      'names the cause)',
    () => {
      expect(toCognitoHttpError(new CognitoMisconfiguredError('no credentials'))).toEqual({
        statusCode: 500,
        code: 'CognitoMisconfigured',
        message: 'Internal server error',
        logDetails: false,
      });
    },
  );
});

describe('toCognitoHttpError: a device key Cognito does not know', () => {
  const notFound = (message: string, deviceKey: boolean) => {
    const error = sdkError('ResourceNotFoundException', message);
    tagOperation(error, 'refreshTokens', { deviceKey });
    return toCognitoHttpError(error);
  };

  it(
    'answers Cognito\'s "Device does not exist." to a refresh that carried the caller\'s device key with the ' +
      'one 401, not logged',
    () => {
      expect(notFound('Device does not exist.', true)).toEqual({
        statusCode: 401,
        code: 'NotAuthorizedException',
        message: 'Invalid refresh token',
        logDetails: false,
      });
    },
  );

  it(
    'keeps ResourceNotFoundException a misconfiguration when no device key was sent, or when the message ' +
      'names no device (a wrong pool or client)',
    () => {
      for (const answer of [
        notFound('Device does not exist.', false),
        notFound('User pool client abc does not exist.', true),
      ]) {
        expect(answer).toMatchObject({ statusCode: 500, code: 'CognitoMisconfigured', logDetails: true });
      }
    },
  );
});

describe('toCognitoHttpError: the session operations', () => {
  it('answers a group the caller named that does not exist with 404, not a misconfiguration', () => {
    for (const operation of ['addUserToGroup', 'removeUserFromGroup', 'listUsersInGroup'] as const) {
      const error = sdkError('ResourceNotFoundException', 'Group not found.');
      tagOperation(error, operation);
      expect(toCognitoHttpError(error)).toMatchObject({
        statusCode: 404,
        code: 'ResourceNotFoundException',
        message: 'The group does not exist',
      });
    }
  });

  it(
    'keeps a new password that breaks the policy a 400 on respondToAuthChallenge, as on ' +
      'respondToNewPasswordChallenge',
    () => {
      const error = sdkError('InvalidPasswordException', 'Password does not conform to policy');
      tagOperation(error, 'respondToAuthChallenge');
      expect(toCognitoHttpError(error)).toMatchObject({ statusCode: 400, code: 'InvalidPasswordException' });
    },
  );

  it("answers a refused SecretHash of forgotPassword (over the caller's username) with 400 InvalidUsername", () => {
    const error = sdkError('NotAuthorizedException', 'Unable to verify secret hash for client abc');
    tagOperation(error, 'forgotPassword', { secretHash: true });
    expect(toCognitoHttpError(error)).toMatchObject({ statusCode: 400, code: 'InvalidUsername' });
  });
});
