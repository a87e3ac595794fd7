import { IntrinsicException } from '@nestjs/common';
import { CognitoAuthUnavailableError, CognitoForbiddenError, CognitoUnauthorizedError } from './cognito-auth.errors';
import { CognitoUnavailableError } from './cognito.errors';
import { toCognitoHttpError } from './cognito-http-error';
import { CognitoGraphQLError } from './cognito-graphql-error';

describe('CognitoGraphQLError', () => {
  it(
    "turns the guard's refusals into UNAUTHENTICATED, FORBIDDEN and SERVICE_UNAVAILABLE, with the module's " +
      'code and message',
    () => {
      const missing = CognitoGraphQLError.fromGuard(
        new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required'),
      ) as CognitoGraphQLError;
      expect(missing).toBeInstanceOf(CognitoGraphQLError);
      expect(missing.message).toBe('A bearer token is required');
      expect(missing.extensions).toEqual({ code: 'UNAUTHENTICATED', cognitoCode: 'TokenMissing', statusCode: 401 });
      expect((CognitoGraphQLError.fromGuard(new CognitoForbiddenError()) as CognitoGraphQLError).extensions).toEqual({
        code: 'FORBIDDEN',
        cognitoCode: 'GroupRequired',
        statusCode: 403,
      });
      const keys = CognitoGraphQLError.fromGuard(
        new CognitoAuthUnavailableError('JwksUnavailable', 'The signing keys cannot be fetched', 7),
      );
      expect((keys as CognitoGraphQLError).extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        cognitoCode: 'JwksUnavailable',
        statusCode: 503,
        retryAfter: 7,
      });
    },
  );

  it("leaves errors that are not the guard's as they are", () => {
    const error = new Error('boom');
    expect(CognitoGraphQLError.fromGuard(error)).toBe(error);
  });

  it("maps the filter's answers by status, the unknown ones to INTERNAL_SERVER_ERROR", () => {
    const notFound = Object.assign(new Error('User does not exist.'), {
      name: 'UserNotFoundException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(CognitoGraphQLError.fromAnswer(toCognitoHttpError(notFound)).extensions).toEqual({
      code: 'NOT_FOUND',
      cognitoCode: 'UserNotFoundException',
      statusCode: 404,
    });
    expect(CognitoGraphQLError.fromAnswer(toCognitoHttpError(new CognitoUnavailableError())).extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      cognitoCode: 'CognitoUnavailable',
      statusCode: 503,
      retryAfter: 1,
    });
    expect(CognitoGraphQLError.fromAnswer({ statusCode: 418, code: 'Teapot', message: 'x' }).extensions.code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });

  it("is an IntrinsicException, which Nest's exception handler does not log as an error", () => {
    expect(CognitoGraphQLError.fromAnswer({ statusCode: 401, code: 'TokenMissing', message: 'x' })).toBeInstanceOf(
      IntrinsicException,
    );
  });
});
