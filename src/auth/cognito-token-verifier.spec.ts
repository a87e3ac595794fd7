import { Logger } from '@nestjs/common';
import type { CognitoCaller } from '../internal/cognito-api';
import { resolveCognitoOptions } from '../options/resolve-options';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { CognitoTokenVerifier } from './cognito-token-verifier';
import { TokenCache } from './token-cache';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc';
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = part({ alg: 'RS256', kid: 'key-1' });
const claims = {
  iss: ISSUER,
  token_use: 'access',
  client_id: 'client1',
  sub: 'sub-1',
  exp: Math.floor(Date.now() / 1000) + 3600,
};
/**
 * An unsigned token of exactly `length` characters: a padding
 * claim, then a signature of zero bits (canonical base64url).
 */
function tokenOfLength(length: number): string {
  for (let pad = Math.floor(length * 0.7); ; pad += 1) {
    const signed = `${header}.${part({ ...claims, pad: 'x'.repeat(pad) })}.`;
    const rest = length - signed.length;
    if (rest >= 4 && rest % 4 !== 1) return signed + 'A'.repeat(rest);
  }
}

describe('CognitoTokenVerifier.verify() called directly (outside the guard)', () => {
  const verifierOf = () => {
    const verifier = new CognitoTokenVerifier(
      resolveCognitoOptions({ region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client1' }),
      {} as CognitoCaller,
    );
    const inner = (verifier as unknown as { verifier: { verify(token: string): Promise<unknown> } }).verifier;
    return { verifier, verify: jest.spyOn(inner, 'verify') };
  };

  it.each([
    ['a number', 123],
    ['an object', { token: 'a.b.c' }],
    ['undefined', undefined],
    ['null', null],
    ['an array', ['a.b.c']],
  ])('refuses %s with 401 TokenInvalid, not a TypeError', async (_case, input) => {
    const { verifier, verify } = verifierOf();
    const verifying = verifier.verify(input as unknown as string);
    await expect(verifying).rejects.toBeInstanceOf(CognitoUnauthorizedError);
    await expect(verifying).rejects.toMatchObject({
      status: 401,
      code: 'TokenInvalid',
      message: 'The token is invalid',
    });
    expect(verify).not.toHaveBeenCalled();
  });

  it(
    'refuses a token over 16 KB before parsing it (401 ' + 'TokenInvalid), and lets one of exactly 16 KB through',
    async () => {
      const { verifier, verify } = verifierOf();
      verify.mockResolvedValue(claims);
      const huge = `${header}.${part({ ...claims, pad: 'x'.repeat(20_000_000) })}.c2ln`;
      await expect(verifier.verify(huge)).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
      await expect(verifier.verify(huge, { cachedKeysOnly: true })).rejects.toMatchObject({
        status: 401,
        code: 'TokenInvalid',
      });
      expect(verify).not.toHaveBeenCalled();
      const atLimit = tokenOfLength(16_384);
      expect(atLimit).toHaveLength(16_384);
      await expect(verifier.verify(atLimit)).resolves.toMatchObject({ sub: 'sub-1' });
      expect(verify).toHaveBeenCalledTimes(1);
      await expect(verifier.verify(tokenOfLength(16_385))).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
      expect(verify).toHaveBeenCalledTimes(1);
    },
  );
});

describe(
  'CognitoTokenVerifier with revocationCheck and ' + 'client-credentials tokens (GetUser faked at the caller)',
  () => {
    const machine = { ...claims, sub: 'client1', scope: 'orders/read' };
    const setUp = (payload: object, notAuthorized = true) => {
      const send = jest.fn(() =>
        notAuthorized
          ? Promise.reject(Object.assign(new Error('no'), { name: 'NotAuthorizedException' }))
          : Promise.resolve({}),
      );
      const options = resolveCognitoOptions({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_abc',
        clientId: 'client1',
        revocationCheck: { cacheSeconds: 0 },
      });
      const verifier = new CognitoTokenVerifier(options, { send } as unknown as CognitoCaller);
      const inner = (verifier as unknown as { verifier: { verify(token: string): Promise<unknown> } }).verifier;
      jest.spyOn(inner, 'verify').mockResolvedValue(payload);
      return { verifier, send, token: `${header}.${part(payload)}.c2ln` };
    };

    it(
      'lets a client-credentials token (no username, sub = client_id) through without asking GetUser, which ' +
        'cannot judge it',
      async () => {
        const { verifier, send, token } = setUp(machine);
        await expect(verifier.verify(token)).resolves.toMatchObject({ client_id: 'client1', scope: 'orders/read' });
        await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'client1' });
        expect(send).not.toHaveBeenCalled();
      },
    );

    it(
      'still asks GetUser for a user token, and for a user-less token whose subject is not its app client ' +
        '(fails closed)',
      async () => {
        for (const payload of [
          { ...claims, username: 'alice' },
          { ...machine, sub: 'someone-else' },
        ]) {
          const { verifier, send, token } = setUp(payload);
          await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, code: 'TokenRevoked' });
          expect(send).toHaveBeenCalledTimes(1);
        }
        const { verifier, send, token } = setUp({ ...claims, username: 'alice' }, false);
        await expect(verifier.verify(token)).resolves.toMatchObject({ username: 'alice' });
        expect(send).toHaveBeenCalledTimes(1);
      },
    );
  },
);

describe('CognitoTokenVerifier: a JWKS that cannot be read', () => {
  it("logs the failure once with the error's class and the configured URI, never text from the far end", async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('<html>far-end text: a body to keep out of logs</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const jwksUri = `http://127.0.0.1:${port}/.well-known/jwks.json`;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const options = resolveCognitoOptions({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_abc',
        clientId: 'client1',
        jwt: { jwksUri },
      });
      await new CognitoTokenVerifier(options, {} as CognitoCaller).warmUp();
      const lines = warn.mock.calls.map(([line]) => String(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(jwksUri);
      expect(lines[0]).not.toContain('far-end');
    } finally {
      warn.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('CognitoTokenVerifier.cachedClaims (the guard synchronous path)', () => {
  const token = `${header}.${part(claims)}.c2ln`;
  const verifiedOnce = async () => {
    const verifier = new CognitoTokenVerifier(
      resolveCognitoOptions({ region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client1' }),
      {} as CognitoCaller,
    );
    jest
      .spyOn((verifier as unknown as { verifier: { verify(token: string): Promise<unknown> } }).verifier, 'verify')
      .mockResolvedValue({ ...claims });
    await verifier.verify(token);
    return { verifier, keyOf: jest.spyOn(TokenCache.prototype, 'keyOf') };
  };
  const sameText = (text: string) => text.split('').join('');

  afterEach(() => jest.restoreAllMocks());

  it('hashes a token once per connection, then knows it there by its text; each answer is its own copy', async () => {
    const { verifier, keyOf } = await verifiedOnce();
    const connection = {};
    const first = verifier.cachedClaims(token, connection);
    expect(first).toEqual(claims);
    first!.sub = 'changed';
    expect(verifier.cachedClaims(sameText(token), connection)).toEqual(claims);
    expect(keyOf).toHaveBeenCalledTimes(1);
    expect(verifier.cachedClaims(token, {})).toEqual(claims);
    expect(keyOf).toHaveBeenCalledTimes(2);
  });

  it('answers nothing for another token on that connection, and keeps what it knew there', async () => {
    const { verifier, keyOf } = await verifiedOnce();
    const connection = {};
    verifier.cachedClaims(token, connection);
    expect(verifier.cachedClaims(`${token}x`, connection)).toBeUndefined();
    expect(verifier.cachedClaims(token, connection)).toEqual(claims);
    expect(keyOf).toHaveBeenCalledTimes(2);
  });

  it('answers each token its own claims on one connection (a proxy carrying several users)', async () => {
    const { verifier } = await verifiedOnce();
    const other = `${header}.${part({ ...claims, sub: 'sub-2' })}.c2ln`;
    const inner = (verifier as unknown as { verifier: { verify(token: string): Promise<unknown> } }).verifier;
    jest.spyOn(inner, 'verify').mockResolvedValue({ ...claims, sub: 'sub-2' });
    await verifier.verify(other);
    const connection = {};
    expect(verifier.cachedClaims(token, connection)?.sub).toBe('sub-1');
    expect(verifier.cachedClaims(other, connection)?.sub).toBe('sub-2');
    expect(verifier.cachedClaims(token, connection)?.sub).toBe('sub-1');
  });

  it(
    'verifies claims nested too deep to copy every time instead of caching them (no RangeError reaches the ' +
      'caller)',
    async () => {
      const { verifier } = await verifiedOnce();
      const deep = `${header}.${part({ ...claims, sub: 'deep' })}.c2ln`;
      const nested = JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`) as unknown;
      const inner = (verifier as unknown as { verifier: { verify(token: string): Promise<unknown> } }).verifier;
      const verify = jest
        .spyOn(inner, 'verify')
        .mockImplementation(() => Promise.resolve({ ...claims, sub: 'deep', nested }));
      verify.mockClear();
      await expect(verifier.verify(deep)).resolves.toMatchObject({ sub: 'deep' });
      await expect(verifier.verify(deep)).resolves.toMatchObject({ sub: 'deep' });
      expect(verify).toHaveBeenCalledTimes(2);
      expect(verifier.cachedClaims(deep, {})).toBeUndefined();
    },
  );

  it('lets the cache decide: a token past its exp is not answered, even on a connection that knew it', async () => {
    const { verifier } = await verifiedOnce();
    const connection = {};
    expect(verifier.cachedClaims(token, connection)).toEqual(claims);
    jest.spyOn(Date, 'now').mockReturnValue(claims.exp * 1000 + 1);
    expect(verifier.cachedClaims(token, connection)).toBeUndefined();
  });
});
