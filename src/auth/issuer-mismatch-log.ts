import type { Logger } from '@nestjs/common';
import { quotedUntrustedText } from '../errors/log-safe-text';
import { RateLimitedLog } from '../internal/rate-limited-log';

/**
 * Warns that a token was refused because its `iss` is not the pool's. Without it, a
 * module configured with another spelling of the pool's address than the tokens carry
 * answers 401 to every request with nothing in the log. The received `iss` is
 * unverified input: sanitised and cut (see {@link quotedUntrustedText}); a client (or an
 * attacker) sending such tokens must not flood the log: one line a minute at most.
 */
export class IssuerMismatchLog {
  private readonly log: RateLimitedLog;

  constructor(
    logger: Pick<Logger, 'warn'>,
    private readonly expected: readonly string[],
    now: () => number = Date.now,
  ) {
    this.log = new RateLimitedLog(logger, undefined, now);
  }

  report(iss: unknown): void {
    this.log.warn(
      `Token refused: its issuer ${quotedUntrustedText(iss)} is not this pool's (expected ` +
        `${this.expected.join(' or ')}). ` +
        "If the tokens come from this pool, the module's endpoint (or jwt.issuer) must name the address the tokens do",
    );
  }
}
