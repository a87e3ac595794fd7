import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { bearerCandidate, isUpgradeRequest, repeatsAuthorization, requestToken, tokenOfRequest } from './request-token';

const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';

describe('requestToken', () => {
  it.each(['Bearer ', 'Bearer   ', 'bearer ', 'BEARER   '])(
    'reads the token of "%s<token>", trailing spaces allowed',
    (prefix) => {
      expect(requestToken({ authorization: `${prefix}${token}` }, undefined)).toBe(token);
      expect(requestToken({ authorization: `${prefix}${token}  ` }, undefined)).toBe(token);
    },
  );

  it.each([`Basic ${token}`, `Bearer`, `Bearer ${token} extra`, `Bearer ${token}\t`, `Bearer\t${token}`])(
    'refuses "%s"',
    (authorization) => {
      expect(() => requestToken({ authorization }, undefined)).toThrow(CognitoUnauthorizedError);
    },
  );

  it('reads the cookie only without an Authorization header, and refuses it sent twice', () => {
    expect(requestToken({ cookie: `id=${token}` }, 'id')).toBe(token);
    expect(requestToken({ authorization: '', cookie: `id=${token}` }, 'id')).toBe(token);
    expect(() => requestToken({ cookie: `id=${token}; id=other` }, 'id')).toThrow(CognitoUnauthorizedError);
  });

  it.each([
    ['Upgrade: websocket', { upgrade: 'websocket', connection: 'Upgrade' }],
    ['Upgrade in another case', { upgrade: 'WebSocket' }],
    ['Sec-WebSocket-Key alone', { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }],
    ["HTTP/2's extended CONNECT (:protocol)", { ':protocol': 'websocket' }],
  ])(
    'never reads the cookie of a WebSocket handshake (%s), on any path',
    (_case, handshake: Record<string, string>) => {
      const headers = { ...handshake, cookie: `id=${token}` };
      expect(isUpgradeRequest(headers)).toBe(true);
      expect(requestToken(headers, 'id')).toBeUndefined();
      expect(tokenOfRequest({ headers }, 'id')).toBeUndefined();
      // Not even to refuse a repeated one: the cookie is not looked at.
      expect(requestToken({ ...handshake, cookie: `id=${token}; id=other` }, 'id')).toBeUndefined();
      // A bearer token of a non-browser client still reads (a browser cannot set Authorization on a socket).
      expect(requestToken({ ...headers, authorization: `Bearer ${token}` }, 'id')).toBe(token);
    },
  );

  it('reads the cookie of a request that is no handshake', () => {
    expect(isUpgradeRequest({ connection: 'keep-alive', cookie: `id=${token}` })).toBe(false);
    expect(tokenOfRequest({ headers: { connection: 'keep-alive', cookie: `id=${token}` } }, 'id')).toBe(token);
  });
});

describe('bearerCandidate', () => {
  it.each(['Bearer ', 'Bearer   ', 'bearer ', 'BEARER   '])(
    'gives what requestToken reads from "%s<token>"',
    (prefix) => {
      for (const authorization of [`${prefix}${token}`, `${prefix}${token}   `]) {
        expect(bearerCandidate({ authorization })).toBe(requestToken({ authorization }, undefined));
      }
    },
  );

  it(
    'gives, for a header requestToken refuses, a string that no verified token can equal (it holds ' +
      'whitespace or is empty)',
    () => {
      for (const authorization of [`Bearer ${token} extra`, `Bearer ${token}\t`, 'Bearer   ']) {
        expect(() => requestToken({ authorization }, undefined)).toThrow(CognitoUnauthorizedError);
        expect(bearerCandidate({ authorization })).toMatch(/^$|\s/);
      }
    },
  );

  it('gives nothing without a Bearer header: the cookie and other schemes are requestToken’s', () => {
    expect(bearerCandidate({ cookie: `id=${token}` })).toBeUndefined();
    expect(bearerCandidate({ authorization: `Basic ${token}` })).toBeUndefined();
    expect(bearerCandidate({ authorization: `Bearer\t${token}` })).toBeUndefined();
    expect(bearerCandidate({ authorization: '' })).toBeUndefined();
  });
});

describe('repeatsAuthorization and tokenOfRequest', () => {
  const request = (rawHeaders: unknown[]) => ({ headers: { authorization: `Bearer ${token}` }, rawHeaders });

  it.each([
    ['two', ['Authorization', `Bearer ${token}`, 'authorization', 'Bearer other']],
    ['the same twice', ['authorization', `Bearer ${token}`, 'authorization', `Bearer ${token}`]],
    ['in any case', ['AUTHORIZATION', `Bearer ${token}`, 'Host', 'h', 'aUtHoRiZaTiOn', '']],
  ])('refuses a request with %s Authorization headers (401 TokenInvalid)', (_case, raw) => {
    expect(repeatsAuthorization(request(raw))).toBe(true);
    expect(() => tokenOfRequest(request(raw), undefined)).toThrow(
      expect.objectContaining({
        code: 'TokenInvalid',
        message: 'The request carries more than one Authorization header',
      }),
    );
  });

  it("reads Fastify's raw request, and lets one Authorization header, or none, through", () => {
    const raw = ['authorization', `Bearer ${token}`, 'Authorization', 'Bearer other'];
    expect(repeatsAuthorization({ headers: {}, raw: { rawHeaders: raw } })).toBe(true);
    expect(
      tokenOfRequest(request(['Host', 'h', 'Authorization', `Bearer ${token}`, 'X-Authorization', 'x']), undefined),
    ).toBe(token);
    expect(repeatsAuthorization({ headers: {}, rawHeaders: ['Host', 'h'] })).toBe(false);
    expect(repeatsAuthorization({ headers: {} })).toBe(false);
  });
});

describe('tokenOfRequest, the guard’s one reader, with the tokens it has verified', () => {
  it(
    'asks about the token it reads, from the header or the cookie, and keeps every refusal for tokens not ' +
      'vouched for',
    () => {
      const verifiedBefore = jest.fn((read: string) => read === token);
      expect(tokenOfRequest({ headers: { authorization: `Bearer ${token}` } }, 'id', verifiedBefore)).toBe(token);
      expect(tokenOfRequest({ headers: { cookie: `id=${token}` } }, 'id', verifiedBefore)).toBe(token);
      expect(verifiedBefore.mock.calls).toEqual([[token], [token]]);
      for (const authorization of [`Bearer ${token} extra`, `Bearer ${token}\t`, 'Bearer   ', `Basic ${token}`]) {
        expect(() => tokenOfRequest({ headers: { authorization } }, 'id', verifiedBefore)).toThrow(
          CognitoUnauthorizedError,
        );
      }
      expect(() => tokenOfRequest({ headers: { cookie: `id=${token}; id=${token}` } }, 'id', verifiedBefore)).toThrow(
        CognitoUnauthorizedError,
      );
      const repeated = {
        headers: { authorization: `Bearer ${token}` },
        rawHeaders: ['authorization', `Bearer ${token}`, 'Authorization', 'x'],
      };
      expect(() => tokenOfRequest(repeated, 'id', verifiedBefore)).toThrow(CognitoUnauthorizedError);
      expect(
        tokenOfRequest({ headers: { upgrade: 'websocket', cookie: `id=${token}` } }, 'id', verifiedBefore),
      ).toBeUndefined();
    },
  );
});
