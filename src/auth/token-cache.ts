import { hash } from 'node:crypto';

/**
 * @internal A bounded map from tokens to values that expire: keyed by the token's
 * SHA-256, so that it never holds a token; the oldest entries go first when full,
 * which bounds memory under a flood of distinct tokens.
 */
export class TokenCache<T> {
  private readonly entries = new Map<string, { expiresAt: number; value: T }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The cache key of `token`. */
  keyOf(token: string): string {
    // One-shot: no Hash object per lookup.
    return hash('sha256', token, 'base64url');
  }

  /** The value kept for `key`, unless it has expired. */
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `value` until `expiresAt` (epoch milliseconds); nothing when that has passed. */
  set(key: string, value: T, expiresAt: number): void {
    if (expiresAt <= this.now()) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { expiresAt, value });
  }

  /** Forgets `key` if it still holds `value`. */
  deleteIf(key: string, value: T): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  /** How many entries are kept (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }
}
