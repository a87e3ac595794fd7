import { createSign, generateKeyPair, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { CognitoModuleOptions } from '../options/cognito-module-options';
import {
  accessTokenClaims,
  clientCredentialsClaims,
  type CognitoTestClaims,
  type CognitoTestClientClaims,
  encodeJwt,
  idTokenClaims,
  type TokenContext,
} from './test-claims';

/** Options of {@link createCognitoTestKit}. */
export interface CognitoTestKitOptions {
  /** The pool id in the module options and the tokens' issuer; default `local_TestKit`. */
  userPoolId?: string;
  /** The app client the guard accepts; default a random 26-character id, as Cognito's. */
  clientId?: string;
}

/** Test tokens that the real {@link CognitoAuthGuard} accepts, and the module options that make it trust them. */
export interface CognitoTestKit {
  /**
   * Spread into `CognitoModule.forRoot({ ...kit.moduleOptions, authGuard: true })`: the
   * kit's pool and app client, its issuer and JWKS (`jwt`; keep them when adding
   * `jwt` options: `jwt: { ...kit.moduleOptions.jwt, tokenUse: 'id' }`), and an
   * `endpoint` that answers every Cognito call with `UnsupportedOperationException`
   * (the kit mints tokens only: use `startCognitoLocal` or `FakeCognitoSyncService`).
   */
  readonly moduleOptions: CognitoModuleOptions;
  /** A user's access token, as Cognito's sign-in returns it. */
  accessToken(claims?: CognitoTestClaims): string;
  /** A user's ID token (`aud`, `cognito:username`, `email`, ...). */
  idToken(claims?: CognitoTestClaims): string;
  /** An access token of the client-credentials grant: `client_id`, `scope`, no `username`. */
  clientCredentialsToken(scope: string | readonly string[], claims?: CognitoTestClientClaims): string;
  /** Stops serving the JWKS (for `afterAll`). */
  close(): Promise<void>;
}

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]+$/;

/**
 * A test key pair and its JWKS, served over http from 127.0.0.1 on a free port,
 * and helpers that sign Cognito-shaped RS256 tokens with it. No emulator, no AWS
 * account, no mock: the app's guard verifies real signatures. Framework-agnostic:
 * call `close()` when done (`afterAll`).
 */
export async function createCognitoTestKit(options: CognitoTestKitOptions = {}): Promise<CognitoTestKit> {
  const { userPoolId = 'local_TestKit', clientId = randomClientId() } = options ?? {};
  if (typeof userPoolId !== 'string' || !USER_POOL_ID.test(userPoolId)) {
    throw new TypeError(
      `createCognitoTestKit: userPoolId is malformed: ${JSON.stringify(userPoolId)} (e.g. "local_TestKit")`,
    );
  }
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    throw new TypeError(
      `createCognitoTestKit: clientId is malformed: ${JSON.stringify(clientId)} (letters and digits)`,
    );
  }
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const kid = `test-kit-${randomBytes(8).toString('hex')}`;
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
  const jwksPath = `/${userPoolId}/.well-known/jwks.json`;
  const server = createServer((req, res) => answer(req, res, jwksPath, jwks));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  // A forgotten close() must not keep the test run alive.
  server.unref();
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${endpoint}/${userPoolId}`;
  const context: TokenContext = { issuer, clientId };
  const sign = (payload: object) => encodeJwt({ kid, alg: 'RS256' }, payload, (input) => rs256(privateKey, input));
  return {
    moduleOptions: {
      region: 'local',
      userPoolId,
      clientId,
      endpoint,
      // The SDK insists on credentials even for the kit's endpoint; these never reach AWS.
      credentials: { accessKeyId: 'test-kit', secretAccessKey: 'test-kit' },
      jwt: { issuer, jwksUri: `${endpoint}${jwksPath}` },
    },
    accessToken: (claims) => sign(accessTokenClaims(context, claims)),
    idToken: (claims) => sign(idTokenClaims(context, claims)),
    clientCredentialsToken: (scope, claims) => sign(clientCredentialsClaims(context, scope, claims)),
    close: () => closeServer(server),
  };
}

function rs256(privateKey: KeyObject, input: string): string {
  return createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url');
}

/** Cognito's client ids are 26 lowercase letters and digits. */
function randomClientId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(26), (byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * The JWKS at Cognito's path; any Cognito call (a POST) gets a Cognito-shaped error
 * that says what to use instead, so that a test reaching the service fails at once
 * with a reason rather than calling AWS.
 */
function answer(req: IncomingMessage, res: ServerResponse, jwksPath: string, jwks: string): void {
  if (req.method === 'GET' && req.url === jwksPath) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    return;
  }
  if (req.method === 'POST') {
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() || 'this call';
    const message =
      `createCognitoTestKit() mints tokens only and cannot answer ${operation}: use startCognitoLocal() or ` +
      'FakeCognitoSyncService from nestjs-cognito-sync/testing';
    req.resume();
    res
      .writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
      .end(JSON.stringify({ __type: 'UnsupportedOperationException', message }));
    return;
  }
  res.writeHead(404).end();
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // The guard's fetch keeps its connection alive; close it rather than wait for its timeout.
    server.closeAllConnections();
  });
}
