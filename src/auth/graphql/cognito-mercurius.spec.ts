import { EventEmitter } from 'node:events';
import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { cognitoMercuriusSubscription } from './cognito-mercurius';
import { MERCURIUS_CONNECTION_SOCKET } from './graphql-request';

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

  it(
    "closes with 4401 and the verifier's code, or 1013 when the keys are unavailable; refuses without a " +
      'socket to close',
    async () => {
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
    },
  );

  it('with optional, lets a connection without authorization in, and still refuses a malformed one', async () => {
    const verifier = verifierThat(() => Promise.resolve({}));
    await expect(onConnect(verifier, {}, true).answer).resolves.toBe(true);
    await expect(onConnect(verifier, { authorization: 42 }, true).answer).resolves.toBe(false);
  });
});

describe('cognitoMercuriusSubscription: one connection_init per socket', () => {
  const openSocket = () => Object.assign(new EventEmitter(), { close: jest.fn(), readyState: 1 });

  it('hands the socket to the guard at the first connection_init', () => {
    const socket = openSocket();
    const context = cognitoMercuriusSubscription(verifierThat(() => Promise.resolve({}))).context(socket, {});
    expect(context[MERCURIUS_CONNECTION_SOCKET]).toBe(socket);
    expect(socket.close).not.toHaveBeenCalled();
  });

  it(
    'closes the socket with 4429 at a second connection_init, adds no listener, and refuses it without ' +
      'asking the verifier',
    async () => {
      const verifier = verifierThat(() => Promise.resolve({}));
      const helper = cognitoMercuriusSubscription(verifier);
      const socket = openSocket();
      helper.context(socket, {});
      await expect(helper.onConnect.call({ socket }, { payload: { authorization: 'Bearer abc' } })).resolves.toBe(true);
      const listeners = socket.listenerCount('close');
      expect(helper.context(socket, {})).toEqual({});
      expect(socket.close).toHaveBeenCalledWith(4429, 'Too many initialisation requests');
      socket.readyState = 2;
      await expect(helper.onConnect.call({ socket }, { payload: { authorization: 'Bearer abc' } })).resolves.toBe(
        false,
      );
      expect(verifier.verify).toHaveBeenCalledTimes(1);
      expect(socket.listenerCount('close')).toBe(listeners);
    },
  );
});
