import { Logger } from '@nestjs/common';
import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoAuthUnavailableError,
  CognitoForbiddenError,
  CognitoUnauthorizedError,
} from '../errors/cognito-auth.errors';
import type { ResolvedSession } from '../options/session-options';
import { CognitoServerSessions } from './cognito-server-sessions';
import { MemorySessionStore } from './memory-session-store';
import type { SessionStore } from './session-store';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const settings: ResolvedSession = {
  secrets: [SECRET],
  store: undefined,
  cookieName: '__Host-cognito-session',
  secure: true,
  idleMs: 3_600_000,
  absoluteMs: 7_200_000,
  maxSessions: 100,
};
const csrf = { header: 'x-requested-with', allowedOrigins: ['https://app.example.com'] };

/** An unsigned JWT: the sessions read claims of tokens Cognito issued, never verify them. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

let clock = 1_000_000_000_000;
const now = () => clock;
const accessToken = (iat = clock, lifetimeMs = 3_600_000, extra: object = {}) =>
  jwt({ sub: 'sub-1', username: 'alice', iat: iat / 1000, exp: (iat + lifetimeMs) / 1000, ...extra });
const tokens = () => ({
  accessToken: accessToken(clock, 3_600_000, { 'cognito:groups': ['admins'] }),
  idToken: jwt({ sub: 'sub-1', email: 'alice@example.com', name: 'Alice' }),
  refreshToken: 'refresh-1',
});

function setup(store: SessionStore = new MemorySessionStore({ maxSessions: 100, now })) {
  const refresh = jest.fn(
    async (_token: string, _options: { username?: string }): Promise<AdminInitiateAuthCommandOutput> => ({
      AuthenticationResult: { AccessToken: accessToken(clock), IdToken: jwt({ sub: 'sub-1' }) },
      $metadata: {},
    }),
  );
  const sessions = new CognitoServerSessions({ settings, csrf, refresher: { refresh }, store, now });
  return { sessions, refresh, store };
}

const cookieOf = (setCookie: string[]) => setCookie[0].split(';')[0];
const get = (cookie?: string, extra: Record<string, string> = {}) => ({
  method: 'GET',
  headers: { ...(cookie === undefined ? {} : { cookie }), ...extra },
});
const post = (cookie: string, extra: Record<string, string> = {}) => ({ ...get(cookie, extra), method: 'POST' });

async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(
    error instanceof CognitoUnauthorizedError ||
    error instanceof CognitoForbiddenError ||
    error instanceof CognitoAuthUnavailableError
  ))
    throw new Error(`not refused as expected: ${String(error)}`);
  return error.code;
}

describe('CognitoServerSessions (in memory, injected clock, a stand-in refresher)', () => {
  beforeEach(() => (clock = 1_000_000_000_000));

  it(
    'starts a session: a __Host- cookie, HttpOnly, Secure, SameSite=Lax, Path=/, no token in it, ' +
      "Max-Age the absolute limit (the idle one is the server's)",
    async () => {
      const { sessions } = setup();
      const setCookie = await sessions.start(tokens(), get());
      expect(setCookie).toHaveLength(1);
      expect(setCookie[0]).toMatch(
        /^__Host-cognito-session=[\w-]{43}\.[\w-]{43}; Max-Age=7200; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      );
      expect(setCookie[0]).not.toContain('refresh-1');
      expect(await sessions.accessTokenOf(get(cookieOf(setCookie)))).toBe(tokens().accessToken);
    },
  );

  it('answers a summary without any token', async () => {
    const { sessions } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    const summary = await sessions.summaryOf(get(cookie));
    expect(summary).toEqual({
      sub: 'sub-1',
      username: 'alice',
      email: 'alice@example.com',
      name: 'Alice',
      groups: ['admins'],
      expiresAt: (clock + 3_600_000) / 1000,
      accessTokenExpiresAt: (clock + 3_600_000) / 1000,
    });
    expect(await sessions.summaryOf(get())).toBeUndefined();
  });

  it('startWithSummary: the Set-Cookie and the summary GET session would answer, with no store read', async () => {
    const { sessions, store } = setup();
    const old = cookieOf(await sessions.start(tokens(), get()));
    const read = jest.spyOn(store, 'read');
    const { setCookie, session } = await sessions.startWithSummary(tokens(), get(old));
    expect(read).not.toHaveBeenCalled();
    expect(cookieOf(setCookie)).not.toBe(old);
    expect(await sessions.summaryOf(get(old)).catch((e: CognitoUnauthorizedError) => e.code)).toBe('SessionInvalid');
    expect(session).toEqual(await sessions.summaryOf(get(cookieOf(setCookie))));
    expect(JSON.stringify(session)).not.toMatch(/refresh-1|\.sig/);
    expect(sessions.csrfHeader).toBe('x-requested-with');
  });

  it('never keeps the id a request came with (fixation): the old session is gone', async () => {
    const { sessions } = setup();
    const first = cookieOf(await sessions.start(tokens(), get()));
    const second = cookieOf(await sessions.start(tokens(), get(first)));
    expect(second).not.toBe(first);
    expect(await refusal(sessions.accessTokenOf(get(first)))).toBe('SessionInvalid');
    const third = cookieOf(await sessions.start(tokens(), get(`${second}; ${second}`)));
    expect(await sessions.accessTokenOf(get(third))).toBeDefined();
  });

  it('refuses a tampered, foreign-secret, unknown, malformed or repeated cookie with SessionInvalid', async () => {
    const { sessions, store } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    const [name, value] = cookie.split('=');
    const [id, tag] = value.split('.');
    const flipped = `${id.slice(0, -2)}${id.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(await refusal(sessions.accessTokenOf(get(`${name}=${flipped}.${tag}`)))).toBe('SessionInvalid');
    expect(await refusal(sessions.accessTokenOf(get(`${name}=${id}.${tag.slice(0, -1)}A`)))).toBe('SessionInvalid');
    expect(await refusal(sessions.accessTokenOf(get(`${name}=not-a-session`)))).toBe('SessionInvalid');
    expect(await refusal(sessions.accessTokenOf(get(`${cookie}; ${cookie}`)))).toBe('SessionInvalid');
    const foreign = new CognitoServerSessions({
      settings: { ...settings, secrets: [`${SECRET}-other`] },
      csrf,
      refresher: { refresh: jest.fn() },
      store,
      now,
    });
    expect(await refusal(foreign.accessTokenOf(get(cookie)))).toBe('SessionInvalid');
    expect(await sessions.accessTokenOf(get())).toBeUndefined();
  });

  it('never authenticates a WebSocket handshake by its cookie', async () => {
    const { sessions } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    expect(await sessions.accessTokenOf(get(cookie, { upgrade: 'websocket' }))).toBeUndefined();
  });

  it('needs the CSRF header or an allowed Origin on unsafe methods', async () => {
    const { sessions } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    expect(await refusal(sessions.accessTokenOf(post(cookie)))).toBe('CsrfCheckFailed');
    expect(await refusal(sessions.accessTokenOf(post(cookie, { origin: 'https://evil.example' })))).toBe(
      'CsrfCheckFailed',
    );
    expect(await sessions.accessTokenOf(post(cookie, { 'x-requested-with': 'fetch' }))).toBeDefined();
    expect(await sessions.accessTokenOf(post(cookie, { origin: 'https://app.example.com' }))).toBeDefined();
  });

  it('ends after the idle limit, and after the absolute limit however active', async () => {
    const { sessions } = setup();
    const idle = cookieOf(await sessions.start(tokens(), get()));
    clock += 3_600_001;
    expect(await refusal(sessions.accessTokenOf(get(idle)))).toBe('SessionExpired');
    const active = cookieOf(await sessions.start(tokens(), get()));
    for (let minutes = 20; minutes < 120; minutes += 20) {
      clock += 1_200_000;
      await sessions.accessTokenOf(get(active));
    }
    clock += 1_200_000;
    expect(await refusal(sessions.accessTokenOf(get(active)))).toBe('SessionExpired');
  });

  it('refreshes once near the exp (merged), keeps a refresh token not rotated, takes a rotated one', async () => {
    const { sessions, refresh } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    clock += 3_600_000 - 30_000;
    refresh.mockImplementationOnce(async () => ({
      AuthenticationResult: { AccessToken: accessToken(clock, 120_000) },
      $metadata: {},
    }));
    const [a, b] = await Promise.all([sessions.accessTokenOf(get(cookie)), sessions.accessTokenOf(get(cookie))]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('refresh-1', { username: 'alice' });
    expect(a).toBe(b);
    expect(a).toBe(accessToken(clock, 120_000));
    // A quarter of a 2-minute token: refreshed after 90 s, with the refresh token that was kept.
    clock += 91_000;
    refresh.mockImplementationOnce(async () => ({
      AuthenticationResult: { AccessToken: accessToken(clock, 120_000), RefreshToken: 'refresh-2' },
      $metadata: {},
    }));
    await sessions.accessTokenOf(get(cookie));
    expect(refresh).toHaveBeenLastCalledWith('refresh-1', { username: 'alice' });
    clock += 91_000;
    await sessions.accessTokenOf(get(cookie));
    expect(refresh).toHaveBeenCalledTimes(3);
    expect(refresh).toHaveBeenLastCalledWith('refresh-2', { username: 'alice' });
  });

  it('uses the tokens of a refresh that wrote first (lost compare-and-set)', async () => {
    const store = new MemorySessionStore({ maxSessions: 100, now });
    const { sessions, refresh } = setup(store);
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    clock += 3_600_000 - 30_000;
    const other = setup(store);
    other.refresh.mockImplementation(async () => ({
      AuthenticationResult: { AccessToken: accessToken(clock, 3_600_000, { winner: true }) },
      $metadata: {},
    }));
    refresh.mockImplementation(async () => {
      await other.sessions.accessTokenOf(get(cookie));
      return { AuthenticationResult: { AccessToken: accessToken(clock, 3_600_000, { loser: true }) }, $metadata: {} };
    });
    expect(await sessions.accessTokenOf(get(cookie))).toBe(accessToken(clock, 3_600_000, { winner: true }));
  });

  it('attack: a touch that wins the compare-and-set does not drop the rotated refresh token of a refresh', async () => {
    const store = new MemorySessionStore({ maxSessions: 100, now });
    const { sessions, refresh } = setup(store);
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    clock += 3_600_000 - 30_000;
    // Another instance 31 s behind (or a request that read the session just before it was due): not due, it
    // only notes the request (lastSeenAt), and writes first while this instance's refresh is at Cognito.
    const behind = new CognitoServerSessions({
      settings,
      csrf,
      refresher: { refresh },
      store,
      now: () => clock - 31_000,
    });
    refresh.mockImplementationOnce(async () => {
      await behind.accessTokenOf(get(cookie));
      return { AuthenticationResult: { AccessToken: accessToken(clock), RefreshToken: 'refresh-2' }, $metadata: {} };
    });
    expect(await sessions.accessTokenOf(get(cookie))).toBe(accessToken(clock));
    expect(refresh).toHaveBeenCalledTimes(1);
    clock += 3_600_000 - 30_000;
    await sessions.accessTokenOf(get(cookie));
    // The rotated refresh token was kept (the old one stops working at Cognito once rotated out).
    expect(refresh).toHaveBeenLastCalledWith('refresh-2', { username: 'alice' });
  });

  it.each(['UserNotFoundException', 'PasswordResetRequiredException', 'UserNotConfirmedException'])(
    'attack: a refresh refused with %s (user deleted, reset, unconfirmed) ends the session: 401 SessionExpired',
    async (name) => {
      const { sessions, refresh } = setup();
      const cookie = cookieOf(await sessions.start(tokens(), get()));
      clock += 3_600_000 - 30_000;
      refresh.mockRejectedValueOnce(Object.assign(new Error('User does not exist.'), { name }));
      expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionExpired');
      expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionInvalid');
      expect(refresh).toHaveBeenCalledTimes(1);
    },
  );

  it('attack: a rotated-out refresh token used again (RefreshTokenReuseException) ends the session', async () => {
    const { sessions, refresh } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    clock += 3_600_000 - 30_000;
    refresh.mockRejectedValueOnce(Object.assign(new Error('reused'), { name: 'RefreshTokenReuseException' }));
    expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionExpired');
    expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionInvalid');
  });

  it(
    'ends the session when Cognito refuses the refresh token; ' +
      'keeps it (503 CognitoUnavailable) when Cognito is unreachable or throttles',
    async () => {
      const { sessions, refresh } = setup();
      const cookie = cookieOf(await sessions.start(tokens(), get()));
      clock += 3_600_000 - 30_000;
      refresh.mockRejectedValueOnce(Object.assign(new Error('down'), { name: 'CognitoUnavailableError' }));
      expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('CognitoUnavailable');
      // Throttled: Cognito's own error and text never reach the answer; the session stays.
      refresh.mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
      const throttled = await sessions.accessTokenOf(get(cookie)).catch((error: unknown) => error);
      expect(throttled).toBeInstanceOf(CognitoAuthUnavailableError);
      expect((throttled as CognitoAuthUnavailableError).message).not.toContain('Rate exceeded');
      refresh.mockRejectedValueOnce(
        Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException' }),
      );
      expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionExpired');
      expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionInvalid');
    },
  );

  it('end() deletes the session and answers what to revoke and the clearing cookie', async () => {
    const { sessions } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    const ended = await sessions.end(post(cookie, { 'x-requested-with': 'fetch' }));
    expect(ended).toEqual({
      refreshToken: 'refresh-1',
      username: 'alice',
      setCookie: ['__Host-cognito-session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax'],
    });
    expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionInvalid');
    expect(await sessions.end(get())).toEqual({ setCookie: ended.setCookie });
  });

  it('endAllOf(sub) ends every session of that user started before, and none of another user', async () => {
    const { sessions } = setup();
    const one = cookieOf(await sessions.start(tokens(), get()));
    const two = cookieOf(await sessions.start(tokens(), get()));
    const bob = cookieOf(
      await sessions.start({ ...tokens(), accessToken: accessToken(clock, 3_600_000, { sub: 'sub-2' }) }, get()),
    );
    clock += 1;
    await sessions.endAllOf('sub-1');
    expect(await refusal(sessions.accessTokenOf(get(one)))).toBe('SessionExpired');
    expect(await refusal(sessions.accessTokenOf(get(two)))).toBe('SessionExpired');
    expect(await sessions.accessTokenOf(get(bob))).toBeDefined();
    clock += 1;
    const again = cookieOf(await sessions.start(tokens(), get()));
    expect(await sessions.accessTokenOf(get(again))).toBeDefined();
  });

  it('tickets: CSRF-checked, single use, expire after 30 s, unknown refused', async () => {
    const { sessions } = setup();
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    expect(await refusal(sessions.issueTicket(post(cookie)))).toBe('CsrfCheckFailed');
    const { ticket, expiresIn } = await sessions.issueTicket(post(cookie, { 'x-requested-with': 'fetch' }));
    expect(expiresIn).toBe(30);
    expect(await sessions.redeemTicket(ticket)).toBe(tokens().accessToken);
    expect(await refusal(sessions.redeemTicket(ticket))).toBe('TicketInvalid');
    const late = await sessions.issueTicket(post(cookie, { 'x-requested-with': 'fetch' }));
    clock += 30_001;
    expect(await refusal(sessions.redeemTicket(late.ticket))).toBe('TicketInvalid');
    expect(await refusal(sessions.redeemTicket('x'.repeat(43)))).toBe('TicketInvalid');
    expect(await refusal(sessions.redeemTicket('not a ticket'))).toBe('TicketInvalid');
  });

  it('a store that fails answers 503 SessionStoreUnavailable (fail closed)', async () => {
    const store = new MemorySessionStore({ maxSessions: 100, now });
    const { sessions } = setup(store);
    const cookie = cookieOf(await sessions.start(tokens(), get()));
    jest.spyOn(store, 'read').mockRejectedValue(new Error('connection lost'));
    expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionStoreUnavailable');
  });

  it('attack: a store down logs one line per interval, not per request; a store rejecting null: 503', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const store = new MemorySessionStore({ maxSessions: 100, now });
      const { sessions } = setup(store);
      const cookie = cookieOf(await sessions.start(tokens(), get()));
      const read = jest.spyOn(store, 'read').mockRejectedValue(Object.assign(new Error('x'), { name: 'Evil\nLine' }));
      for (let i = 0; i < 20; i++) {
        expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionStoreUnavailable');
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).not.toContain('\n');
      read.mockRejectedValue(null);
      expect(await refusal(sessions.accessTokenOf(get(cookie)))).toBe('SessionStoreUnavailable');
    } finally {
      warn.mockRestore();
    }
  });
});
