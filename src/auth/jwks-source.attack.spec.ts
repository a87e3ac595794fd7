// Attacks on jwt.jwks and jwt.warmUp (issue 29 review): each describe names a finding, its tests the
// behaviour that fixed it (they were `it.failing`, named after the finding, until then).
import { createHmac, createSign } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FetchError } from 'aws-jwt-verify/error';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import { JwksServer, TestSigner } from '../../test/support/jwks-server';
import type { CognitoCaller } from '../internal/cognito-api';
import type { CognitoJwks, CognitoModuleOptions } from '../options/cognito-module-options';
import { resolveCognitoOptions } from '../options/resolve-options';
import { CognitoAuthGuard } from './cognito-auth.guard';
import { CognitoJwksFetcher } from './cognito-jwks-fetcher';
import { CognitoTokenVerifier } from './cognito-token-verifier';

const POOL = { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client1' };
const AWS_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
const LOCAL_ISSUER = 'http://issuer.test/eu-west-1_abc';
const now = () => Math.floor(Date.now() / 1000);
const claimsOf = (iss: string) => ({
  iss,
  sub: 'user-sub',
  username: 'user-name',
  client_id: POOL.clientId,
  token_use: 'access',
  iat: now() - 60,
  exp: now() + 3600,
});
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function startedVerifier(options: CognitoModuleOptions): Promise<CognitoTokenVerifier> {
  const verifier = new CognitoTokenVerifier(resolveCognitoOptions(options), {} as CognitoCaller);
  await new CognitoAuthGuard(new Reflector(), verifier).onApplicationBootstrap();
  return verifier;
}

/** cognito-local's signing key: the same for every install, its private half published on npm. */
function cognitoLocalKeys(): { publicJwk: CognitoJwks['keys'][number]; privatePem: string } {
  /* eslint-disable @typescript-eslint/no-require-imports -- JSON files of the emulator's package */
  const publicFile = require('cognito-local/lib/keys/cognitoLocal.public.json') as {
    jwk: CognitoJwks['keys'][number];
  };
  const privateFile = require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { publicJwk: publicFile.jwk, privatePem: privateFile.pem };
}

let warn: jest.SpyInstance;
beforeEach(() => {
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('attack: a shipped JWKS whose private key is public', () => {
  it(
    "refuses cognito-local's published key in jwt.jwks for a pool on AWS (anyone can sign with it) at " +
      'startup, naming the key',
    async () => {
      jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockRejectedValue(new Error('no request here'));
      const { publicJwk, privatePem } = cognitoLocalKeys();
      const input = `${part({ alg: 'RS256', typ: 'JWT', kid: publicJwk.kid })}.${part({
        ...claimsOf(AWS_ISSUER),
        username: 'admin',
        'cognito:groups': ['admin'],
      })}`;
      const forged = `${input}.${createSign('RSA-SHA256').update(input).sign(privatePem, 'base64url')}`;
      // A jwks.json saved while developing against cognito-local, deployed with the AWS pool's options.
      const verifyForged = async () =>
        (await startedVerifier({ ...POOL, jwt: { jwks: { keys: [publicJwk] } } })).verify(forged);
      await expect(verifyForged()).rejects.toThrow(CognitoConfigurationError);
      await expect(verifyForged()).rejects.toThrow("jwt.jwks.keys[0] is cognito-local's signing key");
    },
  );
});

describe('attack: a shipped key whose kid the pool now serves with other material', () => {
  let genuine: TestSigner;
  let server: JwksServer;
  beforeEach(async () => {
    genuine = new TestSigner('k1');
    server = await new JwksServer(genuine).start();
  });
  afterEach(() => server.stop());

  it(
    'a genuine token of that kid makes one fetch and passes (it was refused 401 with no fetch, until some ' +
      "token's unknown kid made one)",
    async () => {
      const stale = new TestSigner('k1');
      const verifier = await startedVerifier({
        ...POOL,
        jwt: { issuer: LOCAL_ISSUER, jwksUri: server.uri, jwks: { keys: [stale.publicJwk as never] } },
      });
      await expect(verifier.verify(genuine.sign(claimsOf(LOCAL_ISSUER)))).resolves.toMatchObject({ sub: 'user-sub' });
      expect(server.fetches).toBe(1);
    },
  );
});

describe('attack: made-up kids while jwksUri is unreachable (why a JWKS is shipped: no egress)', () => {
  it(
    'a failed fetch for a made-up kid closes the back-off, and its warning is not logged again after a ' +
      'genuine token (each made-up kid fetched, and each failure after a genuine token was logged)',
    async () => {
      const fetch = jest
        .spyOn(CognitoJwksFetcher.prototype, 'fetch')
        .mockImplementation((uri: string) => Promise.reject(new FetchError(uri, 'connect ETIMEDOUT')));
      const key = new TestSigner('shipped');
      const verifier = await startedVerifier({ ...POOL, jwt: { jwks: { keys: [key.publicJwk as never] } } });
      for (let i = 0; i < 10; i += 1) {
        await expect(verifier.verify(key.sign(claimsOf(AWS_ISSUER), `made-up-${i}`))).rejects.toMatchObject({
          status: 503,
        });
        await expect(verifier.verify(key.sign({ ...claimsOf(AWS_ISSUER), jti: `${i}` }))).resolves.toBeDefined();
      }
      expect({ fetches: fetch.mock.calls.length, warnings: warn.mock.calls.length }).toEqual({
        fetches: 1,
        warnings: 1,
      });
    },
  );
});

describe('holds: what a shipped JWKS must not let through', () => {
  let key: TestSigner;
  let verifier: CognitoTokenVerifier;
  beforeAll(() => {
    key = new TestSigner('shipped');
  });
  beforeEach(async () => {
    jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockRejectedValue(new Error('no request here'));
    verifier = await startedVerifier({ ...POOL, jwt: { jwks: { keys: [key.publicJwk as never] } } });
  });

  it('HS256 with the shipped key as its secret (n, or the JWK as JSON) is refused 401', async () => {
    for (const secret of [key.publicJwk.n, JSON.stringify(key.publicJwk)]) {
      const input = `${part({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${part(claimsOf(AWS_ISSUER))}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
    }
  });

  it('alg none (empty signature) is refused 401', async () => {
    const token = `${part({ alg: 'none', kid: key.kid })}.${part(claimsOf(AWS_ISSUER))}.`;
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it("another pool's token signed by a shipped key is refused for its iss, before any key lookup", async () => {
    const other = claimsOf('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other');
    await expect(verifier.verify(key.sign(other))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
  });
});
