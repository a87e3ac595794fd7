import { cognitoError, type StoredUser } from './fake-cognito-pool';

/** The attributes Cognito's ListUsers can filter on. */
const SEARCHABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

/** `name = "value"` or `name ^= "prefix"`, Cognito's only filter forms; `\"` escapes a quote. */
const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * Whether `user` passes a ListUsers `filter` (its type and length checked before, by the service's
 * `checkedListUsers`); a malformed filter throws `InvalidParameterException`, as Cognito does.
 */
export function matchesFilter(user: StoredUser, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  const match = FILTER.exec(filter);
  if (!match || !SEARCHABLE.has(match[1]))
    throw cognitoError('InvalidParameterException', `Invalid search attribute or filter: ${match?.[1] ?? filter}`);
  const [, name, operator, quoted] = match;
  const wanted = quoted.replace(/\\(.)/g, '$1');
  const value = valueOf(user, name);
  if (value === undefined) return false;
  return operator === '=' ? value === wanted : value.startsWith(wanted);
}

function valueOf(user: StoredUser, name: string): string | undefined {
  if (name === 'username') return user.username;
  if (name === 'cognito:user_status') return user.status;
  if (name === 'status') return user.enabled ? 'Enabled' : 'Disabled';
  return user.attributes[name];
}
