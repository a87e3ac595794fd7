import { UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUnauthorizedError } from './cognito-auth.errors';
import { CognitoInputError } from './cognito.errors';
import { isCognitoError } from './is-cognito-error';

describe('isCognitoError', () => {
  const cognitos = new UsernameExistsException({ message: 'User account already exists', $metadata: {} });
  const ours = new CognitoInputError('InvalidParameter', 'username must be a string');
  const guards = new CognitoUnauthorizedError('TokenExpired', 'The token has expired');

  it("recognises Cognito's errors by name and the module's by code", () => {
    expect([isCognitoError(cognitos), isCognitoError(ours), isCognitoError(guards)]).toEqual([true, true, true]);
    expect(isCognitoError(cognitos, 'UsernameExistsException')).toBe(true);
    expect(isCognitoError(ours, 'InvalidParameter')).toBe(true);
    expect(isCognitoError(guards, 'TokenExpired')).toBe(true);
  });

  it('refuses other codes and other errors', () => {
    expect(isCognitoError(cognitos, 'UserNotFoundException')).toBe(false);
    expect(isCognitoError(ours, 'InvalidRefreshToken')).toBe(false);
    expect(isCognitoError(new Error('UsernameExistsException'))).toBe(false);
    expect(
      isCognitoError(Object.assign(new Error('x'), { name: 'UsernameExistsException' }), 'UsernameExistsException'),
    ).toBe(false);
    expect(isCognitoError(undefined)).toBe(false);
  });

  it("refuses another AWS SDK client's error: Cognito's shape ($fault, $metadata), not one of its classes", () => {
    class AccessDenied extends Error {
      readonly $fault = 'client';
      readonly $metadata = { httpStatusCode: 403 };
      override readonly name = 'AccessDenied';
    }
    expect(isCognitoError(new AccessDenied('from another client'))).toBe(false);
    const named = Object.assign(new AccessDenied('x'), { name: 'UsernameExistsException' });
    expect(isCognitoError(named, 'UsernameExistsException')).toBe(false);
  });
});
