import type { AuthRequest } from './auth-request';

/**
 * What the guard asks of server-side sessions (the `session` option): the access token behind a
 * request's session cookie, or behind a WebSocket connection ticket. src/session/ provides it when
 * the option is on; the guard injects it optionally. An abstract class, so that it is its own
 * injection token and auth/ needs nothing from the layer above it.
 */
export abstract class CognitoSessionAuthenticator {
  /** The session cookie's name (`__Host-cognito-session` by default), for the guard's and the docs' sake. */
  abstract readonly cookieName: string;

  /**
   * The current access token of the session `request`'s cookie names, refreshed on the server
   * first when it is about to expire; `undefined` when the request carries no session cookie or is
   * a WebSocket handshake (which never authenticates by cookie).
   *
   * Refuses (throws) with the module's auth errors: 401 `SessionInvalid` (tampered, foreign,
   * unknown or repeated cookie), 401 `SessionExpired` (idle or absolute limit, refresh token refused,
   * signed out everywhere: sign in again), 403 `CsrfCheckFailed` (an unsafe method without the CSRF
   * header or an allowed `Origin`), 503 `SessionStoreUnavailable` (fail closed).
   */
  abstract accessTokenOf(request: AuthRequest): Promise<string | undefined>;

  /**
   * The current access token of the session a WebSocket connection ticket was issued for. A ticket
   * is single-use and short-lived: a second use, an expired or unknown ticket is refused with
   * 401 `TicketInvalid`; the store down with 503 `SessionStoreUnavailable`.
   */
  abstract redeemTicket(ticket: string): Promise<string>;
}
