import {
  CodeMismatchException,
  InvalidParameterException,
  InvalidPasswordException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  ResourceNotFoundException,
  UsernameExistsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { checkedSecret, checkedUsername } from '../internal/input-checks';
import { STANDARD_ATTRIBUTES } from '../options/attributes';
import type { CognitoAttributeAllowList } from '../options/cognito-module-options';
import { type CognitoUserRecord, toCognitoAttributes } from '../users/user-record';

/** A user of the fake pool, as a test arranges it. */
export interface FakeCognitoUser {
  /** The username; in a pool with `usernameAttributes`, an email or phone number is an alias of a UUID username. */
  username: string;
  password?: string;
  /** Attribute names as Cognito has them (`email`, `custom:plan` or `plan`); kept as given, without the allow-list. */
  attributes?: Record<string, string>;
  /** Default `true`. */
  enabled?: boolean;
  /** Default `CONFIRMED`; `FORCE_CHANGE_PASSWORD` makes `signIn` answer NEW_PASSWORD_REQUIRED. */
  status?: string;
  /** `cognito:groups` of the tokens the fake mints for the user; the groups exist in the fake pool. */
  groups?: string[];
  /** After the password, `signIn` answers this MFA challenge, which `respondToAuthChallenge` passes with `code`. */
  mfa?: { challenge: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP'; code: string };
}

/** A user as the fake keeps it. */
export interface StoredUser extends CognitoUserRecord {
  enabled: boolean;
  status: string;
  password: string;
  groups: string[];
  mfa?: FakeCognitoUser['mfa'];
}

/** Cognito's error classes from the SDK, so that `CognitoExceptionFilter` maps them as it maps Cognito's own. */
const ERRORS = {
  CodeMismatchException,
  InvalidParameterException,
  InvalidPasswordException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  ResourceNotFoundException,
  UsernameExistsException,
  UserNotFoundException,
};

export function cognitoError(name: keyof typeof ERRORS, message: string): Error {
  return new ERRORS[name]({ message, $metadata: { httpStatusCode: 400 } });
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+\d{6,15}$/;

/** The users of one fake pool, found by username or, with `usernameAttributes`, by email or phone number. */
export class FakeUserStore {
  private readonly users = new Map<string, StoredUser>();

  constructor(
    private readonly usernameAttributes: ReadonlyArray<'email' | 'phone_number'> = [],
    private readonly allowList?: CognitoAttributeAllowList,
  ) {}

  all(): StoredUser[] {
    return [...this.users.values()];
  }

  find(username: string): StoredUser | undefined {
    checkedUsername(username);
    const user = this.users.get(username);
    if (user !== undefined) return user;
    return this.all().find((candidate) =>
      this.usernameAttributes.some((alias) => candidate.attributes[alias] === username),
    );
  }

  get(username: string): StoredUser {
    const user = this.find(username);
    if (user === undefined) throw cognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  /** Adds a user as Cognito's AdminCreateUser would: a UUID username in a pool that signs in by email or phone. */
  add(user: FakeCognitoUser): StoredUser {
    const {
      username,
      password = randomUUID(),
      attributes = {},
      enabled = true,
      status = 'CONFIRMED',
      groups = [],
      mfa,
    } = user;
    if (this.find(username) !== undefined) throw cognitoError('UsernameExistsException', 'User account already exists');
    const alias = this.aliasOf(username);
    const now = new Date();
    const stored: StoredUser = {
      username: alias === undefined ? username : randomUUID(),
      enabled,
      status,
      createdAt: now,
      updatedAt: now,
      attributes: {
        sub: randomUUID(),
        ...(alias === undefined ? {} : { [alias]: username }),
        ...withoutPrefixes(attributes),
      },
      password,
      groups: [...groups],
      mfa,
    };
    for (const name of this.usernameAttributes) {
      const value = stored.attributes[name];
      if (value !== undefined && this.all().some((other) => other.attributes[name] === value)) {
        throw cognitoError(
          'UsernameExistsException',
          `An account with the given ${name === 'email' ? 'email' : 'phone_number'} already exists.`,
        );
      }
    }
    this.users.set(stored.username, stored);
    return stored;
  }

  delete(user: StoredUser): void {
    this.users.delete(user.username);
  }

  /** The allowed attributes of `source` (the module option `attributes`), as Cognito names without `custom:`. */
  allowed(source: object | undefined): Record<string, string> {
    const record: Record<string, string> = {};
    for (const { Name, Value } of toCognitoAttributes(source, this.allowList))
      record[withoutPrefix(Name!)] = Value ?? '';
    return record;
  }

  private aliasOf(username: string): 'email' | 'phone_number' | undefined {
    if (this.usernameAttributes.length === 0) return undefined;
    if (this.usernameAttributes.includes('email') && EMAIL.test(username)) return 'email';
    if (this.usernameAttributes.includes('phone_number') && PHONE.test(username)) return 'phone_number';
    throw cognitoError(
      'InvalidParameterException',
      `Username should be ${this.usernameAttributes.includes('email') ? 'an email' : 'a phone number'}.`,
    );
  }
}

/** A copy that the caller may change freely, as a fresh Cognito answer would be. */
export function publicUser(user: StoredUser): CognitoUserRecord {
  const { username, enabled, status, createdAt, updatedAt, attributes } = user;
  return {
    username,
    enabled,
    status,
    createdAt: new Date(createdAt!),
    updatedAt: new Date(updatedAt!),
    attributes: { ...attributes },
  };
}

/**
 * Cognito's default password policy: 8 characters or more, with
 * a lowercase and an uppercase letter, a digit and a symbol.
 */
export function checkedPassword(name: string, value: unknown): string {
  const password = checkedSecret(name, value);
  const missing = [
    [password.length >= 8, 'Password not long enough'],
    [/[a-z]/.test(password), 'Password must have lowercase characters'],
    [/[A-Z]/.test(password), 'Password must have uppercase characters'],
    [/\d/.test(password), 'Password must have numeric characters'],
    [/[^a-zA-Z0-9\s]/.test(password), 'Password must have symbol characters'],
  ].find(([met]) => !met);
  if (missing) throw cognitoError('InvalidPasswordException', `Password did not conform with policy: ${missing[1]}`);
  return password;
}

function withoutPrefix(name: string): string {
  return name.startsWith('custom:') ? name.slice('custom:'.length) : name;
}

function withoutPrefixes(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [withoutPrefix(name), String(value)]));
}

const VERIFIED = new Set(['email_verified', 'phone_number_verified']);

/** A user's attributes as ID token claims: custom ones with their prefix, `*_verified` as booleans. */
export function idTokenAttributes(attributes: Record<string, string>): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub') continue;
    const claim = STANDARD_ATTRIBUTES.includes(name) ? name : `custom:${name}`;
    claims[claim] = VERIFIED.has(name) ? value === 'true' : value;
  }
  return claims;
}
