import { EventEmitter } from 'node:events';
import type { WebSocketAdapter } from '@nestjs/common';
import { CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { socketRequest } from './socket-request';
import { withCognitoHandshake } from './with-cognito-handshake';
import { toWsRefusal } from '../../errors/ws-refusal';

/** An adapter whose connections this spec opens by hand, as a `ws` server's `connection` event would. */
function fakeAdapter() {
  const callbacks: Array<(...args: unknown[]) => unknown> = [];
  const adapter = {
    bindClientConnect: (_server: unknown, callback: (...args: unknown[]) => unknown) => callbacks.push(callback),
  } as unknown as WebSocketAdapter;
  return { adapter, connect: (...args: unknown[]) => callbacks.forEach((callback) => callback(...args)) };
}

class FakeWsSocket extends EventEmitter {
  readyState = 1;
  sent: string[] = [];
  send(data: string) {
    this.sent.push(data);
  }
}

describe('withCognitoHandshake', () => {
  it("records the upgrade request's Authorization header and still hands the connection to Nest", () => {
    const { adapter, connect } = fakeAdapter();
    const seen: unknown[][] = [];
    expect(withCognitoHandshake(adapter)).toBe(adapter);
    adapter.bindClientConnect({}, (...args: unknown[]) => seen.push(args));
    const client = new FakeWsSocket();
    const request = { headers: { authorization: 'Bearer abc' } };
    connect(client, request);
    expect(seen).toEqual([[client, request]]);
    expect(socketRequest(client).headers).toEqual({ authorization: 'Bearer abc' });
  });

  it(
    "sends the guard's refusals to a ws client as an exception message, once however many gateways share the " +
      'server',
    async () => {
      const { adapter, connect } = fakeAdapter();
      withCognitoHandshake(adapter);
      adapter.bindClientConnect({}, () => undefined);
      adapter.bindClientConnect({}, () => undefined);
      const client = new FakeWsSocket();
      connect(client, { headers: {} });
      const refusal = (
        (await toWsRefusal(new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required'))) as {
          getError(): object;
        }
      ).getError();
      client.emit('exception', refusal);
      client.emit('exception', { status: 'error', message: 'Internal server error' });
      expect(client.sent.map((data) => JSON.parse(data))).toEqual([{ event: 'exception', data: refusal }]);
      client.readyState = 3;
      client.emit('exception', refusal);
      expect(client.sent).toHaveLength(1);
    },
  );

  it('leaves socket.io sockets alone: they carry their handshake and send their own events', () => {
    const { adapter, connect } = fakeAdapter();
    withCognitoHandshake(adapter);
    adapter.bindClientConnect({}, () => undefined);
    const socket = Object.assign(new FakeWsSocket(), { handshake: { auth: { token: 'abc' }, headers: {} } });
    connect(socket);
    expect(socket.listenerCount('exception')).toBe(0);
    expect(socketRequest(socket).headers).toEqual({ authorization: 'Bearer abc' });
  });
});
