import { resolveCognitoOptions } from '../options/resolve-options';
import type { CognitoModuleOptions } from '../options/cognito-module-options';
import { cognitoLogoutUrl, cognitoOAuthServer } from './cognito-oauth-server';

const aws: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12EXAMPLE',
  clientSecret: 'the-client-secret',
  session: { secret: 'a-session-secret-of-at-least-32-characters' },
  managedLogin: {
    domain: 'https://my-app.auth.eu-west-1.amazoncognito.com/',
    redirectUri: 'https://app.example.com/auth/callback',
    logoutUri: 'https://app.example.com/signed-out?from=cognito',
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

describe('cognitoOAuthServer', () => {
  it("puts the endpoints on the domain and the issuer and keys on the AWS pool's", () => {
    const options = resolve(aws);
    expect(cognitoOAuthServer(options, options.managedLoginSettings!)).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      authorization_endpoint: 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
      token_endpoint: 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/token',
      revocation_endpoint: 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/revoke',
      userinfo_endpoint: 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/userInfo',
      jwks_uri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  });

  it("takes an emulator's issuer (the endpoint's) and the guard's own issuer and JWKS when set", () => {
    const local = resolve(emulator);
    expect(cognitoOAuthServer(local, local.managedLoginSettings!)).toMatchObject({
      issuer: 'http://127.0.0.1:40123/local_Pool1',
      token_endpoint: 'http://127.0.0.1:40123/oauth2/token',
      jwks_uri: 'http://127.0.0.1:40123/local_Pool1/.well-known/jwks.json',
    });
    const own = resolve({
      ...aws,
      jwt: { issuer: 'https://issuer.example.com/p', jwksUri: 'https://keys.example.com/k' },
    });
    expect(cognitoOAuthServer(own, own.managedLoginSettings!)).toMatchObject({
      issuer: 'https://issuer.example.com/p',
      jwks_uri: 'https://keys.example.com/k',
    });
  });

  it('names no OIDC end-session endpoint and no iss response parameter (Cognito has neither)', () => {
    const options = resolve(aws);
    const server = cognitoOAuthServer(options, options.managedLoginSettings!);
    expect(server.end_session_endpoint).toBeUndefined();
    expect(server.authorization_response_iss_parameter_supported).toBeUndefined();
  });
});

describe('cognitoLogoutUrl', () => {
  it("is Cognito's /logout with client_id and logout_uri, encoded, and no token", () => {
    const options = resolve(aws);
    const url = new URL(cognitoLogoutUrl(options.managedLoginSettings!, options.clientId));
    expect(url.origin + url.pathname).toBe('https://my-app.auth.eu-west-1.amazoncognito.com/logout');
    expect([...url.searchParams]).toEqual([
      ['client_id', '1h57kf5cpq17m0eml12EXAMPLE'],
      ['logout_uri', 'https://app.example.com/signed-out?from=cognito'],
    ]);
    expect(url.search).toContain('logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out%3Ffrom%3Dcognito');
  });
});
