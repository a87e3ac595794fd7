// Starts and stops a real cognito-local (pinned 5.3.0) as a child process, and
// creates pools, app clients and users in it. Plain CommonJS so that the Jest
// suite, `npm start` and the NestJS 12 smoke run (plain node) share it.
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} = require('@aws-sdk/client-cognito-identity-provider');

const REGION = 'local';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const DEMO_PASSWORD = 'Demo-passw0rd!';

/** A port that was free a moment ago (cognito-local needs it before it starts: it is also the token issuer's). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts cognito-local in a fresh temporary folder on a free port.
 * @returns {Promise<{ endpoint: string, port: number, stop: () => Promise<void> }>}
 */
async function startCognitoLocal() {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  const port = await freePort();
  const bin = require.resolve('cognito-local/lib/bin/start.js');
  const child = spawn(process.execPath, [bin], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Cognito Local running on')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`cognito-local exited with ${code} before it was ready:\n${output}`)));
  });
  child.stdout.resume();
  child.stderr.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An SDK client for the emulator (no retries: it answers unsupported calls with 500). */
function adminClient(endpoint) {
  return new CognitoIdentityProviderClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
}

/**
 * A user pool, an app client (with a secret when asked) and a confirmed user with a
 * permanent password, signed in. With `usernameAttributes: ['email']` (the default)
 * the pool signs in by email and the internal username is a UUID, as on AWS.
 */
async function createDemoPool(endpoint, { secret = false, usernameAttributes = ['email'], email = 'demo@example.com' } = {}) {
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
        UserPoolId: UserPool.Id,
        ClientName: 'app',
        GenerateSecret: secret,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const pool = {
      endpoint,
      region: REGION,
      credentials: CREDENTIALS,
      userPoolId: UserPool.Id,
      clientId: UserPoolClient.ClientId,
      clientSecret: UserPoolClient.ClientSecret,
    };
    return { ...pool, ...(await createSignedInUser(pool, email)) };
  } finally {
    cognito.destroy();
  }
}

/** Creates a confirmed user in `pool` and signs it in; returns its internal username and tokens. */
async function createSignedInUser(pool, email) {
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
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: User.Username, Password: DEMO_PASSWORD, Permanent: true }),
    );
    const { createHmac } = require('node:crypto');
    const authParameters = { USERNAME: email, PASSWORD: DEMO_PASSWORD };
    if (pool.clientSecret) {
      authParameters.SECRET_HASH = createHmac('sha256', pool.clientSecret)
        .update(User.Username + pool.clientId)
        .digest('base64');
    }
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
      username: User.Username,
      accessToken: AuthenticationResult.AccessToken,
      idToken: AuthenticationResult.IdToken,
      refreshToken: AuthenticationResult.RefreshToken,
    };
  } finally {
    cognito.destroy();
  }
}

module.exports = { startCognitoLocal, createDemoPool, createSignedInUser, adminClient, freePort, REGION, CREDENTIALS };
