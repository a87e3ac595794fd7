import { AdminInitiateAuthCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoModuleOptions } from '../../src';
import { secretHash } from '../../src/internal/hashing';
import { adminClient, createDemoPool } from './cognito-local';
import { rememberSecrets } from './secrets';

/** A pool to test against, with one signed-in user. */
export interface CognitoTarget {
  options: CognitoModuleOptions;
  user: { username: string; accessToken: string; idToken: string; refreshToken: string };
}

/** `npm run test:aws` sets this: the end-to-end refresh suite then runs against a real pool. */
export const onAws = process.env.COGNITO_E2E_TARGET === 'aws';
const AWS_VARIABLES = [
  'COGNITO_REGION',
  'COGNITO_USER_POOL_ID',
  'COGNITO_CLIENT_ID',
  'COGNITO_TEST_USERNAME',
  'COGNITO_TEST_PASSWORD',
];
export const missingAwsVariables = AWS_VARIABLES.filter((name) => !process.env[name]);

/** A fresh pool in the suite's cognito-local, or the real pool that `npm run test:aws` names. */
export async function cognitoTarget(options: { secret?: boolean } = {}): Promise<CognitoTarget> {
  return onAws ? awsTarget() : localTarget(options);
}

/** A fresh pool, app client and signed-in user in the suite's cognito-local. */
export async function localTarget({ secret = false } = {}): Promise<CognitoTarget> {
  const endpoint = process.env.COGNITO_LOCAL_ENDPOINT;
  if (!endpoint)
    throw new Error('COGNITO_LOCAL_ENDPOINT is not set: run through jest.config.js (globalSetup starts cognito-local)');
  const pool = await createDemoPool(endpoint, { secret });
  rememberSecrets(pool.clientSecret, pool.accessToken, pool.idToken, pool.refreshToken);
  if (pool.clientSecret) rememberSecrets(secretHash(pool.clientSecret, pool.username, pool.clientId));
  const { region, userPoolId, clientId, clientSecret, credentials } = pool;
  return { options: { region, endpoint, userPoolId, clientId, clientSecret, credentials }, user: pool };
}

async function awsTarget(): Promise<CognitoTarget> {
  const env = process.env as Record<string, string>;
  const options: CognitoModuleOptions = {
    region: env.COGNITO_REGION,
    userPoolId: env.COGNITO_USER_POOL_ID,
    clientId: env.COGNITO_CLIENT_ID,
    clientSecret: env.COGNITO_CLIENT_SECRET || undefined,
  };
  const client = new CognitoIdentityProviderClient({ region: options.region });
  try {
    const parameters: Record<string, string> = {
      USERNAME: env.COGNITO_TEST_USERNAME,
      PASSWORD: env.COGNITO_TEST_PASSWORD,
    };
    const internalName = env.COGNITO_TEST_INTERNAL_USERNAME || env.COGNITO_TEST_USERNAME;
    if (options.clientSecret) parameters.SECRET_HASH = secretHash(options.clientSecret, internalName, options.clientId);
    const { AuthenticationResult: result } = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: options.userPoolId,
        ClientId: options.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: parameters,
      }),
    );
    const accessToken = result!.AccessToken!;
    const username = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).username as string;
    rememberSecrets(options.clientSecret, accessToken, result!.IdToken, result!.RefreshToken);
    return { options, user: { username, accessToken, idToken: result!.IdToken!, refreshToken: result!.RefreshToken! } };
  } finally {
    client.destroy();
  }
}

/** Signs a pool user in again, so that the new tokens carry the current groups. */
export async function signIn(target: CognitoTarget, email: string, password: string): Promise<string> {
  const cognito = adminClient(target.options.endpoint!);
  try {
    const { AuthenticationResult } = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: target.options.userPoolId,
        ClientId: target.options.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    rememberSecrets(
      AuthenticationResult!.AccessToken,
      AuthenticationResult!.IdToken,
      AuthenticationResult!.RefreshToken,
    );
    return AuthenticationResult!.AccessToken!;
  } finally {
    cognito.destroy();
  }
}
