import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in received it. */
export interface StandInRequest {
  operation: string;
  body: Record<string, any>;
}

export type StandInHandler = (request: StandInRequest, res: ServerResponse) => void;

/**
 * A small wire-level stand-in for the Cognito JSON protocol (`POST /` with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`), for what
 * cognito-local cannot show: it records every request exactly as the SDK sent it.
 */
export class CognitoStandIn {
  readonly requests: StandInRequest[] = [];
  private server?: Server;

  constructor(private handler: StandInHandler = answerWithTokens) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  respondWith(handler: StandInHandler): void {
    this.handler = handler;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const request = { operation: target.split('.').pop() ?? '', body: JSON.parse(Buffer.concat(chunks).toString() || '{}') };
    this.requests.push(request);
    this.handler(request, res);
  }
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
    AuthenticationResult: { AccessToken: 'stand-in-access', ExpiresIn: 3600, TokenType: 'Bearer', IdToken: 'stand-in-id' },
  });
}
