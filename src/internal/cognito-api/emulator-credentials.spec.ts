import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@nestjs/common';
import { emulatorCredentialsFallback, isCredentialsError, isLoopbackEndpoint } from './emulator-credentials';

const noCredentials = () =>
  Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

describe('isLoopbackEndpoint', () => {
  it.each([
    'http://127.0.0.1:9229',
    'http://localhost:9229/',
    'https://localhost',
    'http://[::1]:9229',
    'http://127.1.2.3:80',
    'http://cognito.localhost:9229',
  ])('takes %s for an emulator on this machine', (endpoint) => expect(isLoopbackEndpoint(endpoint)).toBe(true));

  it.each([
    undefined,
    'https://cognito-idp.eu-west-1.amazonaws.com',
    'http://cognito-local:9229',
    'http://10.0.0.5:9229',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'not a url',
  ])('does not take %s for one', (endpoint) => expect(isLoopbackEndpoint(endpoint)).toBe(false));
});

describe('isCredentialsError', () => {
  it("recognises the SDK's credential errors, by name or message, and nothing else", () => {
    expect(isCredentialsError(noCredentials())).toBe(true);
    expect(
      isCredentialsError(
        Object.assign(new Error('Profile x could not be found'), { name: 'CredentialsProviderError' }),
      ),
    ).toBe(true);
    expect(isCredentialsError(new Error('Could not load credentials from any providers'))).toBe(true);
    expect(isCredentialsError(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))).toBe(false);
    expect(isCredentialsError(undefined)).toBe(false);
  });
});

describe('emulatorCredentialsFallback (on a real SDK client, its credential chain replaced)', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  const clientWithChain = (chain: () => Promise<unknown>) =>
    new CognitoIdentityProviderClient({
      region: 'local',
      endpoint: 'http://127.0.0.1:9229',
      credentialDefaultProvider: () => chain as never,
      extensions: [emulatorCredentialsFallback('http://127.0.0.1:9229')],
    });

  it('signs with placeholders when the chain finds no credentials, and says so once', async () => {
    const client = clientWithChain(() => Promise.reject(noCredentials()));
    await expect(client.config.credentials()).resolves.toMatchObject({
      accessKeyId: 'local-emulator',
      secretAccessKey: 'local-emulator',
    });
    await client.config.credentials();
    expect(Logger.prototype.log).toHaveBeenCalledTimes(1);
    expect(Logger.prototype.log).toHaveBeenCalledWith(
      expect.stringContaining('No AWS credentials found: signing requests to the emulator at http://127.0.0.1:9229'),
    );
  });

  it('uses the credentials the environment has', async () => {
    const client = clientWithChain(() => Promise.resolve({ accessKeyId: 'AKIAREAL', secretAccessKey: 'real-secret' }));
    await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: 'AKIAREAL' });
    expect(Logger.prototype.log).not.toHaveBeenCalled();
  });

  it('passes on any other failure of the chain', async () => {
    const client = clientWithChain(() => Promise.reject(new Error('IMDS exploded')));
    await expect(client.config.credentials()).rejects.toThrow('IMDS exploded');
  });
});
