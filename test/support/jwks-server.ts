import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A key pair that signs RS256 tokens the way Cognito does, with a chosen `kid`. */
export class TestSigner {
  private readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, string>;

  constructor(readonly kid = 'test-key') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = {
      ...(publicKey.export({ format: 'jwk' }) as Record<string, string>),
      kid,
      alg: 'RS256',
      use: 'sig',
    };
  }

  /** A signed JWT; `kid` overrides the header's key id (e.g. to impersonate another issuer's key). */
  sign(payload: Record<string, unknown>, kid = this.kid): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(payload)}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(this.privateKey, 'base64url')}`;
  }
}

/**
 * A JWKS endpoint this suite controls, over plain http on a free port, counting
 * its fetches: it serves a {@link TestSigner}'s key, or relays another JWKS
 * (e.g. cognito-local's) so that fetches of that one can be counted.
 */
export class JwksServer {
  fetches = 0;
  private server?: Server;
  /** Keys published after the first, for key rotations. */
  private readonly published: TestSigner[] = [];

  constructor(private readonly source: TestSigner | string) {}

  get uri(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  /** Listens on `port`, or a free one. */
  async start(port = 0): Promise<this> {
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      void this.body().then((body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  /** Serves `signer`'s key too from the next fetch on (a key rotation). */
  publish(signer: TestSigner): void {
    this.published.push(signer);
  }

  /** Stops it; nothing to do if it never started (a test that failed before). */
  async stop(): Promise<void> {
    const { server } = this;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async body(): Promise<string> {
    if (typeof this.source !== 'string')
      return JSON.stringify({ keys: [this.source, ...this.published].map((signer) => signer.publicJwk) });
    return (await fetch(this.source)).text();
  }
}
