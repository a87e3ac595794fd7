import { WaitPeriodNotYetEndedJwkError } from 'aws-jwt-verify/error';
import type { PenaltyBox } from 'aws-jwt-verify/jwk';

/** aws-jwt-verify's default back-off after a fetched JWKS lacked a token's `kid` (here also after a failed fetch). */
export const JWKS_PENALTY_MS = 10_000;

/**
 * @internal aws-jwt-verify's penalty box, made observable: after a fetched JWKS
 * lacked a token's `kid`, or a token's fetch failed (`PoolJwksCache`), no new fetch
 * for {@link JWKS_PENALTY_MS}, so that tokens with made-up `kid`s cannot make the
 * app hammer the JWKS URI, reachable or not. Unlike
 * `SimplePenaltyBox` it starts no timer per failed attempt (a flood of
 * concurrent probes would start one each) and tells how long the wait still
 * runs, for `Retry-After`. One entry per JWKS URI, and only the verifier's own
 * URIs reach it (the token's `iss` is checked first): bounded.
 */
export class JwksPenaltyBox implements PenaltyBox {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly waitMs = JWKS_PENALTY_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async wait(jwksUri: string): Promise<void> {
    if (this.remainingMs(jwksUri) > 0) {
      throw new WaitPeriodNotYetEndedJwkError(
        'Not allowed to fetch JWKS yet, still waiting for back off period to end',
      );
    }
  }

  registerFailedAttempt(jwksUri: string): void {
    this.until.set(jwksUri, this.now() + this.waitMs);
  }

  registerSuccessfulAttempt(jwksUri: string): void {
    this.until.delete(jwksUri);
  }

  /** How long fetches of `jwksUri` (or, without it, of any URI) stay refused, in ms; 0 when they are not. */
  remainingMs(jwksUri?: string): number {
    let remaining = 0;
    for (const [uri, until] of this.until) {
      const left = until - this.now();
      if (left <= 0) this.until.delete(uri);
      else if (jwksUri === undefined || uri === jwksUri) remaining = Math.max(remaining, left);
    }
    return remaining;
  }

  /** How many URIs are waiting (for tests and metrics). */
  get size(): number {
    return this.until.size;
  }
}
