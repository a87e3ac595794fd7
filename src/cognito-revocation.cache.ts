import { createHash } from 'node:crypto';

/** Bounds memory under a flood of distinct tokens; the oldest answers go first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  expiresAt: number;
  answer: Promise<boolean>;
}

/**
 * Remembers, for a short while, whether Cognito still accepts a token, so that
 * the revocation check costs one `GetUser` per token and period, not per request.
 * Keyed by the token's SHA-256: the cache never holds a token. Concurrent checks
 * of one token share one call; failed calls (Cognito unreachable) are not kept.
 */
export class RevocationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the token is still accepted: a cached answer, or `ask()`'s. */
  isAccepted(token: string, ask: () => Promise<boolean>): Promise<boolean> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.answer;
    if (cached) this.entries.delete(key);
    const answer = ask();
    if (this.ttlMs > 0) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { expiresAt: this.now() + this.ttlMs, answer });
      answer.catch(() => this.entries.get(key)?.answer === answer && this.entries.delete(key));
    }
    return answer;
  }

  /** How many answers are kept (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }
}
