// Sign-out and sign-in challenges at the SDK boundary (aws-sdk-client-mock): the exact
// requests, for what cognito-local cannot show (AdminRespondToAuthChallenge,
// AdminUserGlobalSignOut, SecretHash). No emulator involved.
import { cognitoServiceFor } from '../../test/support/service';
import {
  AdminRespondToAuthChallengeCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoInputError, operationOf } from '../errors/cognito.errors';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import { EXPECTED_HASH, options, SESSION, USERNAME, withSecret } from '../../test/support/sdk-fixtures';
import type { CognitoSyncService } from '../service/cognito-sync.service';

const REFRESH_TOKEN = 'eyJjdHkiOiJKV1QifQ.refresh.token';

const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const cognito = mockClient(client);
const inputs = (command: Parameters<typeof cognito.commandCalls>[0]) =>
  cognito.commandCalls(command).map((call) => call.args[0].input);
const refusal = (name: string, message = 'refused') =>
  new CognitoIdentityProviderServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });

beforeEach(() => cognito.reset());

describe('signOut and globalSignOut (at the SDK boundary)', () => {
  it('revokes the refresh token with RevokeToken, the client secret sent when the client has one', async () => {
    cognito.on(RevokeTokenCommand).resolves({});
    await cognitoServiceFor(client, options).signOut(REFRESH_TOKEN);
    await cognitoServiceFor(client, withSecret).signOut(REFRESH_TOKEN);
    expect(inputs(RevokeTokenCommand)).toEqual([
      { Token: REFRESH_TOKEN, ClientId: 'client123' },
      { Token: REFRESH_TOKEN, ClientId: 'client123', ClientSecret: 'the-client-secret' },
    ]);
  });

  it.each(['NotAuthorizedException', 'UnsupportedTokenTypeException'])(
    'resolves when Cognito answers %s: nothing to revoke',
    async (name) => {
      cognito.on(RevokeTokenCommand).rejects(refusal(name, 'Invalid token'));
      await expect(cognitoServiceFor(client, options).signOut(REFRESH_TOKEN)).resolves.toBeUndefined();
    },
  );

  it.each([
    ['NotAuthorizedException', 'Client secret does not match', 'NotAuthorizedException'],
    ['UnauthorizedException', 'Client is not authorized', 'UnauthorizedException'],
    ['UnsupportedOperationException', 'Token revocation is not enabled', 'UnsupportedOperationException'],
    ['TooManyRequestsException', 'Too many requests', 'TooManyRequestsException'],
  ])('throws %s (%s): a misconfiguration, throttling or fault is not "signed out"', async (name, message, thrown) => {
    cognito.on(RevokeTokenCommand).rejects(refusal(name, message));
    const error = await cognitoServiceFor(client, options)
      .signOut(REFRESH_TOKEN)
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: thrown });
    expect(operationOf(error)).toBe('signOut');
  });

  it('globalSignOut sends AdminUserGlobalSignOut for the user', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});
    await cognitoServiceFor(client, withSecret).globalSignOut(USERNAME);
    expect(inputs(AdminUserGlobalSignOutCommand)).toEqual([{ UserPoolId: 'eu-west-1_Pool1', Username: USERNAME }]);
  });
});

describe('respondToAuthChallenge (at the SDK boundary; cognito-local has no AdminRespondToAuthChallenge)', () => {
  it.each([
    ['NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: 'New-passw0rd!', 'userAttributes.name': 'Ann' }],
    ['SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: '123456' }],
    ['SMS_MFA', { SMS_MFA_CODE: '654321' }],
    ['EMAIL_OTP', { EMAIL_OTP_CODE: '12345678' }],
  ] as const)(
    "answers %s with USERNAME and SECRET_HASH added, and returns Cognito's output",
    async (challengeName, responses) => {
      const tokens = {
        $metadata: {},
        ChallengeParameters: {},
        AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r' },
      };
      cognito.on(AdminRespondToAuthChallengeCommand).resolves(tokens);
      const output = await cognitoServiceFor(client, withSecret).respondToAuthChallenge(
        challengeName,
        SESSION,
        USERNAME,
        { ...responses },
      );
      expect(output).toEqual(tokens);
      expect(inputs(AdminRespondToAuthChallengeCommand)).toEqual([
        {
          UserPoolId: 'eu-west-1_Pool1',
          ClientId: 'client123',
          ChallengeName: challengeName,
          Session: SESSION,
          ChallengeResponses: { ...responses, USERNAME, SECRET_HASH: EXPECTED_HASH },
        },
      ]);
    },
  );

  it(
    'sends no SECRET_HASH without a client secret, and ignores ' + 'a USERNAME or SECRET_HASH among the responses',
    async () => {
      cognito.on(AdminRespondToAuthChallengeCommand).resolves({ $metadata: {} });
      await cognitoServiceFor(client, options).respondToAuthChallenge('SOFTWARE_TOKEN_MFA', SESSION, 'ann', {
        SOFTWARE_TOKEN_MFA_CODE: '123456',
        USERNAME: 'mallory',
        SECRET_HASH: 'forged',
      });
      expect(inputs(AdminRespondToAuthChallengeCommand)[0].ChallengeResponses).toEqual({
        USERNAME: 'ann',
        SOFTWARE_TOKEN_MFA_CODE: '123456',
      });
    },
  );

  it(
    "sends the NEW_PASSWORD_REQUIRED attributes the module's " + '`attributes` allow-list permits, and no other',
    async () => {
      cognito.on(AdminRespondToAuthChallengeCommand).resolves({ $metadata: {} });
      const service = cognitoServiceFor(client, { ...options, attributes: { standard: ['name'], custom: ['team'] } });
      const allowed = {
        NEW_PASSWORD: 'New-passw0rd!',
        'userAttributes.name': 'Ann',
        'userAttributes.custom:team': 'blue',
      };
      await service.respondToAuthChallenge('NEW_PASSWORD_REQUIRED', SESSION, 'ann', allowed);
      expect(inputs(AdminRespondToAuthChallengeCommand)[0].ChallengeResponses).toEqual({ ...allowed, USERNAME: 'ann' });
      await expect(
        service.respondToAuthChallenge('NEW_PASSWORD_REQUIRED', SESSION, 'ann', {
          NEW_PASSWORD: 'New-passw0rd!',
          'userAttributes.email': 'eve@example.com',
        }),
      ).rejects.toMatchObject({
        code: 'UnexpectedChallengeResponse',
        message: 'responses.userAttributes.email is not an answer to NEW_PASSWORD_REQUIRED',
      });
      expect(cognito.calls()).toHaveLength(1);
    },
  );

  it("a refusal is the credential path's 401, tagged with the operation", async () => {
    cognito
      .on(AdminRespondToAuthChallengeCommand)
      .rejects(refusal('CodeMismatchException', 'Invalid code received for user'));
    const error = await cognitoServiceFor(client, options)
      .respondToAuthChallenge('SOFTWARE_TOKEN_MFA', SESSION, 'ann', { SOFTWARE_TOKEN_MFA_CODE: '000000' })
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'CodeMismatchException' });
    expect(operationOf(error)).toBe('respondToAuthChallenge');
    expect(toCognitoHttpError(error as Error)).toMatchObject({
      statusCode: 401,
      code: 'NotAuthorizedException',
      message: 'Invalid username, session or code',
    });
  });
});

describe('input checks, before any call', () => {
  const bad: Array<[string, (s: CognitoSyncService) => Promise<unknown>]> = [
    ['signOut without a token', (s) => s.signOut('')],
    ['signOut with a malformed token', (s) => s.signOut('not a token')],
    ['globalSignOut without a username', (s) => s.globalSignOut('')],
    [
      'an unknown challenge',
      (s) => s.respondToAuthChallenge('CUSTOM_CHALLENGE' as never, SESSION, 'ann', { ANSWER: 'x' }),
    ],
    ['a challenge without its code', (s) => s.respondToAuthChallenge('SOFTWARE_TOKEN_MFA', SESSION, 'ann', {})],
    [
      'a challenge without a session',
      (s) => s.respondToAuthChallenge('SMS_MFA', '', 'ann', { SMS_MFA_CODE: '123456' }),
    ],
    [
      'a challenge with a non-string response',
      (s) => s.respondToAuthChallenge('EMAIL_OTP', SESSION, 'ann', { EMAIL_OTP_CODE: 123456 as never }),
    ],
    [
      'a challenge with a DEVICE_KEY',
      (s) => s.respondToAuthChallenge('SMS_MFA', SESSION, 'ann', { SMS_MFA_CODE: '123456', DEVICE_KEY: 'd' }),
    ],
    [
      'a challenge with an attribute off the allow-list',
      (s) =>
        s.respondToAuthChallenge('NEW_PASSWORD_REQUIRED', SESSION, 'ann', {
          NEW_PASSWORD: 'New-passw0rd!',
          'userAttributes.custom:role': 'admin',
        }),
    ],
    [
      'a challenge with responses that are not an object',
      (s) => s.respondToAuthChallenge('EMAIL_OTP', SESSION, 'ann', null as never),
    ],
  ];
  it.each(bad)('refuses %s with a CognitoInputError, no call made', async (_label, call) => {
    await expect(call(cognitoServiceFor(client, withSecret))).rejects.toBeInstanceOf(CognitoInputError);
    expect(cognito.calls()).toHaveLength(0);
  });
});
