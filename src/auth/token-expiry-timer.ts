import { CognitoAuthError, CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';

/** What {@link endWithToken} needs to end one connection when its token ends. */
export interface TokenLifetime {
  /** The token's `exp` claim (seconds since the epoch). */
  readonly exp: number;
  /**
   * With `revocationCheck`: how often to ask again (the check's cache period; at least
   * {@link MIN_RECHECK_MS}) and how. `check` rejects with the reason the token is no
   * longer accepted (`TokenRevoked`, or `RevocationCheckUnavailable` when Cognito cannot say).
   */
  readonly recheck?: { readonly everyMs: number; readonly check: () => Promise<unknown> };
  /** Ends the connection, once, with the reason: `TokenExpired` at `exp`, or what `recheck` refused. */
  readonly end: (reason: CognitoAuthError) => void;
}

/** A revocation check cached for 0 s (asked on every request) is asked once a second on a connection. */
export const MIN_RECHECK_MS = 1000;
/** setTimeout's longest delay (about 24.8 days); a later `exp` is reached in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * @internal Ends a long-lived connection (a subscription's socket) when the token it was
 * opened with ends: at `exp`, and with `revocationCheck` at the first re-check that refuses
 * it. Returns what stops the watch (call it when the connection closes first). Timers are
 * unref'd: a watch never keeps the process alive.
 */
export function endWithToken({ exp, recheck, end }: TokenLifetime): () => void {
  let ended = false;
  let expiry: NodeJS.Timeout | undefined;
  let rechecks: NodeJS.Timeout | undefined;
  const stop = () => {
    ended = true;
    clearTimeout(expiry);
    clearInterval(rechecks);
  };
  const finish = (reason: CognitoAuthError) => {
    if (ended) return;
    stop();
    end(reason);
  };
  const armExpiry = () => {
    const left = exp * 1000 - Date.now();
    if (left <= 0) return finish(new CognitoUnauthorizedError('TokenExpired', 'The token has expired'));
    expiry = setTimeout(armExpiry, Math.min(left, MAX_DELAY_MS)).unref();
  };
  armExpiry();
  if (recheck !== undefined && !ended) {
    let asking = false;
    rechecks = setInterval(
      () => {
        if (asking) return;
        asking = true;
        recheck.check().then(
          () => (asking = false),
          (error: unknown) => {
            asking = false;
            // Fail closed: an answer that is not a refusal the module knows still ends the connection.
            finish(
              error instanceof CognitoAuthError
                ? error
                : new CognitoAuthUnavailableError('RevocationCheckUnavailable', 'The token could not be checked'),
            );
          },
        );
      },
      Math.max(recheck.everyMs, MIN_RECHECK_MS),
    ).unref();
  }
  return stop;
}
