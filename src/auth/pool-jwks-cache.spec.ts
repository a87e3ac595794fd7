// A JWKS URI that cannot be fetched (the fetcher faked: no egress, as where a JWKS is shipped):
// a failed fetch for a token closes the penalty box, the warm-up's does not, and the warning
// is rate-limited whatever genuine tokens pass between failures.
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FetchError } from 'aws-jwt-verify/error';
import { TestSigner } from '../../test/support/jwks-server';
import type { CognitoCaller } from '../internal/cognito-api';
import type { CognitoModuleOptions } from '../options/cognito-module-options';
import { resolveCognitoOptions } from '../options/resolve-options';
import { CognitoAuthGuard } from './cognito-auth.guard';
import { CognitoJwksFetcher } from './cognito-jwks-fetcher';
import { CognitoTokenVerifier } from './cognito-token-verifier';
import { JWKS_PENALTY_MS } from './jwks-penalty-box';

const POOL = { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client1' };
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
const JWKS_URI = `${ISSUER}/.well-known/jwks.json`;
const START = Date.UTC(2026, 0, 1);
const claims = (jti: string) => ({
  iss: ISSUER,
  sub: 'user-sub',
  username: 'user-name',
  client_id: POOL.clientId,
  token_use: 'access',
  jti,
  iat: START / 1000 - 60,
  exp: START / 1000 + 3600,
});

let now: number;
let warn: jest.SpyInstance;
let fetch: jest.SpyInstance;
let key: TestSigner;
/** What the faked fetcher answers: a failure, or `key`'s JWKS. */
let reachable: boolean;

async function startedVerifier(options: CognitoModuleOptions): Promise<CognitoTokenVerifier> {
  const verifier = new CognitoTokenVerifier(resolveCognitoOptions(options), {} as CognitoCaller);
  await new CognitoAuthGuard(new Reflector(), verifier).onApplicationBootstrap();
  return verifier;
}

beforeAll(() => {
  key = new TestSigner('pool-key');
});
beforeEach(() => {
  now = START;
  reachable = false;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  fetch = jest
    .spyOn(CognitoJwksFetcher.prototype, 'fetch')
    .mockImplementation((uri: string) =>
      reachable
        ? Promise.resolve(new TextEncoder().encode(JSON.stringify({ keys: [key.publicJwk] })).buffer)
        : Promise.reject(new FetchError(uri, 'connect ETIMEDOUT')),
    );
});
afterEach(() => jest.restoreAllMocks());

const unavailable = (retryAfter: number) => ({ status: 503, code: 'JwksUnavailable', retryAfter });

describe('PoolJwksCache: a JWKS URI that cannot be fetched (fetcher faked)', () => {
  it('a failed warm-up starts no back-off: the first request makes its own fetch, whose failure does', async () => {
    const verifier = await startedVerifier(POOL);
    expect(fetch).toHaveBeenCalledTimes(2); // both of Cognito's issuer formats
    await expect(verifier.verify(key.sign(claims('1')))).rejects.toMatchObject(unavailable(JWKS_PENALTY_MS / 1000));
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(fetch).toHaveBeenLastCalledWith(JWKS_URI);
    await expect(verifier.verify(key.sign(claims('2')))).rejects.toMatchObject({ status: 503 });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it(
    'after a failed fetch for a token, fetches nothing for 10 s (tokens of keys not cached get 503 with ' +
      'Retry-After, and the refused ones do not extend it), then once again',
    async () => {
      const verifier = await startedVerifier({ ...POOL, jwt: { warmUp: false } });
      await expect(verifier.verify(key.sign(claims('1')))).rejects.toMatchObject(unavailable(10));
      now += 4_000;
      for (const kid of ['pool-key', 'made-up-1', 'made-up-2']) {
        await expect(verifier.verify(key.sign(claims(kid), kid))).rejects.toMatchObject(unavailable(6));
      }
      now += 5_999;
      await expect(verifier.verify(key.sign(claims('2')))).rejects.toMatchObject(unavailable(1));
      expect(fetch).toHaveBeenCalledTimes(1);
      reachable = true;
      now += 1;
      await expect(verifier.verify(key.sign(claims('3')))).resolves.toMatchObject({ sub: 'user-sub' });
      expect(fetch).toHaveBeenCalledTimes(2);
    },
  );

  it('warns at most once a minute, counting the lines left out, however many genuine tokens pass between', async () => {
    const verifier = await startedVerifier({ ...POOL, jwt: { jwks: { keys: [key.publicJwk as never] } } });
    for (let i = 0; i < 7; i += 1) {
      await expect(verifier.verify(key.sign(claims(`${i}`), `made-up-${i}`))).rejects.toMatchObject({ status: 503 });
      await expect(verifier.verify(key.sign(claims(`${i}`)))).resolves.toBeDefined();
      now += JWKS_PENALTY_MS;
    }
    expect(fetch).toHaveBeenCalledTimes(7);
    const lines = warn.mock.calls.map(([line]) => String(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`Token signing keys (JWKS) unavailable at ${JWKS_URI}: FetchError`);
    expect(lines[1]).toContain('(5 more like it since the last such line, not logged)');
    for (const line of lines) expect(line).not.toContain('made-up');
  });
});
