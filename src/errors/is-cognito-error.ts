import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoAuthError } from './cognito-auth.errors';
import { CognitoSyncError } from './cognito.errors';
import type { CognitoErrorCode } from './error-body';

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
  if (error instanceof CognitoIdentityProviderServiceException) return code === undefined || error.name === code;
  return false;
}
