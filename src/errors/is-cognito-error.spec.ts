import { UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import * as sdk from '../sdk/cognito-sdk';
import { CognitoUnauthorizedError } from './cognito-auth.errors';
import { CognitoInputError } from './cognito.errors';
import { CognitoServiceErrors, isCognitoError } from './is-cognito-error';

/** What another AWS SDK client throws (DynamoDB's ConditionalCheckFailedException, say): Cognito's shape. */
class OtherServiceError extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  override readonly name = 'ConditionalCheckFailedException';
}

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

// Under Jest this file has loaded the SDK already (the import above): the cases below say, by spies on
// ../sdk/cognito-sdk scoped to them, whether it is loaded and whether it can be. The cases above run
// on the real module.
describe('CognitoServiceErrors and isCognitoError, the SDK not loaded or not loadable (spied cognito-sdk)', () => {
  let load: jest.SpiedFunction<typeof sdk.cognitoSdk>;
  let loaded: jest.SpiedFunction<typeof sdk.isCognitoSdkLoaded>;
  beforeEach(() => {
    load = jest.spyOn(sdk, 'cognitoSdk');
    loaded = jest.spyOn(sdk, 'isCognitoSdkLoaded').mockReturnValue(false);
  });
  afterEach(() => jest.restoreAllMocks());

  it(
    "answers another AWS client's error false in the filter's @Catch (instanceof CognitoServiceErrors) without " +
      'loading the SDK (no instance of its classes can exist before it is loaded)',
    () => {
      expect(new OtherServiceError('x') instanceof CognitoServiceErrors).toBe(false);
      expect(load).not.toHaveBeenCalled();
    },
  );

  it(
    "answers false instead of throwing inside Nest's exception handling when the SDK cannot be loaded (a bundle " +
      'that leaves it out)',
    () => {
      load.mockImplementation(() => {
        throw Object.assign(new Error("Cannot find module '@aws-sdk/client-cognito-identity-provider'"), {
          code: 'MODULE_NOT_FOUND',
        });
      });
      expect(() => new OtherServiceError('x') instanceof CognitoServiceErrors).not.toThrow();
      expect(() => isCognitoError(new OtherServiceError('x'))).not.toThrow();
    },
  );

  it('answers false, the SDK loaded, for a thrown plain object or an Error with $fault and a Cognito name', () => {
    loaded.mockReturnValue(true);
    const spoofs: unknown[] = [
      { $fault: 'client', name: 'NotAuthorizedException', $metadata: { httpStatusCode: 401 } },
      Object.assign(new Error('x'), { $fault: 'server', name: 'InternalErrorException' }),
      Object.assign(Object.create(null) as object, { $fault: 'client', name: 'UserNotFoundException' }),
      'NotAuthorizedException',
      null,
    ];
    for (const spoof of spoofs) {
      expect(spoof instanceof CognitoServiceErrors).toBe(false);
      expect(isCognitoError(spoof)).toBe(false);
    }
  });
});
