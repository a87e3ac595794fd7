import type { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSdk, isCognitoSdkLoaded } from '../sdk/cognito-sdk';
import { CognitoAuthError } from './cognito-auth.errors';
import { CognitoSyncError } from './cognito.errors';
import type { CognitoErrorCode } from './error-body';

/**
 * @internal Whether `error` is one of Cognito's own (an SDK exception): an error shaped like an AWS
 * SDK service error (a `$fault`, which every one has) of the SDK's class. Never loads the SDK: no
 * instance of its classes can exist before it is loaded, and another AWS client's error (DynamoDB's,
 * say) must not cost a guard-only app the SDK in the middle of a request.
 */
export function isCognitoServiceError(error: unknown): error is CognitoIdentityProviderServiceException {
  const { $fault } = (error ?? {}) as { $fault?: unknown };
  return (
    ($fault === 'client' || $fault === 'server') &&
    isCognitoSdkLoaded() &&
    error instanceof cognitoSdk().CognitoIdentityProviderServiceException
  );
}

/**
 * @internal Cognito's own errors as an exception filter's `@Catch()` type: `instanceof` (which Nest's
 * filters use) is {@link isCognitoServiceError}, so the filter's module does not load the SDK.
 */
export abstract class CognitoServiceErrors {
  static [Symbol.hasInstance](error: unknown): boolean {
    return isCognitoServiceError(error);
  }
}

/**
 * Whether `error` is one this module answers for: Cognito's own (the SDK's
 * exceptions, by `name`), or the module's (`CognitoSyncError`, the guard's
 * refusals, by `code`). With `code`, whether it is that one.
 *
 * @example
 * ```ts
 * try {
 *   await this.cognito.createUser(email, { email });
 * } catch (error) {
 *   if (isCognitoError(error, 'UsernameExistsException')) throw new ConflictException();
 *   throw error;
 * }
 * ```
 */
export function isCognitoError(error: unknown, code?: CognitoErrorCode): error is Error & { code?: CognitoErrorCode } {
  if (error instanceof CognitoSyncError || error instanceof CognitoAuthError)
    return code === undefined || error.code === code;
  if (isCognitoServiceError(error)) return code === undefined || error.name === code;
  return false;
}
