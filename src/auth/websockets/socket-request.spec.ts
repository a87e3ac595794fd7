import { Logger } from '@nestjs/common';
import type { CognitoClaims } from '../cognito-claims';
import { rememberHandshake, socketRequest } from './socket-request';

const socketIo = (handshake: { auth?: Record<string, unknown>; headers?: Record<string, unknown> }) => ({
  handshake: { auth: {}, headers: {}, ...handshake },
});
const claims = (exp: number) => ({ sub: 'user', exp }) as unknown as CognitoClaims;
const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

describe('socketRequest', () => {
  it("reads socket.io's auth.token first, as a bearer token, then the handshake's Authorization header", () => {
    expect(socketRequest(socketIo({ auth: { token: 'abc' }, headers: { authorization: 'Bearer abc' } }))).toMatchObject(
      {
        headers: { authorization: 'Bearer abc' },
        rawHeaders: ['authorization', 'Bearer abc'],
      },
    );
    expect(socketRequest(socketIo({ auth: { token: 'Bearer abc' } })).headers).toEqual({ authorization: 'Bearer abc' });
    expect(socketRequest(socketIo({ headers: { authorization: 'Bearer def' } })).headers).toEqual({
      authorization: 'Bearer def',
    });
    expect(socketRequest(socketIo({})).headers).toEqual({});
  });

  it(
    'keeps an Authorization header with another token beside auth.token, so that the guard refuses the two ' +
      '(as two headers)',
    () => {
      expect(
        socketRequest(socketIo({ auth: { token: 'abc' }, headers: { authorization: 'Bearer other' } })),
      ).toMatchObject({
        headers: { authorization: 'Bearer abc' },
        rawHeaders: ['authorization', 'Bearer abc', 'authorization', 'Bearer other'],
      });
    },
  );

  it('makes an auth.token that is not a string malformed (TokenInvalid), not absent', () => {
    expect(
      socketRequest(socketIo({ auth: { token: { forged: true } }, headers: { authorization: 'Bearer def' } })).headers,
    ).toEqual({
      authorization: 'Bearer ',
    });
  });

  it('never copies the cookie of a handshake (a cross-site page can open a socket with it)', () => {
    const request = socketRequest(socketIo({ headers: { cookie: 'access=abc' } }));
    expect(request.headers).toEqual({});
  });

  it("reads a ws socket's Authorization header as withCognitoHandshake recorded it", () => {
    const client = {};
    rememberHandshake(client, { headers: { authorization: 'Bearer ghi', cookie: 'access=abc' } });
    expect(socketRequest(client).headers).toEqual({ authorization: 'Bearer ghi' });
    const without = {};
    rememberHandshake(without, { headers: {} });
    expect(socketRequest(without).headers).toEqual({});
  });

  it(
    'keeps every Authorization header of the handshake in rawHeaders, the first in headers (the guard ' +
      'refuses two)',
    () => {
      const raw = ['Host', 'h', 'Authorization', 'Bearer a', 'authorization', 'Bearer b'];
      const ws = {};
      rememberHandshake(ws, { headers: { authorization: 'Bearer a' }, rawHeaders: raw });
      expect(socketRequest(ws)).toMatchObject({
        headers: { authorization: 'Bearer a' },
        rawHeaders: ['authorization', 'Bearer a', 'authorization', 'Bearer b'],
      });
      const io = { ...socketIo({ headers: { authorization: 'Bearer a' } }), request: { rawHeaders: raw } };
      expect(socketRequest(io).rawHeaders).toEqual(['authorization', 'Bearer a', 'authorization', 'Bearer b']);
      // socket.io's auth.token beside headers with other tokens: all of them, refused by the guard.
      expect(socketRequest({ ...socketIo({ auth: { token: 't' } }), request: { rawHeaders: raw } }).rawHeaders).toEqual(
        ['authorization', 'Bearer t', 'authorization', 'Bearer a', 'authorization', 'Bearer b'],
      );
    },
  );

  it('warns once when a ws socket has no recorded handshake (the adapter is not wrapped)', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      expect(socketRequest({}).headers).toEqual({});
      socketRequest({});
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toContain('withCognitoHandshake');
    } finally {
      warn.mockRestore();
    }
  });

  it('is one object per socket', () => {
    const client = socketIo({});
    expect(socketRequest(client)).toBe(socketRequest(client));
    expect(socketRequest(client)).not.toBe(socketRequest(socketIo({})));
  });

  it("keeps the claims of the socket's last check until their exp, never past it", () => {
    const request = socketRequest(socketIo({}));
    expect(request.user).toBeUndefined();
    const live = claims(inSeconds(60));
    request.user = live;
    expect(request.user).toBe(live);
    request.user = claims(inSeconds(-1));
    expect(request.user).toBeUndefined();
    request.user = live;
    request.user = undefined;
    expect(request.user).toBeUndefined();
  });
});

describe('a socket’s connection ticket (server-side sessions)', () => {
  const wsTicket = (url: string) => {
    const client = {};
    rememberHandshake(client, { url, headers: {} });
    return socketRequest(client).ticket;
  };

  it('is `?ticket=` on a plain ws handshake URL; sent twice, a ticket that fails (which is meant is unknown)', () => {
    expect(wsTicket('/ws?ticket=abc')).toBe('abc');
    expect(wsTicket('/ws?room=1&ticket=a%2Bb')).toBe('a+b');
    expect(wsTicket('/ws?ticket=a&ticket=b')).toBe('');
    expect(wsTicket('/ws')).toBeUndefined();
  });

  it('is socket.io’s auth.ticket; anything but a string is a ticket that fails', () => {
    const io = (auth: Record<string, unknown>) => socketRequest({ handshake: { auth, headers: {} } }).ticket;
    expect(io({ ticket: 'abc' })).toBe('abc');
    expect(io({ ticket: 42 })).toBe('');
    expect(io({ token: 'a.b.c' })).toBeUndefined();
  });
});
