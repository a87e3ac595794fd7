import type { SessionRecord } from './session-cipher';
import type { CognitoSessionSummary } from './session-summary';
import { claimsOf } from '../internal/token-claims';

/** @internal What `GET <path>/session` says of a session record (claims a page needs; never a token). */
export function summaryOfRecord(record: SessionRecord, idleMs: number): CognitoSessionSummary {
  const access = claimsOf(record.accessToken) ?? {};
  const id = claimsOf(record.idToken) ?? {};
  const groups = access['cognito:groups'];
  return {
    sub: record.sub,
    username: record.username,
    ...(typeof id.email === 'string' ? { email: id.email } : {}),
    ...(typeof id.name === 'string' ? { name: id.name } : {}),
    groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
    expiresAt: Math.floor(Math.min(record.lastSeenAt + idleMs, record.absoluteExp) / 1000),
    accessTokenExpiresAt: Math.floor(record.accessExp / 1000),
  };
}
