import type { Logger } from '@nestjs/common';

/** One line per minute at most: enough to see that it happens, too few to flood a log. */
const DEFAULT_INTERVAL_MS = 60_000;

/**
 * @internal A warning that callers can cause at will (a tampered cookie, a wrong username):
 * logged at most once per interval, the next line saying how many were left out meanwhile.
 * One instance per kind of line, so that its state is bounded.
 */
export class RateLimitedLog {
  private lastAt = -Infinity;
  private leftOut = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  warn(line: string): void {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) {
      this.leftOut += 1;
      return;
    }
    const more = this.leftOut > 0 ? ` (${this.leftOut} more like it since the last such line, not logged)` : '';
    this.lastAt = now;
    this.leftOut = 0;
    this.logger.warn(line + more);
  }
}
