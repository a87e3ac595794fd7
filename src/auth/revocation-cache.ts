import { TokenCache } from './token-cache';

/**
 * Remembers, for a short while, whether Cognito still accepts a token, so that
 * the revocation check costs one `GetUser` per token and period, not per request.
 * Keyed by the token's SHA-256: the cache never holds a token. Concurrent checks
 * of one token share one call; failed calls (Cognito unreachable) are not kept.
 */
export class RevocationCache {
  private readonly answers: TokenCache<Promise<boolean>>;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.answers = new TokenCache(10_000, now);
  }

  /** Whether the token is still accepted: a cached answer, or `ask()`'s. */
  isAccepted(token: string, ask: () => Promise<boolean>): Promise<boolean> {
    const key = this.answers.keyOf(token);
    const cached = this.answers.get(key);
    if (cached) return cached;
    const answer = ask();
    this.answers.set(key, answer, this.now() + this.ttlMs);
    answer.catch(() => this.answers.deleteIf(key, answer));
    return answer;
  }

  /** How many answers are kept (for tests and metrics). */
  get size(): number {
    return this.answers.size;
  }
}
