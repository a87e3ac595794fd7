import { EventEmitter } from 'node:events';
import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { cognitoMercuriusSubscription } from './cognito-mercurius';
import { graphqlRequestOf, MERCURIUS_CONNECTION_WATCH } from './graphql-request';

const verifierThat = (verify: (token: string) => Promise<unknown>, revocationCacheMs?: number) =>
  ({ verify: jest.fn(verify), revocationCacheMs }) as unknown as CognitoTokenVerifier & { verify: jest.Mock };

/** Mercurius's connection as its `onConnect` sees it (`this`), with a `ws`-like socket. */
const connection = () => {
  const socket = Object.assign(new EventEmitter(), { close: jest.fn() });
  return { socket };
};

describe('cognitoMercuriusSubscription: onConnect', () => {
  const onConnect = (verifier: CognitoTokenVerifier, payload: unknown, optional = false) => {
    const conn = connection();
    const answer = cognitoMercuriusSubscription(verifier, { optional }).onConnect.call(conn, { payload });
    return { answer, close: conn.socket.close };
  };

  it('accepts a connection whose Bearer token the verifier accepts', async () => {
    const verifier = verifierThat(() => Promise.resolve({ sub: 'x' }));
    const { answer, close } = onConnect(verifier, { Authorization: 'Bearer abc' });
    await expect(answer).resolves.toBe(true);
    expect(verifier.verify).toHaveBeenCalledWith('abc');
    expect(close).not.toHaveBeenCalled();
  });

  it.each([
    ['no connectionParams', undefined, 'TokenMissing'],
    ['no authorization', {}, 'TokenMissing'],
    ['another scheme', { authorization: 'Basic abc' }, 'TokenInvalid'],
    ['a non-string', { authorization: ['Bearer abc'] }, 'TokenInvalid'],
    ['both authorization and Authorization', { authorization: 'Bearer a', Authorization: 'Bearer b' }, 'TokenInvalid'],
  ])('refuses %s and closes the socket with 4401, without calling the verifier', async (_case, params, reason) => {
    const verifier = verifierThat(() => Promise.resolve({}));
    const { answer, close } = onConnect(verifier, params);
    await expect(answer).resolves.toBe(false);
    expect(close).toHaveBeenCalledWith(4401, reason);
    expect(verifier.verify).not.toHaveBeenCalled();
  });

  it("closes with 4401 and the verifier's code, or 1013 when the keys are unavailable; refuses without a socket to close", async () => {
    const expired = onConnect(
      verifierThat(() => Promise.reject(new CognitoUnauthorizedError('TokenExpired', 'expired'))),
      { authorization: 'Bearer a' },
    );
    await expect(expired.answer).resolves.toBe(false);
    expect(expired.close).toHaveBeenCalledWith(4401, 'TokenExpired');
    const down = onConnect(
      verifierThat(() => Promise.reject(new CognitoAuthUnavailableError('JwksUnavailable', 'down'))),
      { authorization: 'Bearer a' },
    );
    await expect(down.answer).resolves.toBe(false);
    expect(down.close).toHaveBeenCalledWith(1013, 'JwksUnavailable');
    // Called as a plain function (another Mercurius): still refused.
    const { onConnect: bare } = cognitoMercuriusSubscription(verifierThat(() => Promise.resolve({})));
    await expect(bare.call(undefined, { payload: {} })).resolves.toBe(false);
  });

  it('with optional, lets a connection without authorization in, and still refuses a malformed one', async () => {
    const verifier = verifierThat(() => Promise.resolve({}));
    await expect(onConnect(verifier, {}, true).answer).resolves.toBe(true);
    await expect(onConnect(verifier, { authorization: 42 }, true).answer).resolves.toBe(false);
  });
});

describe('cognitoMercuriusSubscription: the connection watch', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000_000_000 }));
  afterEach(() => jest.useRealTimers());
  const exp = (seconds: number) => Date.now() / 1000 + seconds;

  /** Mercurius's subscription context for a connection whose `context` came from the helper. */
  const subscriptionContext = (verifier: CognitoTokenVerifier, connectionParams: unknown) => {
    const { socket } = connection();
    const upgrade = { headers: { upgrade: 'websocket', cookie: 'access_token=from-cookie' } };
    const extra = cognitoMercuriusSubscription(verifier).context(socket, upgrade);
    const context: Record<PropertyKey, unknown> = { ...extra, _connectionInit: connectionParams, reply: { request: upgrade } };
    return { socket, context };
  };

  it('starts with the first operation the guard reads, once, and closes the socket with 4401 TokenExpired at exp', async () => {
    const verifier = verifierThat(() => Promise.resolve({ exp: exp(5) }));
    const { socket, context } = subscriptionContext(verifier, { authorization: 'Bearer abc' });
    expect(typeof context[MERCURIUS_CONNECTION_WATCH]).toBe('function');
    expect(graphqlRequestOf(context)).toEqual({ headers: { authorization: 'Bearer abc' } });
    graphqlRequestOf(context);
    await jest.advanceTimersByTimeAsync(4999);
    expect(socket.close).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.close).toHaveBeenCalledWith(4401, 'TokenExpired');
    expect(verifier.verify).toHaveBeenCalledTimes(1);
  });

  it('with revocationCheck, asks again at its cache period and closes with 4401 TokenRevoked', async () => {
    let revoked = false;
    const verifier = verifierThat(
      () => (revoked ? Promise.reject(new CognitoUnauthorizedError('TokenRevoked', 'r')) : Promise.resolve({ exp: exp(3600) })),
      2000,
    );
    const { socket, context } = subscriptionContext(verifier, { authorization: 'Bearer abc' });
    graphqlRequestOf(context);
    await jest.advanceTimersByTimeAsync(4000);
    expect(verifier.verify).toHaveBeenCalledTimes(3);
    revoked = true;
    await jest.advanceTimersByTimeAsync(2000);
    expect(socket.close).toHaveBeenCalledWith(4401, 'TokenRevoked');
  });

  it('stops with the socket, and leaves an anonymous connection alone', async () => {
    const verifier = verifierThat(() => Promise.resolve({ exp: exp(5) }));
    const closing = subscriptionContext(verifier, { authorization: 'Bearer abc' });
    graphqlRequestOf(closing.context);
    await jest.advanceTimersByTimeAsync(0);
    closing.socket.emit('close');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(closing.socket.close).not.toHaveBeenCalled();
    const anonymous = subscriptionContext(verifier, undefined);
    graphqlRequestOf(anonymous.context);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(anonymous.socket.close).not.toHaveBeenCalled();
    expect(verifier.verify).toHaveBeenCalledTimes(1);
  });

  it('closes at once a token that no longer verifies at the first operation', async () => {
    const verifier = verifierThat(() => Promise.reject(new CognitoUnauthorizedError('TokenExpired', 'expired')));
    const { socket, context } = subscriptionContext(verifier, { authorization: 'Bearer abc' });
    graphqlRequestOf(context);
    await jest.advanceTimersByTimeAsync(0);
    expect(socket.close).toHaveBeenCalledWith(4401, 'TokenExpired');
  });
});
