import { EventEmitter } from 'node:events';
import type { CognitoTokenVerifier } from '../cognito-token-verifier';
import { CognitoUnauthorizedError } from '../../errors/cognito-auth.errors';
import { CognitoSessionAuthenticator } from '../session-authenticator';
import { cognitoGraphQLWsOnConnect } from './cognito-graphql-ws';
import { cognitoMercuriusSubscription } from './cognito-mercurius';
import { MERCURIUS_TICKET_TOKEN, ticketTokenOf } from './connection-ticket';
import { graphqlRequestOf } from './graphql-request';

/** A stand-in session authenticator: one ticket, single use. */
class StandInSessions extends CognitoSessionAuthenticator {
  readonly cookieName = 'cognito-session';
  private readonly tickets = new Set(['good-ticket']);
  readonly accessTokenOf = jest.fn(async () => undefined);
  readonly redeemTicket = jest.fn(async (ticket: string) => {
    if (!this.tickets.delete(ticket)) throw new CognitoUnauthorizedError('TicketInvalid', 'The ticket is not valid');
    return 's.e.s';
  });
}

const verifier = () =>
  ({
    verify: jest.fn(async () => ({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 3600 })),
  }) as unknown as CognitoTokenVerifier & { verify: jest.Mock };

describe('connection tickets on graphql-ws, with a stand-in session authenticator', () => {
  const connection = (connectionParams?: Record<string, unknown>) => ({
    connectionParams,
    connectionInitReceived: true,
    subscriptions: {},
    extra: { socket: Object.assign(new EventEmitter(), { close: jest.fn() }) },
  });

  it('redeems the ticket once, verifies its token, and the guard’s stand-in request carries it', async () => {
    const sessions = new StandInSessions();
    const check = verifier();
    const ctx = connection({ ticket: 'good-ticket' });
    await expect(cognitoGraphQLWsOnConnect(check, { sessions })(ctx)).resolves.toBe(true);
    expect(sessions.redeemTicket).toHaveBeenCalledWith('good-ticket');
    expect(check.verify).toHaveBeenCalledWith('s.e.s');
    expect(ticketTokenOf(ctx)).toBe('s.e.s');
    expect(graphqlRequestOf({ req: ctx })?.headers).toEqual({ authorization: 'Bearer s.e.s' });
    // A second connection with the same ticket: refused by the authenticator, closed with 4401.
    const again = connection({ ticket: 'good-ticket' });
    await expect(cognitoGraphQLWsOnConnect(check, { sessions })(again)).resolves.toBe(false);
    expect(again.extra.socket.close).toHaveBeenCalledWith(4401, 'TicketInvalid');
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['an array', ['good-ticket']],
  ])('refuses %s as a ticket with 4401 TicketInvalid, optional or not, never asking', async (_case, ticket) => {
    const sessions = new StandInSessions();
    const ctx = connection({ ticket });
    await expect(cognitoGraphQLWsOnConnect(verifier(), { sessions, optional: true })(ctx)).resolves.toBe(false);
    expect(ctx.extra.socket.close).toHaveBeenCalledWith(4401, 'TicketInvalid');
    expect(sessions.redeemTicket).not.toHaveBeenCalled();
  });

  it('takes an authorization over a ticket beside it, and reads no ticket without the sessions', async () => {
    const sessions = new StandInSessions();
    const check = verifier();
    const both = connection({ authorization: 'Bearer abc', ticket: 'good-ticket' });
    await expect(cognitoGraphQLWsOnConnect(check, { sessions })(both)).resolves.toBe(true);
    expect(check.verify).toHaveBeenCalledWith('abc');
    expect(sessions.redeemTicket).not.toHaveBeenCalled();
    const without = connection({ ticket: 'good-ticket' });
    await expect(cognitoGraphQLWsOnConnect(check)(without)).resolves.toBe(false);
    expect(without.extra.socket.close).toHaveBeenCalledWith(4401, 'TokenMissing');
  });
});

describe('connection tickets on Mercurius, with a stand-in session authenticator', () => {
  const onConnect = (sessions: CognitoSessionAuthenticator | undefined, payload: unknown) => {
    const conn = { socket: Object.assign(new EventEmitter(), { close: jest.fn() }) };
    const answer = cognitoMercuriusSubscription(verifier(), { sessions }).onConnect.call(conn, { payload });
    return { answer, close: conn.socket.close };
  };

  it('answers the redeemed token for the connection’s context, and refuses the ticket used again', async () => {
    const sessions = new StandInSessions();
    await expect(onConnect(sessions, { ticket: 'good-ticket' }).answer).resolves.toEqual({
      [MERCURIUS_TICKET_TOKEN]: 's.e.s',
    });
    const again = onConnect(sessions, { ticket: 'good-ticket' });
    await expect(again.answer).resolves.toBe(false);
    expect(again.close).toHaveBeenCalledWith(4401, 'TicketInvalid');
  });

  it('reads no ticket without the sessions', async () => {
    const refused = onConnect(undefined, { ticket: 'good-ticket' });
    await expect(refused.answer).resolves.toBe(false);
    expect(refused.close).toHaveBeenCalledWith(4401, 'TokenMissing');
  });
});
