import type { ForgotPasswordCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { CognitoOperation } from '../errors/cognito.errors';
import { secretHashFor } from '../internal/hashing';
import { checkedAccessToken, checkedCode, checkedSecret, checkedUsername } from '../internal/input-checks';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import { CognitoCaller, type CognitoCommandBuilder, type CognitoSendOptions } from '../internal/cognito-api';

/**
 * @internal The password resets and changes of `CognitoSyncService` (documented
 * there): each method one Cognito call, with the SECRET_HASH where Cognito takes one.
 */
@Injectable()
export class CognitoPasswords {
  /** The facade's name: the log lines are the service's. */
  private readonly logger = new Logger('CognitoSyncService');

  constructor(
    private readonly caller: CognitoCaller,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
  ) {}

  async resetUserPassword(username: string): Promise<void> {
    await this.send(
      'resetUserPassword',
      (sdk) =>
        new sdk.AdminResetUserPasswordCommand({
          UserPoolId: this.options.userPoolId,
          Username: checkedUsername(username),
        }),
    );
  }

  async forgotPassword(username: string): Promise<ForgotPasswordCommandOutput> {
    return this.send('forgotPassword', (sdk) => new sdk.ForgotPasswordCommand(this.clientUser(username)));
  }

  async confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void> {
    const input = {
      ...this.clientUser(username),
      ConfirmationCode: checkedCode('code', code),
      Password: checkedSecret('newPassword', newPassword),
    };
    await this.send('confirmForgotPassword', (sdk) => new sdk.ConfirmForgotPasswordCommand(input));
  }

  async changePassword(accessToken: string, oldPassword: string, newPassword: string): Promise<void> {
    const input = {
      AccessToken: checkedAccessToken(accessToken),
      PreviousPassword: checkedSecret('oldPassword', oldPassword),
      ProposedPassword: checkedSecret('newPassword', newPassword),
    };
    await this.send('changePassword', (sdk) => new sdk.ChangePasswordCommand(input), {
      token: accessToken,
    });
  }

  /** ClientId, Username and, for a client with a secret, the SecretHash over the username as given. */
  private clientUser(username: string): { ClientId: string; Username: string; SecretHash?: string } {
    const Username = checkedUsername(username);
    const { clientId, clientSecret } = this.options;
    return {
      ClientId: clientId,
      Username,
      ...(clientSecret === undefined ? {} : { SecretHash: secretHashFor(this.options, Username) }),
    };
  }

  private send<Output>(
    operation: CognitoOperation,
    build: CognitoCommandBuilder,
    call: Omit<CognitoSendOptions, 'logger'> = {},
  ) {
    return this.caller.send<Output>(operation, build, { logger: this.logger, ...call });
  }
}
