import { CognitoConfigurationError } from './cognito.errors';
import { type CognitoModuleOptions, validateCognitoOptions } from './cognito.options';

const valid: CognitoModuleOptions = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId: '1h57kf5cpq17m0eml12EXAMPLE' };

describe('validateCognitoOptions', () => {
  it('accepts valid AWS options and emulator options', () => {
    expect(validateCognitoOptions(valid)).toBe(valid);
    const local = { region: 'local', userPoolId: 'local_5W35r53T', clientId: 'aatcb5xn9h2dbn3sj', endpoint: 'http://127.0.0.1:9229' };
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
  ])('refuses %s with a message naming the option', (_case, change, message) => {
    const options = change === undefined ? undefined : ({ ...valid, ...change } as CognitoModuleOptions);
    expect(() => validateCognitoOptions(options)).toThrow(CognitoConfigurationError);
    expect(() => validateCognitoOptions(options)).toThrow(message);
  });

  it('never echoes the client secret in its messages', () => {
    const secret = 'super-secret-value';
    expect(() => validateCognitoOptions({ ...valid, clientSecret: secret, clientId: '' })).toThrow(/^((?!super-secret).)*$/);
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
    ['a deadline as a string', { timeoutMs: '5000' as never }, 'timeoutMs must be a whole number from 1 to 120000, got "5000"'],
    ['NaN (a malformed COGNITO_TIMEOUT_MS)', { timeoutMs: Number('5s') }, 'timeoutMs must be a whole number'],
    ['zero attempts', { maxAttempts: 0 }, 'maxAttempts must be a whole number from 1 to 10, got 0'],
    ['too many attempts', { maxAttempts: 11 }, 'maxAttempts must be a whole number from 1 to 10'],
  ])('refuses %s', (_name, patch, message) => {
    expect(() => validateCognitoOptions({ ...valid, ...patch })).toThrow(message);
  });
});
