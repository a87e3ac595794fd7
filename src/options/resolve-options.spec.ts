import { CognitoConfigurationError } from '../errors/cognito.errors';
import { resolveJwtSettings, validateCognitoOptions } from './resolve-options';
import type { CognitoModuleOptions } from './cognito-module-options';

const valid: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12EXAMPLE',
};

describe('validateCognitoOptions', () => {
  it('accepts valid AWS options and emulator options', () => {
    expect(validateCognitoOptions(valid)).toBe(valid);
    const local = {
      region: 'local',
      userPoolId: 'local_5W35r53T',
      clientId: 'aatcb5xn9h2dbn3sj',
      endpoint: 'http://127.0.0.1:9229',
    };
    expect(validateCognitoOptions(local)).toBe(local);
  });

  it.each<[string, Partial<CognitoModuleOptions> | undefined, string]>([
    ['no options', undefined, 'options are required'],
    ['no region', { region: undefined }, 'region is required'],
    ['a malformed region', { region: 'Europe' }, 'region is malformed'],
    ['no userPoolId', { userPoolId: undefined }, 'userPoolId is required'],
    ['an empty userPoolId', { userPoolId: '' }, 'userPoolId is required'],
    ['a malformed userPoolId', { userPoolId: 'eu-west-1' }, 'userPoolId is malformed'],
    ['a pool of another region', { userPoolId: 'us-east-1_AbCdEf123' }, 'is not a pool of region "eu-west-1"'],
    ['no clientId', { clientId: undefined }, 'clientId is required'],
    ['a malformed clientId', { clientId: 'has spaces' }, 'clientId is malformed'],
    ['a non-string clientId', { clientId: 42 as unknown as string }, 'clientId is malformed'],
    ['an empty clientSecret', { clientSecret: '' }, 'clientSecret must be a non-empty string'],
    ['an endpoint that is not a URL', { endpoint: 'localhost:9229' }, 'endpoint must be an http(s) URL'],
    [
      'an unknown refreshFlow',
      { refreshFlow: 'implicit' as never },
      'refreshFlow must be "adminInitiateAuth" or "getTokensFromRefreshToken"',
    ],
    ['attributes that are not an object', { attributes: ['email'] as never }, 'attributes must be an object'],
    ['an unknown attributes list', { attributes: { extra: ['email'] } as never }, 'attributes.extra is not an option'],
    [
      'an attributes list that is not an array',
      { attributes: { standard: 'email' as never } },
      'attributes.standard must be an array',
    ],
    [
      'a standard attribute that Cognito does not have',
      { attributes: { standard: ['emial'] } },
      'attributes.standard has an invalid name "emial"',
    ],
    [
      'a custom attribute name over 20 characters',
      { attributes: { custom: ['x'.repeat(21)] } },
      'attributes.custom has an invalid name',
    ],
  ])('refuses %s with a message naming the option', (_case, change, message) => {
    const options = change === undefined ? undefined : ({ ...valid, ...change } as CognitoModuleOptions);
    expect(() => validateCognitoOptions(options)).toThrow(CognitoConfigurationError);
    expect(() => validateCognitoOptions(options)).toThrow(message);
  });

  it('accepts an attribute allow-list, custom names with or without custom:', () => {
    const options = { ...valid, attributes: { standard: ['email', 'name'], custom: ['plan', 'custom:tier'] } };
    expect(validateCognitoOptions(options)).toBe(options);
  });

  it('never echoes the client secret in its messages', () => {
    const secret = 'super-secret-value';
    expect(() => validateCognitoOptions({ ...valid, clientSecret: secret, clientId: '' })).toThrow(
      /^((?!super-secret).)*$/,
    );
  });
});

describe('resolveJwtSettings', () => {
  const local = { ...valid, region: 'local', userPoolId: 'local_5W35r53T', endpoint: 'http://127.0.0.1:9229/' };

  it("leaves the issuer to aws-jwt-verify on AWS (both of Cognito's issuer formats), access tokens by default", () => {
    expect(resolveJwtSettings(valid)).toEqual({
      tokenUse: 'access',
      clientIds: ['1h57kf5cpq17m0eml12EXAMPLE'],
      issuer: undefined,
      jwksUri: undefined,
      cookie: undefined,
      revocationCacheMs: undefined,
      warmUp: true,
      jwks: undefined,
    });
  });

  it('derives <endpoint>/<userPoolId> as the issuer of an emulator, and its JWKS beside it', () => {
    expect(resolveJwtSettings(local)).toMatchObject({
      issuer: 'http://127.0.0.1:9229/local_5W35r53T',
      jwksUri: 'http://127.0.0.1:9229/local_5W35r53T/.well-known/jwks.json',
    });
  });

  it('takes an explicit issuer and jwksUri, and derives the AWS issuer for a jwksUri alone', () => {
    expect(resolveJwtSettings({ ...local, jwt: { issuer: 'http://a/b', jwksUri: 'http://c/keys' } })).toMatchObject({
      issuer: 'http://a/b',
      jwksUri: 'http://c/keys',
    });
    expect(resolveJwtSettings({ ...valid, jwt: { jwksUri: 'https://keys.example/jwks.json' } }).issuer).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
    );
  });

  it(
    "accepts the tokens of jwt.clientId's app clients instead of clientId's (one, or a list, duplicates " + 'dropped)',
    () => {
      expect(resolveJwtSettings({ ...valid, jwt: { clientId: 'machine1client' } }).clientIds).toEqual([
        'machine1client',
      ]);
      expect(
        resolveJwtSettings({ ...valid, jwt: { clientId: [valid.clientId, 'machine1client', valid.clientId] } })
          .clientIds,
      ).toEqual([valid.clientId, 'machine1client']);
    },
  );

  it('turns revocationCheck into a cache period (30 s by default)', () => {
    expect(resolveJwtSettings({ ...valid, revocationCheck: true }).revocationCacheMs).toBe(30_000);
    expect(resolveJwtSettings({ ...valid, revocationCheck: { cacheSeconds: 0 } }).revocationCacheMs).toBe(0);
  });

  it.each<[string, Partial<CognitoModuleOptions>, string]>([
    ['an unknown token use', { jwt: { tokenUse: 'refresh' as 'id' } }, 'jwt.tokenUse must be "access" or "id"'],
    ['an issuer that is not a URL', { jwt: { issuer: 'cognito' } }, 'jwt.issuer must be an http(s) URL'],
    ['a jwksUri that is not a URL', { jwt: { jwksUri: 'file:///keys' } }, 'jwt.jwksUri must be an http(s) URL'],
    ['a bad cookie name', { jwt: { cookie: 'a b' } }, 'jwt.cookie must be a cookie name'],
    [
      'an empty list of app clients',
      { jwt: { clientId: [] } },
      'jwt.clientId must be an app client id or a non-empty list',
    ],
    ['an empty app client id', { jwt: { clientId: '' } }, 'jwt.clientId has a malformed app client id: ""'],
    [
      'a malformed app client id in the list',
      { jwt: { clientId: ['good1', 'has spaces'] } },
      'jwt.clientId has a malformed app client id: "has spaces"',
    ],
    [
      'an app client id that is not a string',
      { jwt: { clientId: [42 as unknown as string] } },
      'jwt.clientId has a malformed app client id: 42',
    ],
    [
      'a null app client id',
      { jwt: { clientId: null as unknown as string } },
      'jwt.clientId has a malformed app client id: null',
    ],
    [
      'a revocation check on ID tokens',
      { jwt: { tokenUse: 'id' }, revocationCheck: true },
      'revocationCheck needs access tokens',
    ],
    ['a negative cache period', { revocationCheck: { cacheSeconds: -1 } }, 'cacheSeconds must be a number'],
  ])('refuses %s, naming the option', (_case, change, message) => {
    expect(() => resolveJwtSettings({ ...valid, ...change })).toThrow(CognitoConfigurationError);
    expect(() => resolveJwtSettings({ ...valid, ...change })).toThrow(message);
  });
});

describe('validateCognitoOptions: timeoutMs and maxAttempts', () => {
  it('accepts whole numbers in range', () => {
    const options = { ...valid, timeoutMs: 2500, maxAttempts: 1 };
    expect(validateCognitoOptions(options)).toBe(options);
  });

  it.each<[string, Partial<CognitoModuleOptions>, string]>([
    ['a zero deadline', { timeoutMs: 0 }, 'timeoutMs must be a whole number from 1 to 120000, got 0'],
    ['a fractional deadline', { timeoutMs: 1.5 }, 'timeoutMs must be a whole number'],
    [
      'a deadline as a string',
      { timeoutMs: '5000' as never },
      'timeoutMs must be a whole number from 1 to 120000, got "5000"',
    ],
    ['NaN', { timeoutMs: Number('5s') }, 'timeoutMs must be a whole number from 1 to 120000, got NaN'],
    ['Infinity', { maxAttempts: Infinity }, 'maxAttempts must be a whole number from 1 to 10, got Infinity'],
    ['zero attempts', { maxAttempts: 0 }, 'maxAttempts must be a whole number from 1 to 10, got 0'],
    ['too many attempts', { maxAttempts: 11 }, 'maxAttempts must be a whole number from 1 to 10'],
  ])('refuses %s', (_name, patch, message) => {
    expect(() => validateCognitoOptions({ ...valid, ...patch })).toThrow(message);
  });
});
