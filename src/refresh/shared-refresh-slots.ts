import { Logger } from '@nestjs/common';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import type { ResolvedSharedRefresh, SharedRedisAdapter, SharedRedisClient } from '../options/shared-redis';
import { CognitoTimeoutError, tagOperation } from '../errors/cognito.errors';
import { InFlightCalls } from '../internal/in-flight-calls';
import { claimsOf, refreshDueAtMs, timeClaimMs } from '../internal/token-claims';
import { connectedClient, StoreFault, storeOp } from './shared-store-ops';
import { type SealedSlot, seal, sealedSlot, unseal } from './refresh-slot-cipher';
import {
  isSharedOutcome,
  rebuiltFailure,
  sharedFailure,
  type SharedOutcome,
  signedOutError,
} from './refresh-outcome-codec';

/**
 * What a slot holds while its holder calls Cognito: sealed like an outcome, so that a bare
 * "pending" (or any value) written by someone without the refresh token reads as tampering.
 */
const PENDING = { pending: true } as const;
/**
 * How far the instances' clocks may disagree. Every sealed value carries its own end (the
 * writer's clock); one read later than that, plus this, was put back by someone else: a
 * copy replayed with no expiry must not keep answering (or failing, or locking) for ever.
 */
const CLOCK_SKEW_MS = 5000;
/** The lock outlives the holder's call (bounded by `timeoutMs`) by this much: the store's round trips. */
const LOCK_MARGIN_MS = 1000;
/** A failure is kept only for the instances waiting now: a retry later calls Cognito again. */
const FAILURE_KEPT_MS = 1000;
/** Waiters poll the store: first after 10 ms, doubling up to every 100 ms. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

/**
 * @internal Refreshes shared across the app's instances (`sharedRefresh`), behind
 * `CognitoSharedRefresh` (shared-refresh.ts), which loads this file only when the option is on. Within
 * an instance, identical refreshes are already merged into one call of {@link run};
 * across instances, the first to take the slot's lock (SET NX PX) calls Cognito and
 * writes the sealed outcome into the slot, and the others poll the slot until it is
 * there. A success stays for `windowSeconds`, a failure for a second; a holder that
 * died leaves a lock that expires, and a waiter then takes it itself. The store down,
 * slow or answering garbage never fails a refresh: it is then made within this
 * instance, with one log line per outage. A sign-out leaves a mark beside the slots
 * (see {@link signedOut}): no answer kept from before it is handed out while it stands.
 */
export class SharedRefreshSlots {
  private readonly logger = new Logger('CognitoSyncService');
  private readonly waits = new InFlightCalls();
  private outage = false;

  constructor(
    private readonly options: ResolvedCognitoOptions,
    private readonly settings: ResolvedSharedRefresh,
  ) {}

  /** `call` (the Cognito call for this token and `context`), made once across every instance sharing the store. */
  run<T>(refreshToken: string, context: readonly unknown[], call: () => Promise<T>): Promise<T> {
    const { adapter } = this.settings;
    const { userPoolId, clientId } = this.options;
    const slot = sealedSlot(
      refreshToken,
      [userPoolId, clientId, ...context],
      (key) => adapter.createKeyPrefix?.(key, adapter.namespace) ?? key,
    );
    return this.waits.track(this.share(adapter, slot, this.markOf(adapter, refreshToken), call));
  }

  /**
   * `refreshToken` was signed out (revoked): a mark, sealed like the slots, kept as long as
   * any answer from before can be (a call under way, then the window), makes every instance
   * refuse the token as Cognito now does instead of serving that answer. The store down
   * costs the mark, never the sign-out: the slots are then unreadable too.
   */
  async signedOut(refreshToken: string): Promise<void> {
    const { adapter, windowMs } = this.settings;
    const mark = this.markOf(adapter, refreshToken);
    const keepMs = windowMs + this.options.timeoutMs + LOCK_MARGIN_MS;
    try {
      const client = await connectedClient(adapter);
      await storeOp(client.set(mark.name, sealUntil(mark, { signedOut: true }, keepMs), { PX: keepMs }));
      this.storeAnswers();
    } catch (error) {
      if (!(error instanceof StoreFault)) throw error;
      this.storeFailed(error.reason);
    }
  }

  /** The sign-out mark of a token: one per token, pool and app client, whatever the refresh's other inputs. */
  private markOf(adapter: SharedRedisAdapter, refreshToken: string): SealedSlot {
    const { userPoolId, clientId } = this.options;
    return sealedSlot(
      refreshToken,
      [userPoolId, clientId],
      (key) => adapter.createKeyPrefix?.(key, adapter.namespace) ?? key,
      'signed-out',
    );
  }

  /** Whether the token's sign-out mark stands; one that is not this token's seal is the store's fault. */
  private async isSignedOut(client: SharedRedisClient, mark: SealedSlot): Promise<boolean> {
    const value = await storeOp(client.get(mark.name));
    if (value === null || value === undefined) return false;
    const sealed =
      typeof value === 'string'
        ? (unseal(mark, value) as { signedOut?: unknown; until?: unknown } | undefined)
        : undefined;
    if (sealed?.signedOut !== true || typeof sealed.until !== 'number') throw new StoreFault('unreadable value');
    return sealed.until + CLOCK_SKEW_MS > Date.now();
  }

  /** Settles when the waits under way have ended (each is bounded by the deadline). */
  idle(): Promise<void> {
    return this.waits.idle();
  }

  private async share<T>(
    adapter: SharedRedisAdapter,
    slot: SealedSlot,
    mark: SealedSlot,
    call: () => Promise<T>,
  ): Promise<T> {
    const lockMs = this.options.timeoutMs + LOCK_MARGIN_MS;
    // A lock seen on arrival has expired by then: a waiter whose holder died takes over.
    const until = Date.now() + lockMs + MAX_POLL_MS;
    let pause = FIRST_POLL_MS;
    for (;;) {
      let outcome: SharedOutcome | undefined;
      try {
        const client = await connectedClient(adapter);
        if (
          (await storeOp(client.set(slot.name, sealUntil(slot, PENDING, lockMs), { NX: true, PX: lockMs }))) === 'OK'
        ) {
          // Signed out: the refusal goes into the slot like Cognito's would, for the instances waiting.
          const signedOut = await this.isSignedOut(client, mark);
          this.storeAnswers();
          return await this.hold(client, slot, signedOut ? () => Promise.reject(signedOutError()) : call);
        }
        const value = await storeOp(client.get(slot.name));
        outcome = value === null ? undefined : this.opened(slot, value);
        // An answer kept from before a sign-out is not handed out.
        if (outcome !== undefined && 'ok' in outcome && (await this.isSignedOut(client, mark)))
          outcome = sharedFailure(signedOutError());
        this.storeAnswers();
      } catch (error) {
        if (!(error instanceof StoreFault)) throw error;
        this.storeFailed(error.reason);
        return call();
      }
      if (outcome !== undefined) {
        if ('ok' in outcome) return outcome.ok as T;
        throw rebuiltFailure(outcome.failed);
      }
      const left = until - Date.now();
      if (left <= 0) {
        const timeout = new CognitoTimeoutError('Another instance did not finish this refresh in time');
        tagOperation(timeout, 'refreshTokens');
        throw timeout;
      }
      await this.sleep(Math.min(pause, left));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  /** This instance holds the lock: it calls Cognito and leaves the sealed outcome for the others. */
  private async hold<T>(client: SharedRedisClient, slot: SealedSlot, call: () => Promise<T>): Promise<T> {
    let outcome: SharedOutcome;
    let result: T | undefined;
    try {
      result = await call();
      outcome = { ok: result };
    } catch (error) {
      outcome = sharedFailure(error);
      await this.write(client, slot, outcome, FAILURE_KEPT_MS);
      throw error;
    }
    await this.write(client, slot, outcome, keptMs(result, this.settings.windowMs));
    return result;
  }

  /** Writes an outcome; a store that fails here costs the other instances a call of their own, never this answer. */
  private async write(
    client: SharedRedisClient,
    slot: SealedSlot,
    outcome: SharedOutcome,
    keepMs: number,
  ): Promise<void> {
    try {
      await storeOp(client.set(slot.name, sealUntil(slot, outcome, keepMs), { PX: keepMs }));
    } catch (error) {
      if (!(error instanceof StoreFault)) throw error;
      this.storeFailed(error.reason);
    }
  }

  /**
   * The outcome in a slot, `undefined` while its holder's sealed lock stands. A value this
   * token did not seal, or sealed for a time that is over, is the store's fault.
   */
  private opened(slot: SealedSlot, value: unknown): SharedOutcome | undefined {
    const sealed = typeof value === 'string' ? unseal(slot, value) : undefined;
    const until = (sealed as { until?: unknown } | undefined)?.until;
    if (typeof until !== 'number') throw new StoreFault('unreadable value');
    if (until + CLOCK_SKEW_MS <= Date.now()) throw new StoreFault('stale value');
    if ((sealed as { pending?: unknown }).pending === true) return undefined;
    if (!isSharedOutcome(sealed)) throw new StoreFault('unreadable value');
    return sealed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }

  /** Once per outage; the reason is the error's class or the module's words, never a message (it could quote a key). */
  private storeFailed(reason: string): void {
    if (this.outage) return;
    this.outage = true;
    this.logger.warn(
      `sharedRefresh store failed (${reason}): refreshes are merged within this instance until it answers again`,
    );
  }

  private storeAnswers(): void {
    if (!this.outage) return;
    this.outage = false;
    this.logger.log('sharedRefresh store answers again: refreshes are shared across instances');
  }
}

/** `payload` sealed with the time it stops being valid: `keepMs` from now, as the store keeps it. */
function sealUntil(slot: SealedSlot, payload: object, keepMs: number): string {
  return seal(slot, { ...payload, until: Date.now() + keepMs });
}

/**
 * How long a success stays in its slot: the window, but not past the time its access token is due for a
 * refresh. With tokens of a few seconds (a test's) and a longer window, a later refresh of the same
 * refresh token (a server-side session's next one) would otherwise be handed the expired pair.
 */
function keptMs(result: unknown, windowMs: number): number {
  const token = (result as { AuthenticationResult?: { AccessToken?: unknown } } | undefined)?.AuthenticationResult
    ?.AccessToken;
  const claims = typeof token === 'string' ? claimsOf(token) : undefined;
  const exp = timeClaimMs(claims, 'exp');
  if (exp === undefined) return windowMs;
  return Math.max(1, Math.min(windowMs, Math.floor(refreshDueAtMs(exp, timeClaimMs(claims, 'iat')) - Date.now())));
}
