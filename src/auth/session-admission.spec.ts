import { Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  CognitoAuthUnavailableError,
  CognitoForbiddenError,
  CognitoUnauthorizedError,
} from '../errors/cognito-auth.errors';
import { CognitoGroups, CognitoScopes, Public } from './cognito-auth.decorators';
import { CognitoAuthGuard } from './cognito-auth.guard';
import type { CognitoTokenVerifier } from './cognito-token-verifier';
import { COGNITO_REQUEST_TOKEN } from './auth-request';
import { markGraphQLConnection } from './graphql/graphql-connection-watch';
import { CognitoSessionAuthenticator } from './session-authenticator';

/** A stand-in session authenticator: answers `answer` (or throws it) for any request. */
class StandInSessions extends CognitoSessionAuthenticator {
  readonly cookieName = 'cognito-session';
  readonly accessTokenOf = jest.fn(async (_request: unknown): Promise<string | undefined> => this.answer());
  readonly redeemTicket = jest.fn(async (ticket: string): Promise<string> => {
    if (ticket !== 'good-ticket') throw new CognitoUnauthorizedError('TicketInvalid', 'The ticket is not valid');
    return 's.e.s';
  });

  constructor(private readonly answer: () => string | undefined) {
    super();
  }
}

describe('CognitoAuthGuard with a stand-in session authenticator', () => {
  class Reports {
    @Get()
    list() {}

    @CognitoGroups('Admins')
    @Get('audit')
    audit() {}

    @Public()
    @Get('open')
    open() {}
  }
  const claims = { sub: 'ann-sub', token_use: 'access', exp: 4_000_000_000, 'cognito:groups': ['Editors'] };
  const setUp = (answer: () => string | undefined, headers: Record<string, string> = {}) => {
    const verifier = {
      cookieName: undefined,
      cachedClaims: jest.fn((_token: string, _connection?: object) => undefined),
      verify: jest.fn(async (token: string) => {
        if (token === 'bad.bear.er') throw new CognitoUnauthorizedError('TokenInvalid', 'bad');
        return { ...claims };
      }),
    };
    const sessions = new StandInSessions(answer);
    const guard = new CognitoAuthGuard(new Reflector(), verifier as unknown as CognitoTokenVerifier, sessions);
    const headerCalls: Array<[string, string]> = [];
    const response = { header: (name: string, value: string) => headerCalls.push([name, value]) };
    const request: Record<string | symbol, unknown> = { headers: { cookie: 'cognito-session=abc', ...headers } };
    const on = (handler: () => void, type: string = 'http', on: object = request) => {
      const context = new ExecutionContextHost(
        type === 'http' ? [on, response] : [{}, {}, { req: on }],
        Reports,
        handler,
      );
      context.setType(type);
      return guard.canActivate(context);
    };
    return { verifier, sessions, request, on, headerCalls, guard };
  };

  it('verifies the session’s access token as a bearer token, and leaves claims and token on the request', async () => {
    const { verifier, sessions, request, on } = setUp(() => 's.e.s');
    await expect(on(Reports.prototype.list)).resolves.toBe(true);
    expect(sessions.accessTokenOf).toHaveBeenCalledWith(request);
    expect(verifier.cachedClaims).toHaveBeenCalledWith('s.e.s', undefined);
    expect(verifier.verify).toHaveBeenCalledWith('s.e.s');
    expect(request.user).toEqual(claims);
    expect(request[COGNITO_REQUEST_TOKEN]).toBe('s.e.s');
  });

  it('checks the route’s groups on a session’s token as on a bearer token', async () => {
    const { on, request } = setUp(() => 's.e.s');
    await expect(on(Reports.prototype.audit)).rejects.toBeInstanceOf(CognitoForbiddenError);
    expect(request.user).toBeUndefined();
  });

  it('asks no session when the request carries a bearer token, even a bad one beside a valid session', async () => {
    const good = setUp(() => 's.e.s', { authorization: 'Bearer b.e.a' });
    await expect(good.on(Reports.prototype.list)).resolves.toBe(true);
    expect(good.sessions.accessTokenOf).not.toHaveBeenCalled();
    expect(good.request[COGNITO_REQUEST_TOKEN]).toBe('b.e.a');
    const bad = setUp(() => 's.e.s', { authorization: 'Bearer bad.bear.er' });
    await expect(bad.on(Reports.prototype.list)).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(bad.sessions.accessTokenOf).not.toHaveBeenCalled();
  });

  it('refuses a protected route (TokenMissing) when there is no session, and lets a public one through', async () => {
    const { on, request } = setUp(() => undefined);
    await expect(on(Reports.prototype.list)).rejects.toMatchObject({ code: 'TokenMissing' });
    await expect(on(Reports.prototype.open)).resolves.toBe(true);
    expect(request.user).toBeUndefined();
  });

  it.each([
    ['SessionInvalid', () => new CognitoUnauthorizedError('SessionInvalid', 'x'), 401],
    ['SessionExpired', () => new CognitoUnauthorizedError('SessionExpired', 'x'), 401],
    ['CsrfCheckFailed', () => new CognitoForbiddenError(undefined, 'CsrfCheckFailed'), 403],
    ['SessionStoreUnavailable', () => new CognitoAuthUnavailableError('SessionStoreUnavailable', 'x', 2), 503],
  ])(
    'passes the authenticator’s %s through as its refusal; a public route stays anonymous',
    async (code, error, status) => {
      const { on, request, verifier, headerCalls } = setUp(() => {
        throw error();
      });
      await expect(on(Reports.prototype.list)).rejects.toMatchObject({ code, status });
      expect(verifier.verify).not.toHaveBeenCalled();
      expect(headerCalls).toEqual(status === 503 ? [['Retry-After', '2']] : []);
      await expect(on(Reports.prototype.open)).resolves.toBe(true);
      expect(request.user).toBeUndefined();
    },
  );

  it('answers the authenticator’s refusal over GraphQL as a GraphQL error with the module’s code', async () => {
    const { on, request } = setUp(() => {
      throw new CognitoUnauthorizedError('SessionExpired', 'Sign in again');
    });
    await expect(on(Reports.prototype.list, 'graphql', request)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED', cognitoCode: 'SessionExpired' },
    });
  });

  it('never asks the session of a GraphQL WebSocket connection (no cookie over a WebSocket)', async () => {
    const { on, sessions } = setUp(() => 's.e.s');
    const connection = { headers: { cookie: 'cognito-session=abc' } };
    markGraphQLConnection(connection, { close() {}, once() {} }, 'cognitoGraphQLWsOnConnect');
    await expect(on(Reports.prototype.list, 'graphql', connection)).rejects.toBeDefined();
    expect(sessions.accessTokenOf).not.toHaveBeenCalled();
  });

  it('never asks the session of a WebSocket handshake, whatever hands it over as an HTTP request', async () => {
    const { on, sessions, request } = setUp(() => 's.e.s', { upgrade: 'websocket', 'sec-websocket-key': 'k' });
    await expect(on(Reports.prototype.list)).rejects.toMatchObject({ code: 'TokenMissing' });
    expect(sessions.accessTokenOf).not.toHaveBeenCalled();
    expect(request.user).toBeUndefined();
  });

  it('checks the route’s scopes on a session’s token (403 InsufficientScope)', async () => {
    class Orders {
      @CognitoScopes('orders/write')
      @Get()
      write() {}
    }
    const { sessions, guard } = setUp(() => 's.e.s');
    const context = new ExecutionContextHost(
      [{ headers: { cookie: 'cognito-session=abc' } }, {}],
      Orders,
      Orders.prototype.write,
    );
    context.setType('http');
    await expect(guard.canActivate(context)).rejects.toMatchObject({ code: 'InsufficientScope' });
    expect(sessions.accessTokenOf).toHaveBeenCalledTimes(1);
  });

  it('redeems a socket’s ticket once for the connection; a ticket refused refuses every message', async () => {
    const { sessions, guard } = setUp(() => 's.e.s');
    const message = (client: object) => {
      const context = new ExecutionContextHost([client, {}], Reports, Reports.prototype.list);
      context.setType('ws');
      return guard.canActivate(context);
    };
    const socket = (ticket: unknown) => ({ handshake: { auth: { ticket }, headers: {} }, once: jest.fn() });
    const admitted = socket('good-ticket');
    await expect(message(admitted)).resolves.toBe(true);
    await expect(message(admitted)).resolves.toBe(true);
    expect(sessions.redeemTicket).toHaveBeenCalledTimes(1);
    expect(sessions.accessTokenOf).not.toHaveBeenCalled();
    const refusal = { status: 'error', statusCode: 401, code: 'TicketInvalid' };
    const used = socket('used-ticket');
    await expect(message(used)).rejects.toMatchObject({ error: refusal });
    await expect(message(used)).rejects.toMatchObject({ error: refusal });
    expect(sessions.redeemTicket).toHaveBeenCalledTimes(2);
    // Anything but a string is a ticket that fails, never none.
    await expect(message(socket(42))).rejects.toMatchObject({ error: refusal });
  });

  it('is not asked by a named pool’s guard: a session belongs to the default registration', async () => {
    const Named = CognitoAuthGuard.for('staff');
    const verifier = { cookieName: undefined, cachedClaims: () => undefined, verify: jest.fn() };
    const guard = new Named(new Reflector(), verifier as unknown as CognitoTokenVerifier);
    const request = { headers: { cookie: 'cognito-session=abc' } };
    const context = new ExecutionContextHost([request, {}], Reports, Reports.prototype.list);
    context.setType('http');
    await expect(guard.canActivate(context)).rejects.toMatchObject({ code: 'TokenMissing' });
  });
});
