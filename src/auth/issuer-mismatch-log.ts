import type { Logger } from '@nestjs/common';
import { quotedUntrustedText } from '../errors/log-safe-text';

/** At most one warning per minute: a client (or an attacker) sending such tokens must not flood the log. */
const INTERVAL_MS = 60_000;

/**
 * Warns that a token was refused because its `iss` is not the pool's. Without it, a
 * module configured with another spelling of the pool's address than the tokens carry
 * answers 401 to every request with nothing in the log. The received `iss` is
 * unverified input: sanitised and cut (see {@link quotedUntrustedText}); warnings are
 * rate-limited, counting those left out.
 */
export class IssuerMismatchLog {
  private quietUntil = 0;
  private leftOut = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly expected: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  report(iss: unknown): void {
    const now = this.now();
    if (now < this.quietUntil) {
      this.leftOut++;
      return;
    }
    this.quietUntil = now + INTERVAL_MS;
    const more = this.leftOut > 0 ? ` (${this.leftOut} more since the last warning)` : '';
    this.leftOut = 0;
    this.logger.warn(
      `Token refused: its issuer ${quotedUntrustedText(iss)} is not this pool's (expected ` +
        `${this.expected.join(' or ')})${more}. ` +
        "If the tokens come from this pool, the module's endpoint (or jwt.issuer) must name the address the tokens do",
    );
  }
}
