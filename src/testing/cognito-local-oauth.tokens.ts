import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * cognito-local's signing key, read from its package: it signs every token of the
 * emulator with this public, well-known key, so the testing kit (dev-only, never
 * shipped to production use) can re-sign an ID token with it to add what
 * cognito-local leaves out (`nonce`). A token signed with it is worthless anywhere
 * but against cognito-local's JWKS.
 */
export function cognitoLocalSigningKey(startScript: string): string {
  const file = join(dirname(startScript), '..', 'keys', 'cognitoLocal.private.json');
  const { pem } = JSON.parse(readFileSync(file, 'utf8')) as { pem?: unknown };
  if (typeof pem !== 'string') throw new Error(`cognito-local's signing key was not found in ${file}`);
  return pem;
}

/** The payload of a JWT, unverified: only for tokens this kit just received from cognito-local. */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (part === undefined) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same claims plus `extra`, signed RS256 with kid `CognitoLocal` as cognito-local signs them. */
export function resigned(token: string, extra: Record<string, unknown>, pem: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' });
  const input = `${header}.${encode({ ...jwtPayload(token), ...extra })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(pem, 'base64url')}`;
}

/**
 * A map that keeps at most `capacity` entries for at most `ttlMs` each (the oldest
 * goes first): what the front remembers between two requests of one flow is bounded.
 */
export class BoundedMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  set(key: string, value: V): void {
    this.entries.delete(key);
    while (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  /** Reads and forgets: each entry serves one flow once. */
  take(key: string): V | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry !== undefined && entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
