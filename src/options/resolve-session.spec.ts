import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoModuleOptions, CognitoSessionOptions } from './cognito-module-options';
import { resolveCognitoOptions } from './resolve-options';

const SECRET = 'a-session-secret-of-at-least-32-characters';
const base: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12EXAMPLE',
  clientSecret: 'the-client-secret',
};
const served = { authController: true };

const resolved = (session: object, extra: Partial<CognitoModuleOptions> = {}) =>
  resolveCognitoOptions({ ...base, ...extra, session: session as CognitoSessionOptions }, served).sessionSettings;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoConfigurationError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

const fakeRedisAdapter = { client: { get: () => undefined, set: () => undefined, isOpen: true } };

describe('session option', () => {
  it('is off by default', () => {
    expect(resolveCognitoOptions(base, served).sessionSettings).toBeUndefined();
  });

  it('applies the defaults: in memory, a day idle, a week absolute, 10000 sessions, a Secure __Host- cookie', () => {
    expect(resolved({ secret: SECRET })).toEqual({
      secrets: [SECRET],
      store: undefined,
      cookieName: '__Host-cognito-session',
      secure: true,
      idleMs: 86_400_000,
      absoluteMs: 604_800_000,
      maxSessions: 10_000,
    });
  });

  it('needs authController', () => {
    expect(refusal(() => resolveCognitoOptions({ ...base, session: { secret: SECRET } }))).toContain(
      'session needs authController',
    );
  });

  it('refuses a short secret, an empty list or a non-string without printing the value', () => {
    for (const secret of ['short', [], [SECRET, 'short'], 42]) {
      const message = refusal(() => resolved({ secret }));
      expect(message).toContain('session.secret');
      expect(message).not.toContain('short"');
    }
    expect(resolved({ secret: [SECRET, `${SECRET}-old`] })?.secrets).toEqual([SECRET, `${SECRET}-old`]);
  });

  it('refuses unknown keys, naming them', () => {
    expect(refusal(() => resolved({ secret: SECRET, idleSecond: 60 }))).toContain('session.idleSecond');
    expect(refusal(() => resolved({ secret: SECRET, cookie: { nmae: 'x' } }))).toContain('session.cookie.nmae');
  });

  it('checks the limits: whole seconds in range, idle not beyond absolute, maxSessions', () => {
    expect(refusal(() => resolved({ secret: SECRET, idleSeconds: 0 }))).toContain('session.idleSeconds');
    expect(refusal(() => resolved({ secret: SECRET, absoluteSeconds: 1.5 }))).toContain('session.absoluteSeconds');
    expect(refusal(() => resolved({ secret: SECRET, idleSeconds: 7200, absoluteSeconds: 3600 }))).toContain(
      'must not exceed session.absoluteSeconds',
    );
    expect(refusal(() => resolved({ secret: SECRET, maxSessions: 0 }))).toContain('session.maxSessions');
    expect(resolved({ secret: SECRET, idleSeconds: 600, absoluteSeconds: 3600, maxSessions: 5 })).toMatchObject({
      idleMs: 600_000,
      absoluteMs: 3_600_000,
      maxSessions: 5,
    });
  });

  it('takes a Keyv on @keyv/redis as store, and refuses anything else naming session.store', () => {
    expect(resolved({ secret: SECRET, store: { store: fakeRedisAdapter } })?.store).toBe(fakeRedisAdapter);
    expect(refusal(() => resolved({ secret: SECRET, store: new Map() }))).toContain('session.store must be');
  });

  it('refuses a cookie name that is not an RFC 6265 token', () => {
    for (const name of ['a b', 'a;b', '', 'é']) {
      expect(refusal(() => resolved({ secret: SECRET, cookie: { name } }))).toContain('session.cookie.name');
    }
    expect(resolved({ secret: SECRET, cookie: { name: 'sid' } })?.cookieName).toBe('sid');
  });

  it.each(['__host-session', '__HOST-session', '__secure-session', '__SeCuRe-session'])(
    'attack: refuses %s, a cookie prefix in another case (a browser comparing case-sensitively gives it no protection)',
    (name) => {
      expect(refusal(() => resolved({ secret: SECRET, cookie: { name } }))).toContain('session.cookie.name');
    },
  );

  it('drops Secure only for a plain-http loopback redirectUri or cookie.secure false, and then no __Host- name', () => {
    const login = (redirectUri: string) => ({
      managedLogin: { domain: 'http://127.0.0.1:9229', redirectUri, logoutUri: redirectUri },
    });
    expect(resolved({ secret: SECRET }, login('http://localhost:3000/auth/callback'))).toMatchObject({
      cookieName: 'cognito-session',
      secure: false,
    });
    expect(resolved({ secret: SECRET }, login('https://app.example.com/auth/callback'))).toMatchObject({
      cookieName: '__Host-cognito-session',
      secure: true,
    });
    expect(
      refusal(() => resolved({ secret: SECRET, cookie: { secure: false } }, login('https://app.example.com/cb'))),
    ).toContain('session.cookie.secure must not be false');
    expect(resolved({ secret: SECRET, cookie: { secure: false } })).toMatchObject({
      cookieName: 'cognito-session',
      secure: false,
    });
    expect(refusal(() => resolved({ secret: SECRET, cookie: { secure: false, name: '__Host-sid' } }))).toContain(
      'needs Secure',
    );
    expect(refusal(() => resolved({ secret: SECRET, cookie: { secure: 'no' } }))).toContain('session.cookie.secure');
  });
});
