import { EventEmitter } from 'node:events';
import { CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { rememberHandshake, socketRequest } from './socket-request';
import { watchSocketToken } from './socket-token-expiry';

const NOW = Date.UTC(2030, 0, 1);
const offline = { verify: () => Promise.resolve({}) };

/** What the client of each transport is sent, in order; socket.io's sockets have a `handshake`. */
function ioSocket() {
  const sent: unknown[] = [];
  const socket = Object.assign(new EventEmitter(), {
    handshake: { auth: { token: 'abc' } },
    disconnect: jest.fn((close: boolean) => {
      sent.push(['disconnect', close]);
      socket.emit('disconnect');
    }),
  });
  const emit = socket.emit.bind(socket);
  socket.emit = (event: string, ...args: unknown[]) => {
    if (event === 'exception') sent.push(['exception', args[0]]);
    return emit(event, ...args);
  };
  return { socket, sent };
}

function wsSocket() {
  const sent: unknown[] = [];
  const socket = Object.assign(new EventEmitter(), {
    readyState: 1,
    send: (data: string) => sent.push(['send', JSON.parse(data)]),
    close: (code: number, reason: string) => sent.push(['close', code, reason]),
  });
  rememberHandshake(socket, { headers: { authorization: 'Bearer abc' } });
  return { socket, sent };
}

const refusalOf = (code: string) => ({
  status: 'error',
  statusCode: 401,
  error: 'Unauthorized',
  message: expect.any(String),
  code,
});

describe('watchSocketToken', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it(
    'socket.io: at exp, emits the exception event with TokenExpired, then disconnects (closing the ' + 'connection)',
    async () => {
      const { socket, sent } = ioSocket();
      watchSocketToken(socketRequest(socket), 'abc', NOW / 1000 + 2, offline);
      await jest.advanceTimersByTimeAsync(1999);
      expect(sent).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([
        ['exception', refusalOf('TokenExpired')],
        ['disconnect', true],
      ]);
    },
  );

  it('ws: at exp, sends the exception message with TokenExpired, then closes with 4401', async () => {
    const { socket, sent } = wsSocket();
    watchSocketToken(socketRequest(socket), 'abc', NOW / 1000 + 2, offline);
    await jest.advanceTimersByTimeAsync(2000);
    expect(sent).toEqual([
      ['send', { event: 'exception', data: refusalOf('TokenExpired') }],
      ['close', 4401, 'TokenExpired'],
    ]);
  });

  it('with revocationCheck, ends the socket with TokenRevoked at the re-check that finds it revoked', async () => {
    const { socket, sent } = wsSocket();
    const verifier = {
      verify: jest.fn().mockRejectedValue(new CognitoUnauthorizedError('TokenRevoked', 'revoked')),
      revocationCacheMs: 1000,
    };
    watchSocketToken(socketRequest(socket), 'abc', NOW / 1000 + 3600, verifier);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([
      ['send', { event: 'exception', data: refusalOf('TokenRevoked') }],
      ['close', 4401, 'TokenRevoked'],
    ]);
  });

  it('stops when the socket goes (disconnect, close), and leaves anything but a socket alone', async () => {
    const io = ioSocket();
    watchSocketToken(socketRequest(io.socket), 'abc', NOW / 1000 + 2, offline);
    io.socket.emit('disconnect');
    const ws = wsSocket();
    watchSocketToken(socketRequest(ws.socket), 'abc', NOW / 1000 + 2, offline);
    ws.socket.emit('close');
    watchSocketToken({ headers: {} }, 'abc', NOW / 1000 + 2, offline);
    await jest.advanceTimersByTimeAsync(10_000);
    expect([io.sent, ws.sent]).toEqual([[], []]);
  });
});
