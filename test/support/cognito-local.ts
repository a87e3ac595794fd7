// cognito-local for the suite and `npm start`: the library's own launcher
// (src/testing, what `startCognitoLocal()` of nestjs-cognito-sync/testing runs), and
// the pools, app clients and signed-in users the specs and the example app make in it.
import { Agent } from 'node:http';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type UsernameAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/internal/hashing';
import { freePort, spawnCognitoLocal } from '../../src/testing/cognito-local.process';

export { freePort };

export const REGION = 'local';
export const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const DEMO_PASSWORD = 'Demo-passw0rd!';

export interface RunningCognitoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DemoPool {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
}

export interface SignedInUser {
  email: string;
  password: string;
  /** The internal username (a UUID in pools that sign in by email). */
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** Starts cognito-local in a fresh temporary folder on a free port, with its own defaults (pools sign in by email). */
export async function startCognitoLocal(): Promise<RunningCognitoLocal> {
  const emulator = await spawnCognitoLocal({ usernameAttributes: ['email'], startTimeoutMs: 30_000 });
  return { endpoint: emulator.endpoint, port: Number(new URL(emulator.endpoint).port), stop: emulator.stop };
}

/** An SDK client for the emulator (no retries: it answers unsupported calls with 500). */
export function adminClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
    // A fresh connection per call: see src/testing/cognito-local.ts (a kept-alive one can meet the idle timeout).
    requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
  });
}

/**
 * A user pool, an app client (with a secret when asked) and a confirmed user with a
 * permanent password, signed in. With `usernameAttributes: ['email']` (the default)
 * the pool signs in by email and the internal username is a UUID, as on AWS.
 */
export async function createDemoPool(
  endpoint: string,
  {
    secret = false,
    usernameAttributes = ['email'],
    email = 'demo@example.com',
  }: { secret?: boolean; usernameAttributes?: UsernameAttributeType[]; email?: string } = {},
): Promise<DemoPool & SignedInUser> {
  const cognito = adminClient(endpoint);
  try {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: `pool-${Date.now()}`,
        UsernameAttributes: usernameAttributes,
        Schema: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }],
      }),
    );
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id,
        ClientName: 'app',
        GenerateSecret: secret,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const pool: DemoPool = {
      endpoint,
      region: REGION,
      credentials: CREDENTIALS,
      userPoolId: UserPool!.Id!,
      clientId: UserPoolClient!.ClientId!,
      clientSecret: UserPoolClient!.ClientSecret,
    };
    return { ...pool, ...(await createSignedInUser(pool, email)) };
  } finally {
    cognito.destroy();
  }
}

/** Creates a confirmed user in `pool` and signs it in; returns its internal username and tokens. */
export async function createSignedInUser(pool: DemoPool, email: string): Promise<SignedInUser> {
  const cognito = adminClient(pool.endpoint);
  try {
    const { User } = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const username = User!.Username!;
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.userPoolId,
        Username: username,
        Password: DEMO_PASSWORD,
        Permanent: true,
      }),
    );
    const authParameters: Record<string, string> = { USERNAME: email, PASSWORD: DEMO_PASSWORD };
    if (pool.clientSecret) authParameters.SECRET_HASH = secretHash(pool.clientSecret, username, pool.clientId);
    const { AuthenticationResult } = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId,
        ClientId: pool.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: authParameters,
      }),
    );
    return {
      email,
      password: DEMO_PASSWORD,
      username,
      accessToken: AuthenticationResult!.AccessToken!,
      idToken: AuthenticationResult!.IdToken!,
      refreshToken: AuthenticationResult!.RefreshToken!,
    };
  } finally {
    cognito.destroy();
  }
}
