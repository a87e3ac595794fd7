import { connectionAuthorization, graphqlRequestOf } from './graphql-request';

/** graphql-ws's connection context, as graphql-ws 6 makes it. */
const connection = (connectionParams?: Record<string, unknown>, cookie?: string) => ({
  connectionInitReceived: true,
  acknowledged: true,
  subscriptions: {},
  extra: { socket: {}, request: { headers: { cookie } } },
  connectionParams,
});

describe('graphqlRequestOf', () => {
  it('is `req` on Apollo, `reply.request` on Mercurius, and undefined when there is neither', () => {
    const req = { headers: {} };
    expect(graphqlRequestOf({ req })).toBe(req);
    expect(graphqlRequestOf({ reply: { request: req }, app: {} })).toBe(req);
    expect(graphqlRequestOf({ app: {} })).toBeUndefined();
    expect(graphqlRequestOf(undefined)).toBeUndefined();
    expect(graphqlRequestOf({ req: 'not a request' })).toBeUndefined();
  });

  it(
    "stands in for a graphql-ws connection with connectionParams' authorization only, never the upgrade's " + 'cookies',
    () => {
      const ws = connection({ authorization: 'Bearer abc' }, 'access_token=from-cookie');
      expect(graphqlRequestOf({ req: ws })).toEqual({ headers: { authorization: 'Bearer abc' } });
      expect(graphqlRequestOf({ req: connection(undefined, 'access_token=from-cookie') })).toEqual({ headers: {} });
    },
  );

  it(
    'gives a connection that sent both authorization and Authorization a stand-in with two Authorization ' +
      'headers (refused)',
    () => {
      const ws = connection({ authorization: 'Bearer a', Authorization: 'Bearer b' });
      expect(graphqlRequestOf({ req: ws })).toEqual({
        headers: {},
        rawHeaders: ['authorization', 'Bearer a', 'Authorization', 'Bearer b'],
      });
    },
  );

  it(
    'gives the same stand-in for each subscription of a connection (the guard writes the claims, ' +
      '@CognitoUser() reads them)',
    () => {
      const ws = connection({ Authorization: 'Bearer abc' });
      const first = graphqlRequestOf({ req: ws });
      expect(graphqlRequestOf({ req: ws })).toBe(first);
      expect(graphqlRequestOf({ req: connection({ Authorization: 'Bearer abc' }) })).not.toBe(first);
    },
  );
});

describe('graphqlRequestOf on a Mercurius WebSocket (subscriptions, fullWsTransport)', () => {
  /** Mercurius 16's upgrade request, after it copied connectionParams into the headers it lacked. */
  const upgrade = (headers: Record<string, string> = {}) => ({
    headers: {
      upgrade: 'websocket',
      connection: 'Upgrade',
      origin: 'https://evil.example',
      cookie: 'access_token=victim',
      ...headers,
    },
  });

  it(
    "stands in with connectionParams' authorization only: never the upgrade request, its cookie, or the " +
      'headers copied into it',
    () => {
      const request = upgrade({ authorization: 'Bearer copied-or-real' });
      expect(graphqlRequestOf({ reply: { request }, _connectionInit: { authorization: 'Bearer abc' } })).toEqual({
        headers: { authorization: 'Bearer abc' },
      });
      expect(graphqlRequestOf({ reply: { request: upgrade({ authorization: 'Bearer real' }) } })).toEqual({
        headers: {},
      });
      expect(
        graphqlRequestOf({
          reply: { request: upgrade() },
          _connectionInit: { headers: { authorization: 'Bearer nested' } },
        }),
      ).toEqual({
        headers: {},
      });
    },
  );

  it(
    'reads a fullWsTransport query’s context (the upgrade request as `request`, no reply), and no `request` ' +
      'that is not an upgrade',
    () => {
      expect(graphqlRequestOf({ request: upgrade(), _connectionInit: { Authorization: 'Bearer abc' } })).toEqual({
        headers: { authorization: 'Bearer abc' },
      });
      expect(graphqlRequestOf({ request: { headers: { authorization: 'Bearer abc' } } })).toBeUndefined();
    },
  );

  it('gives the same stand-in for each operation of a connection, and refuses both spellings as two headers', () => {
    const request = upgrade();
    const first = graphqlRequestOf({ reply: { request }, _connectionInit: { authorization: 'Bearer abc' } });
    expect(graphqlRequestOf({ reply: { request }, _connectionInit: { authorization: 'Bearer abc' } })).toBe(first);
    const both = graphqlRequestOf({
      reply: { request: upgrade() },
      _connectionInit: { authorization: 'Bearer a', Authorization: 'Bearer b' },
    });
    expect(both).toEqual({ headers: {}, rawHeaders: ['authorization', 'Bearer a', 'Authorization', 'Bearer b'] });
  });
});

describe('connectionAuthorization', () => {
  it('reads authorization, else Authorization, as a string only', () => {
    expect(connectionAuthorization({ authorization: 'Bearer a' })).toBe('Bearer a');
    // Both spellings: which one is meant cannot be known.
    expect(connectionAuthorization({ authorization: 'Bearer a', Authorization: 'Bearer b' })).toBeUndefined();
    expect(connectionAuthorization({ Authorization: 'Bearer b' })).toBe('Bearer b');
    expect(connectionAuthorization({ authorization: ['Bearer a'] })).toBeUndefined();
    expect(connectionAuthorization({ authorization: { toString: () => 'Bearer a' } })).toBeUndefined();
    expect(connectionAuthorization(JSON.parse('{"__proto__": {"authorization": "Bearer p"}}'))).toBeUndefined();
    expect(connectionAuthorization(undefined)).toBeUndefined();
  });

  it('never reads an Authorization inherited from the prototype chain', () => {
    const params = Object.create({ Authorization: 'Bearer inherited' }) as Record<string, unknown>;
    expect(connectionAuthorization(params)).toBeUndefined();
  });
});
