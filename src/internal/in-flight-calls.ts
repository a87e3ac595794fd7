/**
 * @internal The Cognito calls a service has under way: identical refreshes
 * share one call (keyed by a hash, never by a token), and shutdown waits for
 * every call to settle. Nothing is kept once a call settles: this is not a cache.
 */
export class InFlightCalls {
  private readonly shared = new Map<string, { call: Promise<unknown>; callers: number }>();
  private readonly pending = new Set<Promise<unknown>>();

  /** Calls that identical requests are sharing right now. */
  get sharedCount(): number {
    return this.shared.size;
  }

  /** Calls under way, shared or not. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * The call under way for `key`, or a new one from `start`. Every caller gets
   * the same outcome; the entry is removed as soon as the call settles. With
   * `copy`, a result that several callers share reaches each one as its own copy
   * (a caller alone gets the result itself).
   */
  share<T>(key: string, start: () => Promise<T>, copy?: (value: T) => T): Promise<T> {
    let entry = this.shared.get(key) as { call: Promise<T>; callers: number } | undefined;
    if (entry === undefined) {
      const created: { call: Promise<T>; callers: number } = {
        // Only its own entry: a call that was forgotten must not remove the one that replaced it.
        call: start().finally(() => this.shared.get(key) === created && this.shared.delete(key)),
        callers: 0,
      };
      entry = created;
      this.shared.set(key, entry);
    }
    entry.callers += 1;
    if (copy === undefined) return entry.call;
    // Settled calls leave the map before any caller resumes: the count is final by then.
    const joined = entry;
    return joined.call.then((value) => (joined.callers > 1 ? copy(value) : value));
  }

  /**
   * Later callers no longer join the calls under way whose key starts with `prefix`:
   * they start a call of their own. Those already waiting still get their outcome.
   */
  forget(prefix: string): void {
    for (const key of this.shared.keys()) if (key.startsWith(prefix)) this.shared.delete(key);
  }

  /** Tracks `call` until it settles, for {@link idle}. */
  track<T>(call: Promise<T>): Promise<T> {
    const tracked = call.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    // The caller handles the rejection; the set must not count as a second, unhandled one.
    tracked.catch(() => undefined);
    return tracked;
  }

  /** Resolves once no call is under way, including calls started while waiting. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
