import { copyJson } from '../internal/json-copy';
import { TokenCache } from './token-cache';

/**
 * @internal Claims of tokens already verified, until each token's `exp`: a client sends
 * the same token with every request, and the RSA check need not be redone each time.
 * Kept as a copy, and each hit gets its own copy: a caller may change what it got
 * (request.user, its groups array). Claims too deeply nested to copy are not kept.
 *
 * For each open connection it also remembers the last token found here, with its cache
 * key: a client on a kept-alive connection sends the same token again, which is then
 * known by its text, not hashed again (a few µs in a busy server). That entry goes with
 * the connection, or as soon as the cache lets the token go (expiry, eviction).
 */
export class VerifiedClaimsCache<T extends object> {
  private readonly cache = new TokenCache<T>();
  private readonly lastOnConnection = new WeakMap<object, { token: string; key: string }>();

  /** A copy of the claims kept for `token`, if any; `connection`: the request's socket, where there is one. */
  get(token: string, connection?: object): T | undefined {
    const last = connection === undefined ? undefined : this.lastOnConnection.get(connection);
    const key = last?.token === token ? last.key : this.cache.keyOf(token);
    const kept = this.cache.get(key);
    if (kept === undefined) {
      if (connection !== undefined && last?.key === key) this.lastOnConnection.delete(connection);
      return undefined;
    }
    if (connection !== undefined && last?.key !== key) this.lastOnConnection.set(connection, { token, key });
    return copyJson(kept);
  }

  /** How many tokens' claims are kept (for tests and metrics). */
  get size(): number {
    return this.cache.size;
  }

  /** Keeps a copy of `claims` for `token` until `expiresAt` (epoch milliseconds). */
  set(token: string, claims: T, expiresAt: number): void {
    let copy: T;
    try {
      copy = copyJson(claims);
    } catch {
      return; // Nested too deep to copy (a signed token can be): verified each time instead.
    }
    this.cache.set(this.cache.keyOf(token), copy, expiresAt);
  }
}
