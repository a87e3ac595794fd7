import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoAuthError, CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { InFlightCalls } from '../internal/in-flight-calls';
import type { SessionRecord } from './session-cipher';
import { claimsOf, refreshDueAtMs, timeClaimMs } from '../internal/token-claims';

/** @internal What a session refresh needs of `CognitoTokenRefresher` (sharedRefresh merges behind it). */
export interface TokenRefresh {
  refresh(refreshToken: string, options: { username?: string }): Promise<AdminInitiateAuthCommandOutput>;
}

/** @internal Writes a refreshed record back (compare-and-set) and answers the record that won. */
export type WriteBack = (refreshed: SessionRecord) => Promise<SessionRecord>;

/**
 * @internal Whether the session's access token is due for a refresh: within 60 s of its `exp`, or a
 * quarter of its lifetime for short-lived tokens.
 */
export function refreshDue(record: SessionRecord, now: number): boolean {
  return refreshAtOf(record) < now;
}

/** @internal The time (epoch ms) after which {@link refreshDue} says the record's access token is due. */
export function refreshAtOf(record: SessionRecord): number {
  return refreshDueAtMs(record.accessExp, timeClaimMs(claimsOf(record.accessToken), 'iat'));
}

/**
 * Cognito's answers to a refresh that no retry changes: the token revoked or rotated out and used again
 * (possible theft), the user deleted, made to reset the password or unconfirmed. The session ends.
 */
const SESSION_OVER = new Set([
  'NotAuthorizedException',
  'RefreshTokenReuseException',
  'UserNotFoundException',
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
]);

/**
 * @internal Refreshes sessions' tokens: one Cognito call per session at a time on this instance
 * (keyed by the session id, never a token); Cognito refusing the refresh token or the user ends the session.
 */
export class SessionRefresh {
  private readonly merged = new InFlightCalls();

  constructor(
    private readonly refresher: TokenRefresh,
    private readonly ended: (id: string) => Promise<void>,
  ) {}

  /** The record with fresh tokens, written back by `writeBack`; 401 `SessionExpired` if Cognito refuses. */
  refreshed(id: string, record: SessionRecord, writeBack: WriteBack): Promise<SessionRecord> {
    return this.merged.share(id, async () => {
      const output = await this.refresher
        .refresh(record.refreshToken, { username: record.username })
        .catch(async (error: unknown) => {
          if (SESSION_OVER.has((error as Error | null)?.name ?? '')) {
            await this.ended(id);
            throw new CognitoUnauthorizedError('SessionExpired', 'The session has ended: sign in again');
          }
          if (error instanceof CognitoAuthError) throw error;
          // Anything else (throttled, a fault, no answer in time): the session stays, the request is
          // a 503 in the guard's own shape on every transport, and Cognito's text never reaches it.
          throw new CognitoAuthUnavailableError('CognitoUnavailable', 'The session cannot be refreshed now', 1);
        });
      const result = output.AuthenticationResult;
      const accessExp = timeClaimMs(claimsOf(result?.AccessToken ?? ''), 'exp');
      if (result?.AccessToken === undefined || accessExp === undefined) {
        // A challenge instead of tokens: the session cannot go on without the user.
        await this.ended(id);
        throw new CognitoUnauthorizedError('SessionExpired', 'The session has ended: sign in again');
      }
      return writeBack({
        ...record,
        accessToken: result.AccessToken,
        idToken: result.IdToken ?? record.idToken,
        // Cognito rotates refresh tokens only with rotation on: otherwise the old one stays valid.
        refreshToken: result.RefreshToken ?? record.refreshToken,
        accessExp,
      });
    });
  }
}
