import { EventEmitter } from 'node:events';
import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { cognitoGraphQLWsOnConnect } from './cognito-graphql-ws';

const verifierThat = (verify: (token: string) => Promise<unknown>) =>
  ({ verify: jest.fn(verify) }) as unknown as CognitoTokenVerifier & { verify: jest.Mock };

describe('cognitoGraphQLWsOnConnect', () => {
  const connection = (connectionParams?: Record<string, unknown>) => ({
    connectionParams,
    extra: { socket: Object.assign(new EventEmitter(), { close: jest.fn() }) },
  });
  /** Claims that expire in an hour. */
  const valid = () => ({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 });

  it('accepts a connection whose Bearer token the verifier accepts', async () => {
    const verifier = verifierThat(() => Promise.resolve(valid()));
    const ctx = connection({ Authorization: 'Bearer abc' });
    await expect(cognitoGraphQLWsOnConnect(verifier)(ctx)).resolves.toBe(true);
    expect(verifier.verify).toHaveBeenCalledWith('abc');
    expect(ctx.extra.socket.close).not.toHaveBeenCalled();
  });

  it.each([
    ['no connectionParams', undefined, 'TokenMissing'],
    ['no authorization', {}, 'TokenMissing'],
    ['another scheme', { authorization: 'Basic abc' }, 'TokenInvalid'],
    ['two tokens', { authorization: 'Bearer a b' }, 'TokenInvalid'],
    ['both authorization and Authorization', { authorization: 'Bearer a', Authorization: 'Bearer b' }, 'TokenInvalid'],
  ])('closes with 4401 for %s, without calling the verifier', async (_case, params, reason) => {
    const verifier = verifierThat(() => Promise.resolve(valid()));
    const ctx = connection(params);
    await expect(cognitoGraphQLWsOnConnect(verifier)(ctx)).resolves.toBe(false);
    expect(ctx.extra.socket.close).toHaveBeenCalledWith(4401, reason);
    expect(verifier.verify).not.toHaveBeenCalled();
  });

  it(
    "closes with 4401 and the verifier's code for a token it refuses, and 1013 (try again later) when the " +
      'keys are unavailable',
    async () => {
      const expired = connection({ authorization: 'Bearer abc' });
      await cognitoGraphQLWsOnConnect(
        verifierThat(() => Promise.reject(new CognitoUnauthorizedError('TokenExpired', 'expired'))),
      )(expired);
      expect(expired.extra.socket.close).toHaveBeenCalledWith(4401, 'TokenExpired');
      const down = connection({ authorization: 'Bearer abc' });
      await cognitoGraphQLWsOnConnect(
        verifierThat(() => Promise.reject(new CognitoAuthUnavailableError('JwksUnavailable', 'down'))),
      )(down);
      expect(down.extra.socket.close).toHaveBeenCalledWith(1013, 'JwksUnavailable');
    },
  );

  it(
    'lets graphql-ws close with its own 4403 where there is no socket, and rethrows what is not the ' +
      "verifier's refusal",
    async () => {
      const verifier = verifierThat(() => Promise.resolve(valid()));
      await expect(cognitoGraphQLWsOnConnect(verifier)({ connectionParams: {} })).resolves.toBe(false);
      const broken = verifierThat(() => Promise.reject(new TypeError('bug')));
      await expect(cognitoGraphQLWsOnConnect(broken)(connection({ authorization: 'Bearer abc' }))).rejects.toThrow(
        'bug',
      );
    },
  );

  it('closes an accepted connection with 4401 TokenExpired at its exp, running subscriptions and all', async () => {
    jest.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
    try {
      const ctx = connection({ authorization: 'Bearer abc' });
      await expect(cognitoGraphQLWsOnConnect(verifierThat(() => Promise.resolve(valid())))(ctx)).resolves.toBe(true);
      await jest.advanceTimersByTimeAsync(3_599_999);
      expect(ctx.extra.socket.close).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(ctx.extra.socket.close).toHaveBeenCalledWith(4401, 'TokenExpired');
      // Closed earlier (the client left): nothing more.
      const left = connection({ authorization: 'Bearer abc' });
      await cognitoGraphQLWsOnConnect(verifierThat(() => Promise.resolve(valid())))(left);
      left.extra.socket.emit('close');
      await jest.advanceTimersByTimeAsync(3_600_000);
      expect(left.extra.socket.close).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it(
    'with revocationCheck, re-checks every cache period and closes with 4401 TokenRevoked (1013 when Cognito ' +
      'cannot answer)',
    async () => {
      jest.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
      try {
        const revoked = verifierThat(() => Promise.resolve(valid()));
        Object.assign(revoked, { revocationCacheMs: 30_000 });
        const ctx = connection({ authorization: 'Bearer abc' });
        await cognitoGraphQLWsOnConnect(revoked)(ctx);
        revoked.verify.mockRejectedValue(new CognitoUnauthorizedError('TokenRevoked', 'revoked'));
        await jest.advanceTimersByTimeAsync(29_999);
        expect(ctx.extra.socket.close).not.toHaveBeenCalled();
        await jest.advanceTimersByTimeAsync(1);
        expect(revoked.verify).toHaveBeenLastCalledWith('abc');
        expect(ctx.extra.socket.close).toHaveBeenCalledWith(4401, 'TokenRevoked');

        const down = verifierThat(() => Promise.resolve(valid()));
        Object.assign(down, { revocationCacheMs: 30_000 });
        const other = connection({ authorization: 'Bearer abc' });
        await cognitoGraphQLWsOnConnect(down)(other);
        down.verify.mockRejectedValue(new CognitoAuthUnavailableError('RevocationCheckUnavailable', 'down'));
        await jest.advanceTimersByTimeAsync(30_000);
        expect(other.extra.socket.close).toHaveBeenCalledWith(1013, 'RevocationCheckUnavailable');
      } finally {
        jest.useRealTimers();
      }
    },
  );

  it('refuses a valid token where there is no socket to close at its exp (fails closed)', async () => {
    const verifier = verifierThat(() => Promise.resolve(valid()));
    await expect(
      cognitoGraphQLWsOnConnect(verifier)({ connectionParams: { authorization: 'Bearer abc' }, extra: {} }),
    ).resolves.toBe(false);
  });

  it('with optional, accepts a connection without authorization, and still refuses a bad one', async () => {
    const verifier = verifierThat(() => Promise.reject(new CognitoUnauthorizedError('TokenInvalid', 'bad')));
    await expect(cognitoGraphQLWsOnConnect(verifier, { optional: true })(connection({}))).resolves.toBe(true);
    await expect(
      cognitoGraphQLWsOnConnect(verifier, { optional: true })(connection({ authorization: 'Bearer abc' })),
    ).resolves.toBe(false);
  });

  // A value that is there but not a string is a token that fails, not the absence of one.
  it.each([
    ['an array', { authorization: ['Bearer abc'] }],
    ['an object', { Authorization: { toString: () => 'Bearer abc' } }],
    ['a number', { authorization: 42 }],
  ])('with optional, still refuses an authorization that is %s (4401 TokenInvalid)', async (_case, params) => {
    const verifier = verifierThat(() => Promise.resolve(valid()));
    const ctx = connection(params);
    await expect(cognitoGraphQLWsOnConnect(verifier, { optional: true })(ctx)).resolves.toBe(false);
    expect(ctx.extra.socket.close).toHaveBeenCalledWith(4401, 'TokenInvalid');
  });
});
