import type { Logger } from '@nestjs/common';
import type { CognitoCaller, CognitoSdk } from '../internal/cognito-api';
import { CognitoAuthUnavailableError } from '../errors/cognito-auth.errors';
import { RevocationCache } from './revocation-cache';

/**
 * Cognito errors that say the token is no longer accepted: revoked, user gone, or
 * a user who must sign in again (password reset required, no longer confirmed).
 */
const REVOKED = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
]);

/**
 * The verifier's `revocationCheck`: whether Cognito still accepts a token, asked
 * with `GetUser` and remembered for the cache period (see {@link RevocationCache}).
 */
export class RevocationCheck {
  private readonly answers: RevocationCache;

  constructor(
    cacheMs: number,
    private readonly caller: CognitoCaller,
    private readonly logger: Logger,
  ) {
    this.answers = new RevocationCache(cacheMs);
  }

  /**
   * Whether the token is still accepted: a cached answer, or Cognito's.
   * @throws CognitoAuthUnavailableError (503) when Cognito cannot be asked.
   */
  isAccepted(token: string): Promise<boolean> {
    return this.answers.isAccepted(token, () => this.askCognito(token));
  }

  /**
   * GetUser accepts only a live access token of an existing, enabled user. Under the
   * module's deadline, logged like every failed Cognito call (fingerprint only).
   */
  private async askCognito(token: string): Promise<boolean> {
    try {
      const command = (sdk: CognitoSdk) => new sdk.GetUserCommand({ AccessToken: token });
      await this.caller.send('revocationCheck', command, { logger: this.logger, token });
      return true;
    } catch (error) {
      if (REVOKED.has((error as Error).name)) return false;
      throw new CognitoAuthUnavailableError(
        'RevocationCheckUnavailable',
        'The token cannot be checked right now; retry later',
      );
    }
  }
}
