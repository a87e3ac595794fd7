import { cognitoOptionsFromConfig } from './options-from-config';
import { validateCognitoOptions } from './resolve-options';

const environment = (variables: Record<string, string>) => {
  const values: Record<string, string> = {
    COGNITO_REGION: 'eu-west-1',
    COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123',
    COGNITO_CLIENT_ID: 'client123',
    ...variables,
  };
  return { get: <T>(key: string) => values[key] as T };
};

describe('cognitoOptionsFromConfig', () => {
  it('reads numbers from their strings', () => {
    const options = validateCognitoOptions(
      cognitoOptionsFromConfig(environment({ COGNITO_TIMEOUT_MS: '2500', COGNITO_MAX_ATTEMPTS: ' 2 ' })),
    );
    expect(options).toMatchObject({ timeoutMs: 2500, maxAttempts: 2 });
  });

  it.each([
    ['COGNITO_TIMEOUT_MS', 'abc', 'timeoutMs must be a whole number from 1 to 120000, got "abc"'],
    ['COGNITO_TIMEOUT_MS', '5s', 'timeoutMs must be a whole number from 1 to 120000, got "5s"'],
    ['COGNITO_TIMEOUT_MS', '1.5', 'timeoutMs must be a whole number from 1 to 120000, got 1.5'],
    ['COGNITO_MAX_ATTEMPTS', 'three', 'maxAttempts must be a whole number from 1 to 10, got "three"'],
    ['COGNITO_MAX_ATTEMPTS', ' ', 'maxAttempts must be a whole number from 1 to 10, got " "'],
  ])('refuses %s=%p quoting what was given', (name, value, message) => {
    expect(() => validateCognitoOptions(cognitoOptionsFromConfig(environment({ [name]: value })))).toThrow(message);
  });
});
