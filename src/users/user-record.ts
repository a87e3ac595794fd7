import type { AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoInputError } from '../errors/cognito.errors';
import { CUSTOM_PREFIX, STANDARD_ATTRIBUTES, withoutCustomPrefix } from '../options/attributes';
import type { CognitoAttributeAllowList } from '../options/cognito-module-options';

/**
 * A user of the pool, as {@link CognitoSyncService} returns it (`findUser`,
 * `createUser`, `listUsers`, ...). Not the `@CognitoUserRecord()` decorator, which gives a token's claims.
 */
export interface CognitoUserRecord {
  /** The internal username (a UUID in pools that sign in by email or phone). */
  username: string;
  enabled?: boolean;
  /** Cognito's `UserStatus`, e.g. `CONFIRMED` or `FORCE_CHANGE_PASSWORD`. */
  status?: string;
  createdAt?: Date;
  updatedAt?: Date;
  /** Every attribute Cognito returned (`sub` included), custom ones without their `custom:` prefix. */
  attributes: Record<string, string>;
}

/**
 * Where attributes come from: a plain record or a row of the app's own user
 * table. Only names on the allow-list are read, so unrelated fields may stay.
 */
export type CognitoAttributeSource = object;

/**
 * The attributes Cognito should get for `source`, through the allow-list:
 * standard names pass as they are, custom ones get `custom:` (given with or
 * without it), other names and `null`/`undefined` values are dropped, numbers
 * and booleans become strings.
 *
 * @throws CognitoInputError for an allowed attribute whose value is of another
 *   type (an object, a Date): guessing its format would write a wrong value.
 */
export function toCognitoAttributes(
  source: CognitoAttributeSource | undefined,
  allowList: CognitoAttributeAllowList = {},
): AttributeType[] {
  if (source === undefined || source === null) return [];
  if (typeof source !== 'object' || Array.isArray(source)) {
    throw new CognitoInputError('InvalidAttributes', 'User attributes must be an object');
  }
  const standard = new Set(allowList.standard ?? STANDARD_ATTRIBUTES);
  const custom = new Set((allowList.custom ?? []).map(withoutCustomPrefix));
  const attributes: AttributeType[] = [];
  for (const [key, value] of Object.entries(source)) {
    const cognitoName = standard.has(key)
      ? key
      : custom.has(withoutCustomPrefix(key))
        ? CUSTOM_PREFIX + withoutCustomPrefix(key)
        : undefined;
    if (cognitoName === undefined || value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      // The name only: the value may be personal data.
      throw new CognitoInputError('InvalidAttributes', `Attribute "${key}" must be a string, a number or a boolean`);
    }
    attributes.push({ Name: cognitoName, Value: String(value) });
  }
  return attributes;
}

/** Cognito's attribute list as a record, custom names without their prefix. */
export function fromCognitoAttributes(attributes: AttributeType[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { Name, Value } of attributes ?? []) {
    if (Name !== undefined) record[withoutCustomPrefix(Name)] = Value ?? '';
  }
  return record;
}

/** The attributes of `wanted` whose value differs from what `user` has now: what an update must send. */
export function changedAttributes(user: CognitoUserRecord, wanted: AttributeType[]): AttributeType[] {
  return wanted.filter(({ Name, Value }) => user.attributes[withoutCustomPrefix(Name ?? '')] !== Value);
}

/** The shapes Cognito returns a user in: `UserType` (create, list) and AdminGetUser/GetUser's response. */
export type CognitoUserShape = Omit<UserType, 'Username'> & { Username?: string; UserAttributes?: AttributeType[] };

/** A {@link CognitoUserRecord} from what Cognito returned. */
export function toCognitoUser(shape: CognitoUserShape): CognitoUserRecord {
  const user: CognitoUserRecord = {
    username: shape.Username ?? '',
    attributes: fromCognitoAttributes(shape.Attributes ?? shape.UserAttributes),
  };
  if (shape.Enabled !== undefined) user.enabled = shape.Enabled;
  if (shape.UserStatus !== undefined) user.status = shape.UserStatus;
  if (shape.UserCreateDate !== undefined) user.createdAt = shape.UserCreateDate;
  if (shape.UserLastModifiedDate !== undefined) user.updatedAt = shape.UserLastModifiedDate;
  return user;
}
