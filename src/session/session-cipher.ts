import { deriveKey, sealJson, unsealJson } from '../internal/sealed-box';

/**
 * @internal What a server-side session holds, sealed before it reaches the store. Times are epoch
 * milliseconds (as `SessionStore`'s and `ResolvedSession`'s are); `accessExp` is the access token's
 * own `exp` claim times 1000 (never `expires_in`: cognito-local always says 3600).
 */
export interface SessionRecord {
  v: 1;
  sub: string;
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** When the access token expires (its `exp`, in ms). */
  accessExp: number;
  /** When the session started (sign-in). */
  createdAt: number;
  /** When the session ends whatever happens (`createdAt` + `absoluteSeconds`). */
  absoluteExp: number;
  /** The session's last request (the idle limit counts from it). */
  lastSeenAt: number;
}

/** HKDF's salt: sessions, format 1. The login-state cookie's differs, so one secret gives each its own key. */
export const SESSION_SALT = 'nestjs-cognito-sync/session/v1';

/**
 * @internal Seals and opens session records with keys derived from `session.secret`: the first
 * secret seals, every one opens (rotation: put the new secret first, drop the old one once the
 * longest session has ended). Each value is bound to the store key it is written under, so that a
 * value copied to another key (another session's, a ticket's) does not open there.
 */
export class SessionCipher {
  private readonly keys: readonly Buffer[];

  /** `secrets`: non-empty, as `ResolvedSession.secrets` holds them (checked at startup). */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new RangeError('a session cipher needs a secret');
    this.keys = secrets.map((secret) => deriveKey(secret, SESSION_SALT, 'sealing key'));
  }

  /** `record` sealed with the first secret's key, for the store key `storeKey`. */
  seal(record: SessionRecord, storeKey: string): string {
    return sealJson(this.keys[0], storeKey, record);
  }

  /**
   * The record sealed in `value` for `storeKey`, or `undefined`: tampered, sealed with a secret
   * no longer listed, sealed for another key, or not a session record.
   */
  open(value: string, storeKey: string): SessionRecord | undefined {
    for (const key of this.keys) {
      const opened = unsealJson(key, storeKey, value);
      if (opened !== undefined) return isSessionRecord(opened) ? opened : undefined;
    }
    return undefined;
  }
}

const STRING_FIELDS = ['sub', 'username', 'accessToken', 'idToken', 'refreshToken'] as const;
const TIME_FIELDS = ['accessExp', 'createdAt', 'absoluteExp', 'lastSeenAt'] as const;

function isSessionRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.v === 1 &&
    STRING_FIELDS.every((field) => typeof record[field] === 'string') &&
    TIME_FIELDS.every((field) => Number.isFinite(record[field]))
  );
}
