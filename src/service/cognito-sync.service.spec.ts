// Exact requests at the SDK boundary (aws-sdk-client-mock): no emulator involved.
import { cognitoServiceFor } from '../../test/support/service';
import {
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoInputError, operationOf } from '../errors/cognito.errors';
import type { CognitoModuleOptions } from '../options/cognito-module-options';

const options: CognitoModuleOptions = { region: 'eu-west-1', userPoolId: 'eu-west-1_Pool1', clientId: 'client123' };
const USERNAME = '9f1c2d3e-0000-4000-8000-1234567890ab';
// printf '<USERNAME>client123' | openssl dgst -sha256 -hmac 'the-client-secret' -binary | base64
const EXPECTED_HASH = 'eqWiYzw6z0GhphwymsomlPVz54io8yDNePmESofSOco=';

describe('CognitoSyncService.refreshTokens (at the SDK boundary)', () => {
  const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
  const cognito = mockClient(client);
  const output = { $metadata: {}, ChallengeParameters: {}, AuthenticationResult: { AccessToken: 'a', IdToken: 'i' } };
  beforeEach(() => {
    cognito.reset();
    cognito.on(AdminInitiateAuthCommand).resolves(output);
  });

  it(
    'sends AdminInitiateAuth REFRESH_TOKEN_AUTH for the configured pool and client, and returns the whole ' +
      'response',
    async () => {
      const service = cognitoServiceFor(client, options);
      await expect(service.refreshTokens('r.e.f', { clientMetadata: { app: 'web' } })).resolves.toEqual(output);
      expect(cognito.commandCalls(AdminInitiateAuthCommand).map((call) => call.args[0].input)).toEqual([
        {
          UserPoolId: 'eu-west-1_Pool1',
          ClientId: 'client123',
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: 'r.e.f' },
          ClientMetadata: { app: 'web' },
        },
      ]);
    },
  );

  it('adds SECRET_HASH over the given username and DEVICE_KEY when the client has a secret', async () => {
    const service = cognitoServiceFor(client, { ...options, clientSecret: 'the-client-secret' });
    await service.refreshTokens('r.e.f', { username: USERNAME, deviceKey: 'eu-west-1_dev' });
    expect(cognito.commandCalls(AdminInitiateAuthCommand)[0].args[0].input.AuthParameters).toEqual({
      REFRESH_TOKEN: 'r.e.f',
      SECRET_HASH: EXPECTED_HASH,
      DEVICE_KEY: 'eu-west-1_dev',
    });
  });

  it('refuses a secret client without a username before any call', async () => {
    const service = cognitoServiceFor(client, { ...options, clientSecret: 'the-client-secret' });
    await expect(service.refreshTokens('r.e.f')).rejects.toMatchObject({ code: 'UsernameRequired', statusCode: 400 });
    expect(cognito.calls()).toHaveLength(0);
  });

  it.each([undefined, null, '', 42, {}, 'x'.repeat(8193), 'has space', 'ünï.cödé'])(
    'refuses %p as a refresh token before any call',
    async (token) => {
      const service = cognitoServiceFor(client, options);
      await expect(service.refreshTokens(token as string)).rejects.toBeInstanceOf(CognitoInputError);
      expect(cognito.calls()).toHaveLength(0);
    },
  );

  it("passes Cognito's error on unchanged, and logs a line without the token", async () => {
    const error = new NotAuthorizedException({ message: 'Invalid Refresh Token.', $metadata: { requestId: 'req-1' } });
    cognito.on(AdminInitiateAuthCommand).rejects(error);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const service = cognitoServiceFor(client, options);
    const token = 'secret.refresh.token';
    const thrown = await service.refreshTokens(token).catch((e: unknown) => e);
    expect(thrown).toBe(error);
    expect(thrown).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    expect(operationOf(thrown)).toBe('refreshTokens');
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^AdminInitiateAuth failed: NotAuthorizedException requestId=req-1 token=[0-9a-f]{8}$/),
    );
    expect(String(warn.mock.calls[0][0])).not.toContain(token);
    warn.mockRestore();
  });
});
