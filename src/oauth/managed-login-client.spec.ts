import type { CustomFetchOptions } from 'openid-client';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoModuleOptions } from '../options/cognito-module-options';
import { resolveCognitoOptions } from '../options/resolve-options';
import { managedLoginConfiguration } from './managed-login-client';
import { loadOpenIdClient } from './openid-client-loader';

// The real openid-client (compiled to CommonJS by this repository's Jest transform); requests go to
// a stand-in fetch that records them, so no server is needed.
const aws: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: 'client123',
  // Alphanumeric, as Cognito's are: openid-client form-encodes id and secret before Basic (RFC 6749 §2.3.1).
  clientSecret: 'theclientsecret0123',
  session: { secret: 'a-session-secret-of-at-least-32-characters' },
  managedLogin: {
    domain: 'https://auth.example.com',
    redirectUri: 'https://app.example.com/auth/callback',
    logoutUri: 'https://app.example.com/',
  },
};
const emulator: CognitoModuleOptions = {
  ...aws,
  region: 'local',
  userPoolId: 'local_Pool1',
  endpoint: 'http://127.0.0.1:40123',
  managedLogin: { ...aws.managedLogin!, domain: 'http://127.0.0.1:40123' },
};
const resolve = (options: CognitoModuleOptions) => resolveCognitoOptions(options, { authController: true });

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: URLSearchParams;
}

/** Revokes a refresh token through `options`' configuration, answering 200 as Cognito does; what was sent. */
async function revocationSent(options: CognitoModuleOptions): Promise<Sent> {
  const client = await loadOpenIdClient();
  const config = managedLoginConfiguration(client, resolve(options));
  const sent: Sent[] = [];
  config[client.customFetch] = (url: string, init: CustomFetchOptions) => {
    sent.push({ url, headers: init.headers, body: new URLSearchParams(String(init.body)) });
    return Promise.resolve(new Response(null, { status: 200 }));
  };
  await client.tokenRevocation(config, 'a-refresh-token');
  expect(sent).toHaveLength(1);
  return sent[0];
}

describe('managedLoginConfiguration', () => {
  it('describes the hand-built server and the app client, with no request', async () => {
    const client = await loadOpenIdClient();
    const config = managedLoginConfiguration(client, resolve(aws));
    expect(config.serverMetadata()).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      token_endpoint: 'https://auth.example.com/oauth2/token',
    });
    expect(config.clientMetadata().client_id).toBe('client123');
  });

  it('authenticates by HTTP Basic with the secret, and sends client_id in the body too', async () => {
    const { url, headers, body } = await revocationSent(aws);
    expect(url).toBe('https://auth.example.com/oauth2/revoke');
    const basic = Buffer.from('client123:theclientsecret0123').toString('base64');
    expect(headers.authorization).toBe(`Basic ${basic}`);
    expect(body.get('client_id')).toBe('client123');
    expect(body.get('token')).toBe('a-refresh-token');
    expect(body.has('client_secret')).toBe(false);
  });

  it('allows plain http to an emulator on this machine', async () => {
    expect((await revocationSent(emulator)).url).toBe('http://127.0.0.1:40123/oauth2/revoke');
  });

  it('refuses plain http for an https domain with keys on a remote http host', () => {
    const remoteKeys = { ...aws, jwt: { jwksUri: 'http://keys.example.com/jwks.json' } };
    return loadOpenIdClient().then((client) => {
      expect(() => managedLoginConfiguration(client, resolve(remoteKeys))).toThrow(CognitoConfigurationError);
      expect(() => managedLoginConfiguration(client, resolve(remoteKeys))).toThrow(
        'managedLogin calls "http://keys.example.com/jwks.json" over plain http on another machine',
      );
    });
  });
});
