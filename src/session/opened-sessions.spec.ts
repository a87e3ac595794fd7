import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import type { ResolvedSession } from '../options/session-options';
import { CognitoServerSessions } from './cognito-server-sessions';
import { MemorySessionStore } from './memory-session-store';
import { OpenedSessions } from './opened-sessions';
import { SessionCipher, type SessionRecord } from './session-cipher';
import { userTagOf } from './session-cookie';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${part({ alg: 'none' })}.${part(claims)}.s`;
const NOW = 1_000_000_000_000;
const record = (accessToken = jwt({ iat: NOW / 1000, exp: NOW / 1000 + 3600 })): SessionRecord => ({
  v: 1,
  sub: 'sub-1',
  username: 'alice',
  accessToken,
  idToken: 'id',
  refreshToken: 'refresh',
  accessExp: NOW + 3_600_000,
  createdAt: NOW,
  absoluteExp: NOW + 7_200_000,
  lastSeenAt: NOW,
});

describe('OpenedSessions (records opened once per stored value)', () => {
  const cipher = new SessionCipher([SECRET]);
  const spied = () => jest.spyOn(cipher, 'open');
  afterEach(() => jest.restoreAllMocks());

  it('opens a value once, then answers the same frozen record, its user tag and refresh time', () => {
    const opened = new OpenedSessions(cipher, 10);
    const sealed = cipher.seal(record(), 'id-1');
    const open = spied();
    const first = opened.open('id-1', sealed);
    const second = opened.open('id-1', sealed);
    expect(open).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(first).toMatchObject({ record: record(), userTag: userTagOf('sub-1'), refreshAt: NOW + 3_540_000 });
    expect(Object.isFrozen(first?.record)).toBe(true);
  });

  it('opens anew a value another writer stored for the same id, and refuses one that does not open', () => {
    const opened = new OpenedSessions(cipher, 10);
    opened.open('id-1', cipher.seal(record(), 'id-1'));
    const rewritten = cipher.seal({ ...record(), refreshToken: 'rotated' }, 'id-1');
    expect(opened.open('id-1', rewritten)?.record.refreshToken).toBe('rotated');
    const tampered = `${rewritten.slice(0, -2)}${rewritten.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(opened.open('id-1', tampered)).toBeUndefined();
    expect(opened.size).toBe(0);
  });

  it('never answers a value kept for one id under another (a copied value stays refused)', () => {
    const opened = new OpenedSessions(cipher, 10);
    const sealed = cipher.seal(record(), 'id-1');
    expect(opened.open('id-1', sealed)).toBeDefined();
    expect(opened.open('id-2', sealed)).toBeUndefined();
  });

  it('keeps at most its bound, dropping the least recently used; a remembered value needs no opening', () => {
    const opened = new OpenedSessions(cipher, 2);
    const values = ['a', 'b', 'c'].map((id) => [id, cipher.seal(record(), id)] as const);
    opened.remember(...values[0], record());
    opened.remember(...values[1], record());
    const open = spied();
    opened.open(...values[0]);
    expect(open).not.toHaveBeenCalled();
    opened.open(...values[2]);
    expect(opened.size).toBe(2);
    opened.open(...values[1]);
    expect(open).toHaveBeenCalledTimes(2);
    expect(() => new OpenedSessions(cipher, 0)).toThrow(RangeError);
  });
});

describe('Two instances sharing one store, each keeping its opened records', () => {
  const settings: ResolvedSession = {
    secrets: [SECRET],
    store: undefined,
    cookieName: '__Host-cognito-session',
    secure: true,
    idleMs: 3_600_000,
    absoluteMs: 7_200_000,
    maxSessions: 100,
  };
  const csrf = { header: 'x-requested-with', allowedOrigins: [] };
  let clock = NOW;
  const now = () => clock;
  const access = (n: number) =>
    jwt({ sub: 'sub-1', username: 'alice', n, iat: clock / 1000, exp: clock / 1000 + 3600 });
  const instances = () => {
    const store = new MemorySessionStore({ maxSessions: 100, now });
    let refreshes = 0;
    const refresh = async (): Promise<AdminInitiateAuthCommandOutput> => ({
      AuthenticationResult: { AccessToken: access((refreshes += 1)), RefreshToken: `refresh-${refreshes + 1}` },
      $metadata: {},
    });
    const make = () => new CognitoServerSessions({ settings, csrf, refresher: { refresh }, store, now });
    return [make(), make()];
  };
  const get = (cookie: string) => ({ method: 'GET', headers: { cookie } });
  beforeEach(() => (clock = NOW));

  it("serves the other instance's refreshed tokens at once, not the record it opened before", async () => {
    const [a, b] = instances();
    const cookie = (await a.start({ accessToken: access(0), idToken: 'id', refreshToken: 'refresh-1' }, get('')))[0];
    const sent = get(cookie.split(';')[0]);
    expect(await a.accessTokenOf(sent)).toBe(access(0));
    clock += 3_560_000; // within 60 s of exp: b refreshes and writes the new tokens back
    const refreshed = await b.accessTokenOf(sent);
    expect(refreshed).toBe(access(1));
    expect(await a.accessTokenOf(sent)).toBe(refreshed);
  });

  it('refuses at once a session the other instance ended, or whose user it signed out everywhere', async () => {
    const [a, b] = instances();
    const start = () => a.start({ accessToken: access(0), idToken: 'id', refreshToken: 'r' }, get(''));
    const first = get((await start())[0].split(';')[0]);
    expect(await a.accessTokenOf(first)).toBe(access(0));
    await b.end(first);
    await expect(a.accessTokenOf(first)).rejects.toMatchObject({ code: 'SessionInvalid' });
    const second = get((await start())[0].split(';')[0]);
    expect(await a.accessTokenOf(second)).toBe(access(0));
    clock += 1;
    await b.endAllOf('sub-1');
    await expect(a.accessTokenOf(second)).rejects.toMatchObject({ code: 'SessionExpired' });
  });
});
