import { EventEmitter } from 'node:events';
import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { isConnectionWatched } from '../connection-token-watch';
import { CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { CognitoGraphQLError } from '../../errors/cognito-graphql-error';
import { cognitoMercuriusSubscription } from './cognito-mercurius';
import { watchGraphQLConnection, webSocketOfUpgrade } from './graphql-connection-watch';
import { graphqlRequestOf } from './graphql-request';

const verifierThat = (verify: (token: string) => Promise<unknown>, revocationCacheMs?: number) =>
  ({ verify: jest.fn(verify), revocationCacheMs }) as unknown as CognitoTokenVerifier & { verify: jest.Mock };

const wsSocket = () => Object.assign(new EventEmitter(), { close: jest.fn(), readyState: 1 });

/** Mercurius's subscription context: with the helper's `context` (which hands the socket over), or bare. */
const mercuriusContext = (connectionParams: unknown, socket = wsSocket(), helper = true) => {
  const upgrade = { headers: { upgrade: 'websocket', cookie: 'access_token=from-cookie' } };
  const extra = helper
    ? cognitoMercuriusSubscription(verifierThat(() => Promise.resolve({}))).context(socket, upgrade)
    : {};
  return {
    socket,
    context: { ...extra, _connectionInit: connectionParams, reply: { request: upgrade } } as Record<
      PropertyKey,
      unknown
    >,
  };
};

/**
 * Apollo's subscription context: `req` is graphql-ws's connection context, with `extra.socket` under graphql-ws/use/ws.
 */
const apolloContext = (connectionParams: unknown, socket: ReturnType<typeof wsSocket> | null = wsSocket()) => ({
  socket,
  context: { req: { connectionInitReceived: true, subscriptions: {}, connectionParams, extra: { socket } } },
});

describe('watchGraphQLConnection: the guard ends a GraphQL connection with its token', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000_000_000 }));
  afterEach(() => jest.useRealTimers());
  const exp = (seconds: number) => Date.now() / 1000 + seconds;

  it.each([
    ['Mercurius, socket from cognitoMercuriusSubscription', () => mercuriusContext({ authorization: 'Bearer abc' })],
    ['Apollo, socket from graphql-ws extra', () => apolloContext({ authorization: 'Bearer abc' })],
  ])('%s: closes the socket with 4401 TokenExpired at exp, once per socket', async (_case, make) => {
    const { socket, context } = make() as { socket: ReturnType<typeof wsSocket>; context: object };
    const verifier = verifierThat(() => Promise.resolve({}));
    const request = graphqlRequestOf(context)!;
    expect(request).toEqual({ headers: { authorization: 'Bearer abc' } });
    watchGraphQLConnection(request, 'abc', exp(5), verifier);
    watchGraphQLConnection(graphqlRequestOf(context)!, 'abc', exp(5), verifier);
    expect(socket.listenerCount('close')).toBe(1);
    await jest.advanceTimersByTimeAsync(4999);
    expect(socket.close).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.close).toHaveBeenCalledWith(4401, 'TokenExpired');
    expect(verifier.verify).not.toHaveBeenCalled();
  });

  it('with revocationCheck, asks again at its cache period and closes with 4401 TokenRevoked', async () => {
    let revoked = false;
    const verifier = verifierThat(
      () =>
        revoked
          ? Promise.reject(new CognitoUnauthorizedError('TokenRevoked', 'r'))
          : Promise.resolve({ exp: exp(3600) }),
      2000,
    );
    const { socket, context } = mercuriusContext({ authorization: 'Bearer abc' });
    watchGraphQLConnection(graphqlRequestOf(context)!, 'abc', exp(3600), verifier);
    await jest.advanceTimersByTimeAsync(4000);
    expect(verifier.verify).toHaveBeenCalledTimes(2);
    revoked = true;
    await jest.advanceTimersByTimeAsync(2000);
    expect(socket.close).toHaveBeenCalledWith(4401, 'TokenRevoked');
  });

  it('stops with the socket', async () => {
    const { socket, context } = mercuriusContext({ authorization: 'Bearer abc' });
    watchGraphQLConnection(
      graphqlRequestOf(context)!,
      'abc',
      exp(5),
      verifierThat(() => Promise.resolve({})),
    );
    expect(isConnectionWatched(socket)).toBe(true);
    socket.emit('close');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(socket.close).not.toHaveBeenCalled();
  });

  it(
    "finds Mercurius's WebSocket without the helper, from the upgrade request's TCP socket (ws's " +
      "Symbol('websocket'))",
    async () => {
      const socket = wsSocket();
      const tcp = { [Symbol('websocket')]: socket };
      const upgrade = { headers: { upgrade: 'websocket' }, raw: { socket: tcp } };
      expect(webSocketOfUpgrade(upgrade)).toBe(socket);
      const context = { _connectionInit: { authorization: 'Bearer abc' }, reply: { request: upgrade } };
      watchGraphQLConnection(
        graphqlRequestOf(context)!,
        'abc',
        exp(1),
        verifierThat(() => Promise.resolve({})),
      );
      await jest.advanceTimersByTimeAsync(1000);
      expect(socket.close).toHaveBeenCalledWith(4401, 'TokenExpired');
    },
  );

  it.each([
    [
      'Mercurius without the helper',
      () => mercuriusContext({ authorization: 'Bearer abc' }, wsSocket(), false),
      'cognitoMercuriusSubscription',
    ],
    [
      'Apollo without extra.socket',
      () => apolloContext({ authorization: 'Bearer abc' }, null),
      'cognitoGraphQLWsOnConnect',
    ],
  ])('%s and no socket found: refuses (fails closed), naming the helper', (_case, make, helper) => {
    const request = graphqlRequestOf(make().context)!;
    let thrown: unknown;
    try {
      watchGraphQLConnection(
        request,
        'abc',
        exp(5),
        verifierThat(() => Promise.resolve({})),
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CognitoGraphQLError);
    expect((thrown as CognitoGraphQLError).message).toContain(`${helper}(verifier)`);
    expect((thrown as CognitoGraphQLError).extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      cognitoCode: 'CognitoMisconfigured',
    });
  });

  it('leaves an HTTP request alone', () => {
    expect(() =>
      watchGraphQLConnection(
        { headers: {} },
        'abc',
        exp(5),
        verifierThat(() => Promise.resolve({})),
      ),
    ).not.toThrow();
  });
});
