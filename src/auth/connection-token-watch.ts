import { CognitoAuthError, CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';

/** What a watch re-checks a token with: the pool's {@link CognitoTokenVerifier}. */
export interface TokenRechecker {
  verify(token: string): Promise<unknown>;
  /** `revocationCheck`'s cache period; `undefined` when the check is off (then only `exp` ends a connection). */
  readonly revocationCacheMs?: number;
}

/** What {@link watchConnectionToken} needs to end one connection. */
export interface ConnectionTokenWatchOptions {
  /** The verified token the connection was authenticated with, and its `exp` (seconds). */
  readonly token: string;
  readonly exp: number;
  readonly verifier: TokenRechecker;
  /** Ends the connection with the refusal: `TokenExpired`, `TokenRevoked`, or 503 when the re-check cannot be made. */
  readonly end: (refusal: CognitoAuthError) => void;
  /** Registers the listener that stops the watch when the connection closes (called once per connection). */
  readonly onClose: (stop: () => void) => void;
}

/** The re-check's floor: `cacheSeconds: 0` asks Cognito on every request, but a timer at 0 ms would spin. */
export const MIN_RECHECK_MS = 1000;
/** Node's timers take at most 2^31-1 ms (about 24.8 days); a later `exp` is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** One watch per connection, gone with it. */
const watches = new WeakMap<object, ConnectionTokenWatch>();

/**
 * @internal Ends a long-lived connection (a gateway socket, a graphql-ws connection) when
 * the token that authenticated it does: at its `exp`, and, with `revocationCheck`, at the
 * first re-check (every cache period, at least {@link MIN_RECHECK_MS}) that finds it revoked
 * or cannot be made (fails closed). A check at each message cannot do this: a stream pushes
 * with no message from the client. One unref'd timer per connection; the same token again
 * keeps the watch, another token replaces it; `onClose` stops it.
 */
export function watchConnectionToken(connection: object, options: ConnectionTokenWatchOptions): void {
  const current = watches.get(connection);
  if (current?.token === options.token) return;
  current?.stop();
  if (current === undefined) options.onClose(() => watches.get(connection)?.stop());
  watches.set(connection, new ConnectionTokenWatch(options));
}

/** @internal Whether a connection is being watched (for tests). */
export function isConnectionWatched(connection: object): boolean {
  return watches.get(connection)?.active === true;
}

class ConnectionTokenWatch {
  readonly token: string;
  active = true;
  private readonly expiresAt: number;
  private readonly recheckMs?: number;
  private nextRecheckAt?: number;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: ConnectionTokenWatchOptions) {
    this.token = options.token;
    // A token without a usable `exp` ends the connection at once (fails closed).
    this.expiresAt = Number.isFinite(options.exp) ? options.exp * 1000 : 0;
    const cacheMs = options.verifier.revocationCacheMs;
    if (cacheMs !== undefined) this.recheckMs = Math.max(cacheMs, MIN_RECHECK_MS);
    this.scheduleRecheck();
    this.arm();
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.timer);
  }

  private scheduleRecheck(): void {
    this.nextRecheckAt = this.recheckMs === undefined ? undefined : Date.now() + this.recheckMs;
  }

  /** The next moment something is due: `exp`, or the next re-check (none while one runs). */
  private arm(): void {
    clearTimeout(this.timer);
    if (!this.active) return;
    const due = Math.min(this.expiresAt, this.nextRecheckAt ?? Infinity);
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, due - Date.now()), MAX_DELAY_MS));
    // A watch never keeps the process alive: the connection does, or nothing does.
    this.timer.unref();
  }

  private fire(): void {
    if (!this.active) return;
    if (Date.now() >= this.expiresAt)
      return this.finish(new CognitoUnauthorizedError('TokenExpired', 'The token has expired'));
    if (this.nextRecheckAt !== undefined && Date.now() >= this.nextRecheckAt) {
      // `exp` stays armed while Cognito answers: a slow answer must not keep the connection past it.
      this.nextRecheckAt = undefined;
      this.options.verifier.verify(this.token).then(
        () => {
          this.scheduleRecheck();
          this.arm();
        },
        (error: unknown) =>
          this.finish(
            error instanceof CognitoAuthError
              ? error
              : new CognitoAuthUnavailableError(
                  'RevocationCheckUnavailable',
                  'The token cannot be checked right now; retry later',
                ),
          ),
      );
    }
    this.arm();
  }

  private finish(refusal: CognitoAuthError): void {
    if (!this.active) return;
    this.stop();
    this.options.end(refusal);
  }
}
