// Attacks on the SDK-free recognition of Cognito's errors (issue 29 review).
import { cognitoSdk, isCognitoSdkLoaded } from '../sdk/cognito-sdk';
import { CognitoServiceErrors, isCognitoError } from './is-cognito-error';

// Under Jest the SDK is loaded already: each test says whether it is, and whether it can be.
jest.mock('../sdk/cognito-sdk', () => ({
  ...jest.requireActual<object>('../sdk/cognito-sdk'),
  cognitoSdk: jest.fn(),
  isCognitoSdkLoaded: jest.fn(),
}));
const load = jest.mocked(cognitoSdk);
const loaded = jest.mocked(isCognitoSdkLoaded);
const { cognitoSdk: realSdk } = jest.requireActual<{ cognitoSdk: typeof cognitoSdk }>('../sdk/cognito-sdk');

/** What another AWS SDK client throws (DynamoDB's ConditionalCheckFailedException, say): Cognito's shape. */
class OtherServiceError extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  override readonly name = 'ConditionalCheckFailedException';
}

beforeEach(() => {
  load.mockReset().mockImplementation(realSdk);
  loaded.mockReset().mockReturnValue(false);
});

describe('attack: errors of another AWS client in an app that never called Cognito', () => {
  it(
    "the filter's @Catch (instanceof CognitoServiceErrors) answers false without loading the SDK " +
      '(no instance of its classes can exist before it is loaded)',
    () => {
      expect(new OtherServiceError('x') instanceof CognitoServiceErrors).toBe(false);
      expect(load).not.toHaveBeenCalled();
    },
  );

  it(
    'when the SDK cannot be loaded (a bundle that leaves it out), instanceof answers false instead of throwing ' +
      "inside Nest's exception handling",
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
});

describe('holds: what is not an SDK exception is not answered as Cognito', () => {
  it('a thrown plain object or an Error with $fault and a Cognito name, whatever else it carries', () => {
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
