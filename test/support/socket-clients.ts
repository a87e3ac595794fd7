import { once } from 'node:events';
import { io } from 'socket.io-client';
import WebSocket from 'ws';

/** The two WebSocket platforms of NestJS: every gateway case runs on both. */
export type Transport = 'socket.io' | 'ws';
export const TRANSPORTS: Transport[] = ['socket.io', 'ws'];

/** One event the server sent: a gateway's reply, or its `exception` event. */
export interface Received {
  event: string;
  data: any;
}

/** A connected client that sends one message at a time and reads the server's next event. */
export interface SocketClient {
  /** Sends `event` and resolves with the next event the server sends (its reply, or `exception`). */
  ask(event: string, data?: unknown): Promise<Received>;
  close(): void;
}

/** How the client gives its token at the handshake. */
export interface Credentials {
  /** socket.io's `auth: { token }`. */
  authToken?: string;
  /** The `Authorization` header of the handshake (any transport); several: that many headers. */
  authorization?: string | string[];
  /** A connection ticket: socket.io's `auth: { ticket }`, `?ticket=` on a plain ws URL. */
  ticket?: string;
  /** The `Cookie` header of the handshake, as a browser sends it with any site's socket. */
  cookie?: string;
}

/** Connects to the gateway at `path` of `baseUrl` (http://host:port), over `transport`. */
export async function connectSocket(
  transport: Transport,
  baseUrl: string,
  path: string,
  credentials: Credentials = {},
): Promise<SocketClient> {
  // An array goes to Node's setHeader as it is: one header line per value.
  const given: Record<string, string | string[]> = {};
  if (credentials.authorization !== undefined) given.authorization = credentials.authorization;
  if (credentials.cookie !== undefined) given.cookie = credentials.cookie;
  const headers = Object.keys(given).length === 0 ? undefined : (given as Record<string, string>);
  const inbox = new Inbox();
  if (transport === 'socket.io') {
    const socket = io(baseUrl, {
      path,
      transports: ['websocket'],
      auth: {
        ...(credentials.authToken === undefined ? {} : { token: credentials.authToken }),
        ...(credentials.ticket === undefined ? {} : { ticket: credentials.ticket }),
      },
      extraHeaders: headers,
      reconnection: false,
      forceNew: true,
    });
    socket.onAny((event: string, data: unknown) => inbox.push({ event, data }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { ask: (event, data) => inbox.next(() => socket.emit(event, data)), close: () => socket.close() };
  }
  const query = credentials.ticket === undefined ? '' : `?ticket=${encodeURIComponent(credentials.ticket)}`;
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}${query}`, { headers });
  socket.on('message', (raw) => inbox.push(JSON.parse(String(raw)) as Received));
  await once(socket, 'open');
  return {
    ask: (event, data) => inbox.next(() => socket.send(JSON.stringify({ event, data }))),
    close: () => socket.close(),
  };
}

/** Events in the order they came, each handed to the first caller waiting for one. */
class Inbox {
  private readonly received: Received[] = [];
  private readonly waiting: Array<(received: Received) => void> = [];

  push(received: Received): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(received);
    else this.received.push(received);
  }

  next(send: () => void): Promise<Received> {
    const answer = new Promise<Received>((resolve) => {
      const received = this.received.shift();
      if (received) resolve(received);
      else this.waiting.push(resolve);
    });
    send();
    return answer;
  }
}
