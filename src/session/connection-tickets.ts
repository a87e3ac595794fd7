import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { deriveKey, sealJson, unsealJson } from '../internal/sealed-box';
import { randomId, type SessionCookieValue } from './session-cookie';
import type { SessionStore } from './session-store';

/** A ticket lives long enough for a page to open its socket right after asking for it. */
export const TICKET_SECONDS = 30;
const TICKET_SALT = 'nestjs-cognito-sync/session-ticket/v1';
const TICKET = /^[\w-]{43}$/;

const refused = () =>
  new CognitoUnauthorizedError('TicketInvalid', 'The connection ticket is unknown, used or expired');

/**
 * @internal WebSocket connection tickets: a random single-use name for a session, kept 30 s. The store
 * holds the session's cookie value sealed under the ticket (a reader of the store learns no session id).
 */
export class ConnectionTickets {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly store: SessionStore,
    private readonly stored: <T>(call: () => Promise<T>) => Promise<T>,
  ) {
    this.key = deriveKey(secret, TICKET_SALT, 'ticket key');
  }

  /** A new ticket for the session `cookie` names. */
  async issue(cookie: SessionCookieValue): Promise<{ ticket: string; expiresIn: number }> {
    const ticket = randomId();
    const value = sealJson(this.key, ticket, cookie);
    await this.stored(() => this.store.putTicket(ticket, value, TICKET_SECONDS * 1000));
    return { ticket, expiresIn: TICKET_SECONDS };
  }

  /** The session a ticket names, taking the ticket (a second use finds nothing): 401 `TicketInvalid` otherwise. */
  async redeem(ticket: unknown): Promise<SessionCookieValue> {
    if (typeof ticket !== 'string' || !TICKET.test(ticket)) throw refused();
    const value = await this.stored(() => this.store.takeTicket(ticket));
    const cookie = value === undefined ? undefined : unsealJson(this.key, ticket, value);
    if (!isCookieValue(cookie)) throw refused();
    return cookie;
  }
}

function isCookieValue(value: unknown): value is SessionCookieValue {
  const { id, userTag } = (value ?? {}) as Partial<SessionCookieValue>;
  return typeof id === 'string' && typeof userTag === 'string';
}
