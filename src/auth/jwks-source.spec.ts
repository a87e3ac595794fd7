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
/** A JWT part (header or payload) for a token signed by hand. */
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The verifier of `options`, started as the guard starts it (onApplicationBootstrap). */
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

beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

describe('the JWKS at startup: jwt.warmUp and jwt.jwks (JWKS server this suite controls)', () => {
  let shippedKey: TestSigner;
  let rotatedKey: TestSigner;
  let server: JwksServer;
  const optionsWith = (jwt: CognitoModuleOptions['jwt']): CognitoModuleOptions => ({
    ...POOL,
    jwt: { issuer: LOCAL_ISSUER, jwksUri: server.uri, ...jwt },
  });
  const shipped = () => ({ keys: [shippedKey.publicJwk as { kty: string; kid: string; n: string; e: string }] });

  beforeAll(() => {
    shippedKey = new TestSigner('shipped-key');
    rotatedKey = new TestSigner('rotated-key');
  });
  beforeEach(async () => {
    // The server publishes both keys: the shipped one, and one rotated in since the app was built.
    server = await new JwksServer(shippedKey).start();
    server.publish(rotatedKey);
  });
  afterEach(() => server.stop());

  it('fetches the JWKS at startup by default (so that the cases below are about their options)', async () => {
    await startedVerifier(optionsWith({}));
    expect(server.fetches).toBe(1);
  });

  it('with warmUp: false, fetches nothing at startup; the first token fetches the JWKS, once', async () => {
    const verifier = await startedVerifier(optionsWith({ warmUp: false }));
    expect(server.fetches).toBe(0);
    const tokens = [shippedKey.sign(claimsOf(LOCAL_ISSUER)), rotatedKey.sign(claimsOf(LOCAL_ISSUER))];
    await Promise.all(
      tokens.map((token) => expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-sub' })),
    );
    expect(server.fetches).toBe(1);
  });

  it('with jwks, verifies tokens of a shipped kid with no JWKS request (cached keys only too)', async () => {
    const verifier = await startedVerifier(optionsWith({ jwks: shipped() }));
    const token = shippedKey.sign(claimsOf(LOCAL_ISSUER));
    await expect(verifier.verify(token, { cachedKeysOnly: true })).resolves.toMatchObject({ username: 'user-name' });
    await expect(verifier.verify(shippedKey.sign({ ...claimsOf(LOCAL_ISSUER), sub: 'other' }))).resolves.toMatchObject({
      sub: 'other',
    });
    expect(server.fetches).toBe(0);
  });

  it(
    "checks a shipped key's signatures: a token signed by another key of the shipped kid is refused, after one " +
      'fetch that finds the pool serving the shipped key (none for the next ones)',
    async () => {
      const verifier = await startedVerifier(optionsWith({ jwks: shipped() }));
      const forged = (sub: string) => rotatedKey.sign({ ...claimsOf(LOCAL_ISSUER), sub }, shippedKey.kid);
      await expect(verifier.verify(forged('1'))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
      expect(server.fetches).toBe(1);
      for (const sub of ['2', '3']) {
        await expect(verifier.verify(forged(sub))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
      }
      expect(server.fetches).toBe(1);
    },
  );

  it(
    'with jwks, fetches the JWKS URI for a kid it lacks (key rotation), and rate-limits made-up kids as ' +
      'without it',
    async () => {
      const verifier = await startedVerifier(optionsWith({ jwks: shipped() }));
      await expect(verifier.verify(rotatedKey.sign(claimsOf(LOCAL_ISSUER)))).resolves.toMatchObject({
        sub: 'user-sub',
      });
      expect(server.fetches).toBe(1);
      const madeUp = (kid: string) => rotatedKey.sign(claimsOf(LOCAL_ISSUER), kid);
      await expect(verifier.verify(madeUp('made-up-1'))).rejects.toMatchObject({ status: 401 });
      expect(server.fetches).toBe(2);
      await expect(verifier.verify(madeUp('made-up-2'))).rejects.toMatchObject({
        status: 503,
        code: 'JwksUnavailable',
      });
      expect(server.fetches).toBe(2);
      // The fetched JWKS replaced the shipped one; its keys still verify.
      await expect(verifier.verify(shippedKey.sign(claimsOf(LOCAL_ISSUER)))).resolves.toBeDefined();
      expect(server.fetches).toBe(2);
    },
  );

  it('with jwks and warmUp: true, fetches at startup as well (fresh keys over the shipped ones)', async () => {
    const verifier = await startedVerifier(optionsWith({ jwks: shipped(), warmUp: true }));
    expect(server.fetches).toBe(1);
    await expect(verifier.verify(rotatedKey.sign(claimsOf(LOCAL_ISSUER)))).resolves.toBeDefined();
    expect(server.fetches).toBe(1);
  });

  it('with jwks, accepts every loopback spelling of an emulator issuer from the shipped keys', async () => {
    const issuer = 'http://localhost:9229/eu-west-1_abc';
    const verifier = await startedVerifier({ ...POOL, jwt: { issuer, jwksUri: server.uri, jwks: shipped() } });
    for (const iss of [issuer, 'http://127.0.0.1:9229/eu-west-1_abc', 'http://[::1]:9229/eu-west-1_abc']) {
      await expect(verifier.verify(shippedKey.sign(claimsOf(iss)))).resolves.toMatchObject({ iss });
    }
    expect(server.fetches).toBe(0);
  });
});

describe('jwt.jwks with a kid the pool serves with other key material (JWKS server this suite controls)', () => {
  let genuine: TestSigner;
  let stale: TestSigner;
  let server: JwksServer;
  const verifierShipping = (...keys: TestSigner[]) =>
    startedVerifier({
      ...POOL,
      jwt: { issuer: LOCAL_ISSUER, jwksUri: server.uri, jwks: { keys: keys.map((key) => key.publicJwk as never) } },
    });
  const token = (signer: TestSigner, sub = 'user-sub', kid = signer.kid) =>
    signer.sign({ ...claimsOf(LOCAL_ISSUER), sub }, kid);

  beforeEach(async () => {
    genuine = new TestSigner('k1');
    stale = new TestSigner('k1');
    server = await new JwksServer(genuine).start();
  });
  afterEach(() => server.stop());

  it("passes concurrent genuine tokens after one fetch, and refuses the shipped key's from then on", async () => {
    const verifier = await verifierShipping(stale);
    const subs = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    await expect(Promise.all(subs.map((sub) => verifier.verify(token(genuine, sub))))).resolves.toMatchObject(
      subs.map((sub) => ({ sub })),
    );
    expect(server.fetches).toBe(1);
    await expect(verifier.verify(token(stale))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
    expect(server.fetches).toBe(1);
  });

  it('passes a genuine token of that kid after one fetch, not refused until another kid makes one', async () => {
    const verifier = await verifierShipping(stale);
    await expect(verifier.verify(token(genuine))).resolves.toMatchObject({ sub: 'user-sub' });
    expect(server.fetches).toBe(1);
  });

  it('drops the key made from the shipped material once a fetch for another kid replaced them', async () => {
    const other = new TestSigner('k2');
    server.publish(other);
    const verifier = await verifierShipping(stale);
    // Trusted until a fetch says otherwise (the key objects aws-jwt-verify makes are cached by kid).
    await expect(verifier.verify(token(stale, 'before'))).resolves.toMatchObject({ sub: 'before' });
    await expect(verifier.verify(token(other))).resolves.toBeDefined();
    expect(server.fetches).toBe(1);
    await expect(verifier.verify(token(genuine, 'after'))).resolves.toMatchObject({ sub: 'after' });
    await expect(verifier.verify(token(stale, 'after'))).rejects.toMatchObject({ status: 401 });
    expect(server.fetches).toBe(1);
  });

  it('refuses 401 when the fetched JWKS lacks the kid, and fetches nothing more for 10 s', async () => {
    const verifier = await verifierShipping(new TestSigner('retired'));
    const retired = new TestSigner('retired');
    await expect(verifier.verify(token(retired))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
    expect(server.fetches).toBe(1);
    await expect(verifier.verify(token(genuine, 'user-sub', 'made-up'))).rejects.toMatchObject({
      status: 503,
      code: 'JwksUnavailable',
    });
    expect(server.fetches).toBe(1);
  });

  it('answers 503 when that fetch fails, and fetches nothing more for 10 s (its Retry-After)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const verifier = await verifierShipping(stale);
    await server.stop();
    await expect(verifier.verify(token(genuine, 'a'))).rejects.toMatchObject({
      status: 503,
      code: 'JwksUnavailable',
      retryAfter: 10,
    });
    const fetch = jest.spyOn(CognitoJwksFetcher.prototype, 'fetch');
    await expect(verifier.verify(token(genuine, 'b'))).rejects.toMatchObject({ status: 503, code: 'JwksUnavailable' });
    expect(fetch).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('jwt.jwks on AWS (issuer derived: aws-jwt-verify CognitoJwtVerifier; no JWKS request may leave)', () => {
  it("verifies tokens of both of Cognito's issuer formats from the shipped keys, fetching nothing", async () => {
    const fetch = jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockRejectedValue(new Error('no request here'));
    const key = new TestSigner('aws-key');
    const verifier = await startedVerifier({ ...POOL, jwt: { jwks: { keys: [key.publicJwk as never] } } });
    for (const iss of [
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
    ]) {
      await expect(verifier.verify(key.sign(claimsOf(iss)))).resolves.toMatchObject({ iss });
    }
    expect(fetch).not.toHaveBeenCalled();
  });

  it("fetches the JWKS of the token's issuer format when a shipped kid refuses a genuine token", async () => {
    const genuine = new TestSigner('aws-key');
    const jwksOf = (signer: TestSigner) =>
      new TextEncoder().encode(JSON.stringify({ keys: [signer.publicJwk] })).buffer as ArrayBuffer;
    const fetch = jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockResolvedValue(jwksOf(genuine));
    const stale = new TestSigner('aws-key');
    const verifier = await startedVerifier({ ...POOL, jwt: { jwks: { keys: [stale.publicJwk as never] } } });
    const iss = 'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
    await expect(verifier.verify(genuine.sign(claimsOf(iss)))).resolves.toMatchObject({ iss });
    expect(fetch.mock.calls.map(([uri]) => uri)).toEqual([`${iss}/.well-known/jwks.json`]);
    // The other format's URI got the fetched JWKS too (Cognito serves one JWKS under both).
    const regional = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
    await expect(verifier.verify(genuine.sign(claimsOf(regional)))).resolves.toMatchObject({ iss: regional });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('with warmUp: false, makes no request at startup', async () => {
    const fetch = jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockRejectedValue(new Error('no request here'));
    await startedVerifier({ ...POOL, jwt: { warmUp: false } });
    expect(fetch).not.toHaveBeenCalled();
  });

  it(
    "refuses cognito-local's published key in jwt.jwks at startup, naming the key (anyone can sign with it: a " +
      'jwks.json saved against the emulator, deployed with the AWS pool)',
    async () => {
      jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockRejectedValue(new Error('no request here'));
      const { publicJwk, privatePem } = cognitoLocalKeys();
      const input = `${part({ alg: 'RS256', typ: 'JWT', kid: publicJwk.kid })}.${part({
        ...claimsOf(AWS_ISSUER),
        username: 'admin',
        'cognito:groups': ['admin'],
      })}`;
      const forged = `${input}.${createSign('RSA-SHA256').update(input).sign(privatePem, 'base64url')}`;
      const verifyForged = async () =>
        (await startedVerifier({ ...POOL, jwt: { jwks: { keys: [publicJwk] } } })).verify(forged);
      await expect(verifyForged()).rejects.toThrow(CognitoConfigurationError);
      await expect(verifyForged()).rejects.toThrow("jwt.jwks.keys[0] is cognito-local's signing key");
    },
  );

  it(
    'with jwksUri unreachable (no egress), fetches once for made-up kids and logs that failure once, however ' +
      'many made-up and genuine tokens alternate',
    async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
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

  describe('tokens forged against the shipped keys are refused', () => {
    let key: TestSigner;
    let verifier: CognitoTokenVerifier;
    beforeAll(() => {
      key = new TestSigner('shipped');
    });
    beforeEach(async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined); // the refused iss is logged
      jest.spyOn(CognitoJwksFetcher.prototype, 'fetch').mockRejectedValue(new Error('no request here'));
      verifier = await startedVerifier({ ...POOL, jwt: { jwks: { keys: [key.publicJwk as never] } } });
    });

    it('refuses 401 an HS256 token with the shipped key as its secret (n, or the JWK as JSON)', async () => {
      for (const secret of [key.publicJwk.n, JSON.stringify(key.publicJwk)]) {
        const input = `${part({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${part(claimsOf(AWS_ISSUER))}`;
        const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
        await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
      }
    });

    it('refuses 401 an alg none token (empty signature)', async () => {
      const token = `${part({ alg: 'none', kid: key.kid })}.${part(claimsOf(AWS_ISSUER))}.`;
      await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
    });

    it("refuses another pool's token signed by a shipped key for its iss, before any key lookup", async () => {
      const other = claimsOf('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other');
      await expect(verifier.verify(key.sign(other))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
    });
  });
});
