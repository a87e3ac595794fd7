// Password resets and changes at the SDK boundary (aws-sdk-client-mock): the exact
// requests, for what cognito-local cannot show (AdminResetUserPassword, SecretHash).
// No emulator involved.
import { cognitoServiceFor } from '../../test/support/service';
import {
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoInputError } from '../errors/cognito.errors';
import { ACCESS_TOKEN, EXPECTED_HASH, options, USERNAME, withSecret } from '../../test/support/sdk-fixtures';
import type { CognitoSyncService } from '../service/cognito-sync.service';

const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const cognito = mockClient(client);
const inputs = (command: Parameters<typeof cognito.commandCalls>[0]) =>
  cognito.commandCalls(command).map((call) => call.args[0].input);

beforeEach(() => cognito.reset());

describe('password resets and changes (at the SDK boundary)', () => {
  it('resetUserPassword sends AdminResetUserPassword', async () => {
    cognito.on(AdminResetUserPasswordCommand).resolves({});
    await cognitoServiceFor(client, options).resetUserPassword('ann');
    expect(inputs(AdminResetUserPasswordCommand)).toEqual([{ UserPoolId: 'eu-west-1_Pool1', Username: 'ann' }]);
  });

  it(
    'forgotPassword and confirmForgotPassword send the SecretHash over the username when the client has a ' + 'secret',
    async () => {
      const delivery = { AttributeName: 'email', DeliveryMedium: 'EMAIL' as const, Destination: 'a***@e***' };
      cognito.on(ForgotPasswordCommand).resolves({ CodeDeliveryDetails: delivery });
      cognito.on(ConfirmForgotPasswordCommand).resolves({});
      const service = cognitoServiceFor(client, withSecret);
      await expect(service.forgotPassword(USERNAME)).resolves.toMatchObject({ CodeDeliveryDetails: delivery });
      await service.confirmForgotPassword(USERNAME, '123456', 'New-passw0rd!');
      expect(inputs(ForgotPasswordCommand)).toEqual([
        { ClientId: 'client123', Username: USERNAME, SecretHash: EXPECTED_HASH },
      ]);
      expect(inputs(ConfirmForgotPasswordCommand)).toEqual([
        {
          ClientId: 'client123',
          Username: USERNAME,
          SecretHash: EXPECTED_HASH,
          ConfirmationCode: '123456',
          Password: 'New-passw0rd!',
        },
      ]);
    },
  );

  it('sends no SecretHash when the client has none', async () => {
    cognito.on(ForgotPasswordCommand).resolves({});
    cognito.on(ConfirmForgotPasswordCommand).resolves({});
    const service = cognitoServiceFor(client, options);
    await service.forgotPassword('ann');
    await service.confirmForgotPassword('ann', '123456', 'New-passw0rd!');
    expect(inputs(ForgotPasswordCommand)).toEqual([{ ClientId: 'client123', Username: 'ann' }]);
    expect(inputs(ConfirmForgotPasswordCommand)[0]).not.toHaveProperty('SecretHash');
  });

  it('changePassword sends ChangePassword with the access token', async () => {
    cognito.on(ChangePasswordCommand).resolves({});
    await cognitoServiceFor(client, withSecret).changePassword(ACCESS_TOKEN, 'Old-passw0rd!', 'New-passw0rd!');
    expect(inputs(ChangePasswordCommand)).toEqual([
      { AccessToken: ACCESS_TOKEN, PreviousPassword: 'Old-passw0rd!', ProposedPassword: 'New-passw0rd!' },
    ]);
  });
});

describe('input checks, before any call', () => {
  const bad: Array<[string, (s: CognitoSyncService) => Promise<unknown>]> = [
    ['resetUserPassword without a username', (s) => s.resetUserPassword('')],
    ['forgotPassword without a username', (s) => s.forgotPassword('')],
    ['confirmForgotPassword with an empty code', (s) => s.confirmForgotPassword('ann', '', 'New-passw0rd!')],
    ['confirmForgotPassword with a code with spaces', (s) => s.confirmForgotPassword('ann', '12 34', 'New-passw0rd!')],
    ['confirmForgotPassword without a password', (s) => s.confirmForgotPassword('ann', '123456', '')],
    ['changePassword without an access token', (s) => s.changePassword('opaque', 'Old-passw0rd!', 'New-passw0rd!')],
    ['changePassword without the old password', (s) => s.changePassword(ACCESS_TOKEN, '', 'New-passw0rd!')],
  ];
  it.each(bad)('refuses %s with a CognitoInputError, no call made', async (_label, call) => {
    await expect(call(cognitoServiceFor(client, withSecret))).rejects.toBeInstanceOf(CognitoInputError);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('never echoes a password or a code in the message', async () => {
    const error = await cognitoServiceFor(client, options)
      .confirmForgotPassword('ann', 'secret code', 'New-passw0rd!')
      .catch((e: Error) => e);
    expect((error as Error).message).not.toContain('secret code');
  });
});
