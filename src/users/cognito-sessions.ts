import type { AdminRespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { CognitoOperation } from '../errors/cognito.errors';
import { secretHashFor } from '../internal/hashing';
import { checkedChallengeResponses } from '../internal/challenge-responses';
import {
  checkedRefreshToken,
  checkedSecret,
  checkedSession,
  checkedUsername,
  type CognitoChallengeName,
} from '../internal/input-checks';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import {
  CognitoCaller,
  type CognitoCommandBuilder,
  type CognitoSdk,
  type CognitoSendOptions,
} from '../internal/cognito-api';

/**
 * RevokeToken's refusals that mean "there is nothing (left) to revoke": an unknown,
 * expired or already revoked refresh token (NotAuthorizedException, as cognito-local
 * answers; AWS answers an already revoked one with success), or a token that is not a
 * refresh token (UnsupportedTokenTypeException). A NotAuthorizedException about the
 * client's secret is the app's misconfiguration, and is thrown.
 */
const NOTHING_TO_REVOKE = new Set(['NotAuthorizedException', 'UnsupportedTokenTypeException']);
const ABOUT_THE_CLIENT = /secret|client/i;

/**
 * @internal Sign-out and the sign-in challenges of `CognitoSyncService` (documented
 * there): each method one Cognito call.
 */
@Injectable()
export class CognitoSessions {
  /** The facade's name: the log lines are the service's. */
  private readonly logger = new Logger('CognitoSyncService');

  constructor(
    private readonly caller: CognitoCaller,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
  ) {}

  async signOut(refreshToken: string): Promise<void> {
    const { clientId, clientSecret } = this.options;
    const input = {
      Token: checkedRefreshToken(refreshToken),
      ClientId: clientId,
      ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
    };
    try {
      await this.send('signOut', (sdk) => new sdk.RevokeTokenCommand(input), {
        token: refreshToken,
        expected: 'NotAuthorizedException',
      });
    } catch (error) {
      const { name, message } = (error ?? {}) as { name?: string; message?: string };
      if (
        NOTHING_TO_REVOKE.has(name ?? '') &&
        !(name === 'NotAuthorizedException' && ABOUT_THE_CLIENT.test(message ?? ''))
      )
        return;
      throw error;
    }
  }

  async globalSignOut(username: string): Promise<void> {
    await this.send(
      'globalSignOut',
      (sdk) =>
        new sdk.AdminUserGlobalSignOutCommand({
          UserPoolId: this.options.userPoolId,
          Username: checkedUsername(username),
        }),
    );
  }

  async respondToAuthChallenge(
    challengeName: CognitoChallengeName,
    session: string,
    username: string,
    responses: Record<string, string>,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    return this.challenge('respondToAuthChallenge', challengeName, session, username, responses);
  }

  async respondToNewPasswordChallenge(
    username: string,
    newPassword: string,
    session: string,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    const responses = { NEW_PASSWORD: checkedSecret('newPassword', newPassword) };
    return this.challenge('respondToNewPasswordChallenge', 'NEW_PASSWORD_REQUIRED', session, username, responses);
  }

  /** AdminRespondToAuthChallenge with USERNAME and, for a client with a secret, the SECRET_HASH over it. */
  private async challenge(
    operation: CognitoOperation,
    challengeName: CognitoChallengeName,
    session: string,
    username: string,
    responses: Record<string, string>,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    const checked: Record<string, string> = {
      USERNAME: checkedUsername(username),
      ...checkedChallengeResponses(challengeName, responses, this.options.attributes),
    };
    const challengeSession = checkedSession(session);
    if (this.options.clientSecret !== undefined) checked.SECRET_HASH = secretHashFor(this.options, username);
    const command = (sdk: CognitoSdk) =>
      new sdk.AdminRespondToAuthChallengeCommand({
        UserPoolId: this.options.userPoolId,
        ClientId: this.options.clientId,
        ChallengeName: challengeName,
        Session: challengeSession,
        ChallengeResponses: checked,
      });
    return this.send(operation, command);
  }

  private send<Output>(
    operation: CognitoOperation,
    build: CognitoCommandBuilder,
    call: Omit<CognitoSendOptions, 'logger'> = {},
  ) {
    return this.caller.send<Output>(operation, build, { logger: this.logger, ...call });
  }
}
