import { CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import type { CognitoSessionAuthenticator } from '../session-authenticator';

const isBag = (value: unknown): value is Record<PropertyKey, unknown> => typeof value === 'object' && value !== null;

/**
 * @internal Where `cognitoMercuriusSubscription`'s `onConnect` leaves the access token a connection
 * ticket was redeemed for: in what it answers, which Mercurius merges into the connection's context.
 */
export const MERCURIUS_TICKET_TOKEN = Symbol('nestjs-cognito-sync: Mercurius ticket token');

/** The access tokens graphql-ws connections' tickets were redeemed for, by connection context; gone with it. */
const redeemed = new WeakMap<object, string>();

/** @internal The token `connection`'s ticket was redeemed for, where the guard's stand-in request finds it. */
export function rememberTicketToken(connection: object, token: string): void {
  redeemed.set(connection, token);
}

/** @internal The token a graphql-ws connection's ticket was redeemed for, if any. */
export function ticketTokenOf(connection: object): string | undefined {
  return redeemed.get(connection);
}

/** @internal The `ticket` a client sent in `connectionParams` (own property), string or not; `undefined` if absent. */
export function connectionTicketValue(connectionParams: unknown): unknown {
  return isBag(connectionParams) && Object.hasOwn(connectionParams, 'ticket') ? connectionParams.ticket : undefined;
}

/**
 * @internal Redeems a connection ticket (server-side sessions) for the access token of its session:
 * once, when the client connects. Anything but a non-empty string is refused as a ticket that fails
 * (401 `TicketInvalid`); the authenticator refuses an unknown, expired or used one the same way.
 */
export async function redeemConnectionTicket(sessions: CognitoSessionAuthenticator, ticket: unknown): Promise<string> {
  if (typeof ticket !== 'string' || ticket === '')
    throw new CognitoUnauthorizedError('TicketInvalid', 'connectionParams.ticket must be a connection ticket');
  return sessions.redeemTicket(ticket);
}
