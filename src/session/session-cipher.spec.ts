import { deriveKey, sealJson } from '../internal/sealed-box';
import { LOGIN_STATE_SALT } from '../oauth/login-state-cookie.settings';
import { SESSION_SALT, SessionCipher, type SessionRecord } from './session-cipher';

const OLD = 'session-cipher-spec-old-secret-0123456789';
const NEW = 'session-cipher-spec-new-secret-0123456789';
const KEY = 'cognito-sync:session:abc';

const RECORD: SessionRecord = {
  v: 1,
  sub: 'c0ffee00-0000-4000-8000-000000000001',
  username: 'ann',
  accessToken: 'access.token.value',
  idToken: 'id.token.value',
  refreshToken: 'refresh-token-value',
  accessExp: 1_800_000_000_000,
  createdAt: 1_799_999_000_000,
  absoluteExp: 1_800_604_800_000,
  lastSeenAt: 1_799_999_500_000,
};

describe('SessionCipher', () => {
  it('opens what it sealed, and the sealed value shows no token nor any field', () => {
    const cipher = new SessionCipher([NEW]);
    const sealed = cipher.seal(RECORD, KEY);
    expect(sealed).toMatch(/^v1\.[\w-]+$/);
    for (const text of [RECORD.accessToken, RECORD.refreshToken, RECORD.sub, RECORD.username, 'accessExp']) {
      expect(sealed).not.toContain(text);
    }
    expect(cipher.open(sealed, KEY)).toEqual(RECORD);
  });

  it('rotates: the first secret seals, every listed one opens, a dropped one no longer does', () => {
    const before = new SessionCipher([OLD]);
    const during = new SessionCipher([NEW, OLD]);
    const after = new SessionCipher([NEW]);
    const sealedBefore = before.seal(RECORD, KEY);
    expect(during.open(sealedBefore, KEY)).toEqual(RECORD);
    const sealedDuring = during.seal(RECORD, KEY);
    expect(after.open(sealedDuring, KEY)).toEqual(RECORD);
    expect(before.open(sealedDuring, KEY)).toBeUndefined();
    expect(after.open(sealedBefore, KEY)).toBeUndefined();
  });

  it('refuses a value with any byte changed', () => {
    const cipher = new SessionCipher([NEW]);
    const bytes = Buffer.from(cipher.seal(RECORD, KEY).slice(3), 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] ^= 0x80;
      expect(cipher.open(`v1.${changed.toString('base64url')}`, KEY)).toBeUndefined();
    }
    expect(cipher.open(`v1.${bytes.toString('base64url')}`, KEY)).toEqual(RECORD);
    expect(cipher.open('', KEY)).toBeUndefined();
    expect(cipher.open('garbage', KEY)).toBeUndefined();
  });

  it("refuses a foreign secret's value, and the login-state cookie's key for the same secret", () => {
    expect(new SessionCipher([OLD]).open(new SessionCipher([NEW]).seal(RECORD, KEY), KEY)).toBeUndefined();
    const loginStateKey = deriveKey(NEW, LOGIN_STATE_SALT, 'sealing key');
    expect(SESSION_SALT).not.toBe(LOGIN_STATE_SALT);
    expect(new SessionCipher([NEW]).open(sealJson(loginStateKey, KEY, RECORD), KEY)).toBeUndefined();
  });

  it('refuses a value moved to another store key', () => {
    const cipher = new SessionCipher([NEW]);
    const sealed = cipher.seal(RECORD, KEY);
    expect(cipher.open(sealed, 'cognito-sync:session:other')).toBeUndefined();
    expect(cipher.open(sealed, 'cognito-sync:ticket:abc')).toBeUndefined();
  });

  it.each([
    ['another version', { ...RECORD, v: 2 }],
    ['a missing token', { ...RECORD, refreshToken: undefined }],
    ['a time that is not a number', { ...RECORD, accessExp: '1800000000000' }],
    ['not an object', 'text'],
  ])('refuses a value sealed with its key that is not a session record: %s', (_name, payload) => {
    const sealed = sealJson(deriveKey(NEW, SESSION_SALT, 'sealing key'), KEY, payload);
    expect(new SessionCipher([NEW]).open(sealed, KEY)).toBeUndefined();
  });

  it('needs a secret', () => {
    expect(() => new SessionCipher([])).toThrow(RangeError);
  });
});
