import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoManagedLoginOptions, CognitoModuleOptions } from './cognito-module-options';
import { DEFAULT_MANAGED_LOGIN_SCOPES } from './resolve-managed-login';
import { resolveCognitoOptions } from './resolve-options';

const managedLogin: CognitoManagedLoginOptions = {
  domain: 'https://my-app.auth.eu-west-1.amazoncognito.com',
  redirectUri: 'https://app.example.com/auth/callback',
  logoutUri: 'https://app.example.com/',
};
const base: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12EXAMPLE',
  clientSecret: 'the-client-secret',
  session: { secret: 'a-session-secret-of-at-least-32-characters' },
  managedLogin,
};
const served = { authController: true };

const resolved = (change: Partial<CognitoModuleOptions> = {}, login: object = {}) =>
  resolveCognitoOptions({ ...base, ...change, managedLogin: { ...managedLogin, ...login } as never }, served)
    .managedLoginSettings;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoConfigurationError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('managedLogin', () => {
  it('is off by default, and needs nothing then', () => {
    const { managedLogin: _off, session: _noSession, ...options } = base;
    expect(resolveCognitoOptions(options).managedLoginSettings).toBeUndefined();
    expect(resolveCognitoOptions({ ...options, clientSecret: undefined }).managedLoginSettings).toBeUndefined();
  });

  it('applies the default scopes and no identity provider; keeps the URLs as given', () => {
    expect(resolved()).toEqual({
      domain: 'https://my-app.auth.eu-west-1.amazoncognito.com',
      redirectUri: 'https://app.example.com/auth/callback',
      logoutUri: 'https://app.example.com/',
      scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      identityProviders: [],
    });
    expect(DEFAULT_MANAGED_LOGIN_SCOPES).toContain('aws.cognito.signin.user.admin');
  });

  it('takes the domain as an origin (trailing slash dropped), and scopes and providers deduplicated', () => {
    const settings = resolved(
      {},
      {
        domain: 'https://Auth.Example.com/',
        scopes: ['openid', 'email', 'openid', 'orders/read'],
        identityProviders: ['Google', 'MyCompany-SAML', 'Google'],
      },
    );
    expect(settings).toMatchObject({
      domain: 'https://auth.example.com',
      scopes: ['openid', 'email', 'orders/read'],
      identityProviders: ['Google', 'MyCompany-SAML'],
    });
  });

  it('allows plain http on this machine only (an emulator)', () => {
    const local = { domain: 'http://127.0.0.1:9229', redirectUri: 'http://localhost:3000/auth/callback' };
    expect(resolved({}, { ...local, logoutUri: 'http://[::1]:3000/' })).toMatchObject({
      domain: 'http://127.0.0.1:9229',
    });
    expect(refusal(() => resolved({}, { domain: 'http://auth.example.com' }))).toContain(
      'managedLogin.domain must use https (plain http only on this machine',
    );
    expect(refusal(() => resolved({}, { redirectUri: 'http://app.example.com/cb' }))).toContain(
      'managedLogin.redirectUri must use https',
    );
    expect(refusal(() => resolved({}, { logoutUri: 'http://app.example.com/' }))).toContain(
      'managedLogin.logoutUri must use https',
    );
  });

  it('with revocationCheck, requires aws.cognito.signin.user.admin and says why', () => {
    const scopes = ['openid', 'email'];
    expect(resolved({}, { scopes })?.scopes).toEqual(scopes);
    const message = refusal(() => resolved({ revocationCheck: true }, { scopes }));
    expect(message).toContain('managedLogin.scopes must include "aws.cognito.signin.user.admin" with revocationCheck');
    expect(message).toContain('Cognito refuses GetUser');
    expect(resolved({ revocationCheck: { cacheSeconds: 5 } })?.scopes).toContain('aws.cognito.signin.user.admin');
    expect(resolved({ revocationCheck: false }, { scopes })?.scopes).toEqual(scopes);
  });

  it.each<[string, object, string]>([
    ['no domain', { domain: undefined }, 'managedLogin.domain is required'],
    ['a domain without a scheme', { domain: 'my-app.auth.eu-west-1.amazoncognito.com' }, 'must be an https URL'],
    ['a domain with a path', { domain: 'https://auth.example.com/oauth2' }, 'managedLogin.domain must be the domain'],
    ['a domain with a query', { domain: 'https://auth.example.com?x=1' }, 'managedLogin.domain must be the domain'],
    ['a domain with credentials', { domain: 'https://u:p@auth.example.com' }, 'without a path, query or credentials'],
    ['an ftp domain', { domain: 'ftp://auth.example.com' }, 'managedLogin.domain must be an https URL'],
    [
      'no redirectUri',
      { redirectUri: '' },
      'redirectUri is required (an absolute URL such as "https://app.example.com/auth/callback")',
    ],
    ['a relative redirectUri', { redirectUri: '/auth/callback' }, 'managedLogin.redirectUri must be an https URL'],
    ['a redirectUri with a fragment', { redirectUri: 'https://a.example.com/cb#x' }, 'must not have a fragment'],
    [
      'no logoutUri',
      { logoutUri: undefined },
      'logoutUri is required (an absolute URL such as "https://app.example.com/signed-out")',
    ],
    ['a logoutUri with credentials', { logoutUri: 'https://u:p@a.example.com/' }, 'must not carry credentials'],
    ['a logoutUri that is not a string', { logoutUri: 42 }, 'managedLogin.logoutUri must be an https URL'],
    ['scopes without openid', { scopes: ['email', 'profile'] }, 'managedLogin.scopes must include "openid"'],
    ['empty scopes', { scopes: [] }, 'managedLogin.scopes must include "openid"'],
    ['scopes as a string', { scopes: 'openid email' }, 'managedLogin.scopes must be a list'],
    ['a scope with a space', { scopes: ['openid email'] }, 'managedLogin.scopes has an invalid entry "openid email"'],
    ['a scope with a quote', { scopes: ['openid', 'a"b'] }, 'managedLogin.scopes has an invalid entry'],
    ['providers as a string', { identityProviders: 'Google' }, 'managedLogin.identityProviders must be a list'],
    ['an empty provider name', { identityProviders: [''] }, 'managedLogin.identityProviders has an invalid entry'],
    ['a provider name with a space', { identityProviders: ['My SAML'] }, 'has an invalid entry "My SAML"'],
    ['a provider of 33 characters', { identityProviders: ['x'.repeat(33)] }, 'has an invalid entry'],
    ['a misspelt key', { scope: ['openid'] }, 'managedLogin.scope is not an option: did you mean managedLogin.scopes?'],
  ])('refuses %s, naming the option', (_, change, message) => {
    expect(refusal(() => resolved({}, change))).toContain(message);
  });

  it('refuses a value that is not an object', () => {
    const options = { ...base, managedLogin: 'https://auth.example.com' as never };
    expect(refusal(() => resolveCognitoOptions(options, served))).toContain('managedLogin must be an object');
  });

  it('needs session: the tokens stay on the server', () => {
    const { session: _none, ...options } = base;
    expect(refusal(() => resolveCognitoOptions(options, served))).toContain('managedLogin needs session');
  });

  it('needs authController, whose path its endpoints join', () => {
    expect(refusal(() => resolveCognitoOptions(base))).toContain('managedLogin needs authController');
    expect(refusal(() => resolveCognitoOptions(base, { authController: false }))).toContain('authController');
  });

  it('needs clientSecret (a confidential app client)', () => {
    expect(refusal(() => resolved({ clientSecret: undefined }))).toContain('managedLogin needs clientSecret');
  });

  it('suggests managedLogin for a misspelt top-level key', () => {
    const options = { ...base, managedLogin: undefined, managedLgoin: managedLogin } as CognitoModuleOptions;
    expect(refusal(() => resolveCognitoOptions(options, served))).toContain('did you mean managedLogin?');
  });
});
