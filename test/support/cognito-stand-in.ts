import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CognitoModuleOptions } from '../../src';

/** One request as the stand-in received it. */
export interface StandInRequest {
  operation: string;
  body: Record<string, any>;
}

export type StandInHandler = (request: StandInRequest, res: ServerResponse) => void;

/**
 * A small wire-level stand-in for the Cognito JSON protocol (`POST /` with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`), for what
 * cognito-local cannot show: it records every request exactly as the SDK sent it,
 * and it can misbehave like a real network: refuse connections ({@link refuse}),
 * hang ({@link hold}), reset sockets, throttle, fail and answer garbage (the
 * handlers below).
 */
export class CognitoStandIn {
  readonly requests: StandInRequest[] = [];
  private server?: Server;
  private port = 0;
  private readonly held = new Set<{ request: StandInRequest; res: ServerResponse }>();
  private readonly events = new EventEmitter();

  constructor(private handler: StandInHandler = answerWithTokens) {
    this.events.setMaxListeners(0);
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests held by {@link hold} and not yet released. */
  get heldCount(): number {
    return this.held.size;
  }

  respondWith(handler: StandInHandler): void {
    this.handler = handler;
  }

  /** Hangs every request (or those `which` picks, answering the rest with `otherwise`) until {@link release}. */
  hold(which: (request: StandInRequest) => boolean = () => true, otherwise: StandInHandler = answerWithTokens): void {
    this.handler = (request, res) => {
      if (!which(request)) return otherwise(request, res);
      this.held.add({ request, res });
      this.events.emit('held', this.held.size);
    };
  }

  /** Answers the held requests with `handler`, and later ones too. */
  release(handler: StandInHandler = answerWithTokens): void {
    this.handler = handler;
    for (const entry of this.held) {
      this.held.delete(entry);
      if (!entry.res.destroyed) handler(entry.request, entry.res);
    }
  }

  /** Resolves once `count` requests are held. */
  async heldAtLeast(count: number): Promise<void> {
    while (this.held.size < count) await once(this.events, 'held');
  }

  /** Resolves with the next request the stand-in receives. */
  async nextRequest(): Promise<StandInRequest> {
    const [request] = await once(this.events, 'request');
    return request as StandInRequest;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Closes the port: connections are refused until {@link accept}. */
  async refuse(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the same port (and endpoint) after {@link refuse}. */
  async accept(): Promise<void> {
    if (!this.server?.listening) await this.start();
  }

  async stop(): Promise<void> {
    this.held.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server?.listening ? this.server.close(() => resolve()) : resolve()));
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const request = {
      operation: target.split('.').pop() ?? '',
      body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
    };
    this.requests.push(request);
    this.events.emit('request', request);
    this.handler(request, res);
  }
}

/** Module options that point at `standIn`: a made-up pool and app client, dummy AWS credentials. */
export function standInOptions(standIn: CognitoStandIn): CognitoModuleOptions {
  return {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_StandIn1',
    clientId: 'standinclient123',
    endpoint: standIn.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  };
}

/** Resets the connection without an answer (the SDK sees ECONNRESET). */
export function destroySocket(_request: StandInRequest, res: ServerResponse): void {
  res.socket?.destroy();
}

/** An answer that is not Cognito's JSON, as a proxy or a captive portal might give. */
export function answerGarbage(status: number): StandInHandler {
  return (_request, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end('<html><body>Bad gateway</body></html>');
  };
}

/** Writes a Cognito JSON answer. */
export function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stand-in-request' });
  res.end(JSON.stringify(body));
}

/** A Cognito error as AWS sends it: HTTP 400 with `__type`. */
export function replyError(res: ServerResponse, name: string, message: string, status = 400): void {
  reply(res, status, { __type: name, message });
}

/** AdminInitiateAuth answered as on AWS: tokens, no refresh token. */
export function answerWithTokens(_request: StandInRequest, res: ServerResponse): void {
  reply(res, 200, {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: 'stand-in-access',
      ExpiresIn: 3600,
      TokenType: 'Bearer',
      IdToken: 'stand-in-id',
    },
  });
}
