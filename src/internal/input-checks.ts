import type {
  AdminCreateUserRequest,
  AttributeType,
  DeliveryMediumType,
} from '@aws-sdk/client-cognito-identity-provider';
import { MAX_REFRESH_TOKEN_LENGTH, MAX_USERNAME_LENGTH } from '../options/constants';
import { CognitoInputError } from '../errors/cognito.errors';

/** Options of {@link CognitoSyncService.refreshTokens}. */
export interface RefreshTokensOptions {
  /**
   * The user's internal Cognito username (`username` claim of the access token,
   * `cognito:username` of the ID token). Required when the app client has a secret
   * and the refresh goes through AdminInitiateAuth.
   */
  username?: string;
  /** The device key, when the pool tracks devices. */
  deviceKey?: string;
  /** Passed to Cognito's Lambda triggers. */
  clientMetadata?: Record<string, string>;
}

/** Options of {@link CognitoSyncService.createUser} (and of the create in `upsertUser`). */
export interface CreateUserOptions {
  /** The first password; without one Cognito generates it. The user must change it at first sign-in. */
  temporaryPassword?: string;
  /** Send no invitation message (Cognito's `MessageAction: 'SUPPRESS'`). */
  suppressInvitation?: boolean;
  /**
   * Where Cognito sends the invitation. Default: where the attributes sent allow,
   * `EMAIL` for an `email`, `SMS` for a `phone_number`, both for both; with
   * neither, Cognito's own default (SMS). Unused with `suppressInvitation`.
   */
  deliveryMediums?: ('EMAIL' | 'SMS')[];
}

/** Options of {@link CognitoSyncService.listUsers}. */
export interface ListUsersOptions {
  /** Cognito's ListUsers filter, e.g. `email ^= "ann"` or `status = "Enabled"`. */
  filter?: string;
  /** Users per call to Cognito, 1 to 60 (Cognito's limit); default Cognito's, 60. */
  pageSize?: number;
}

/** Cognito's limits on passwords and sessions are 256 and 2048 characters; a little slack here. */
const MAX_SECRET_LENGTH = 256;
const MAX_SESSION_LENGTH = 4096;
const MAX_ACCESS_TOKEN_LENGTH = 8192;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * What {@link CreateUserOptions} add to AdminCreateUser's input, checked before any
 * call. `attributes` are those sent: they decide the default delivery mediums.
 */
export function createUserExtras(
  options: CreateUserOptions,
  attributes: AttributeType[] = [],
): Pick<AdminCreateUserRequest, 'TemporaryPassword' | 'MessageAction' | 'DesiredDeliveryMediums'> {
  const { temporaryPassword, suppressInvitation, deliveryMediums } = options ?? {};
  if (
    deliveryMediums !== undefined &&
    (!Array.isArray(deliveryMediums) || deliveryMediums.some((m) => m !== 'EMAIL' && m !== 'SMS'))
  ) {
    throw new CognitoInputError('InvalidParameter', 'deliveryMediums must be an array of "EMAIL" and "SMS"');
  }
  return {
    TemporaryPassword:
      temporaryPassword === undefined ? undefined : checkedSecret('temporaryPassword', temporaryPassword),
    MessageAction: suppressInvitation ? 'SUPPRESS' : undefined,
    DesiredDeliveryMediums: deliveryMediums ?? (suppressInvitation ? undefined : defaultDeliveryMediums(attributes)),
  };
}

/**
 * Cognito's own default is SMS, which fails for a user with only an email, after
 * the user was created (a retry then gets 409): send it where the attributes allow.
 */
function defaultDeliveryMediums(attributes: AttributeType[]): DeliveryMediumType[] | undefined {
  const has = (name: string) => attributes.some((attribute) => attribute.Name === name && attribute.Value);
  const mediums: DeliveryMediumType[] = [
    ...(has('email') ? ['EMAIL' as const] : []),
    ...(has('phone_number') ? ['SMS' as const] : []),
  ];
  return mediums.length > 0 ? mediums : undefined;
}

/** A password, checked before any call; the message never echoes it. */
export function checkedSecret(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_SECRET_LENGTH) {
    throw new CognitoInputError(
      'InvalidParameter',
      `${name} must be a non-empty string of at most ${MAX_SECRET_LENGTH} characters`,
    );
  }
  return value;
}

/** A challenge's session, checked before any call. */
export function checkedSession(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_SESSION_LENGTH) {
    throw new CognitoInputError('InvalidParameter', 'session must be the non-empty Session that signIn returned');
  }
  return value;
}

/** An access token: refused before any call unless it looks like a JWT. */
export function checkedAccessToken(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_ACCESS_TOKEN_LENGTH || !JWT.test(value)) {
    throw new CognitoInputError('InvalidAccessToken', 'An access token (a JWT) is required');
  }
  return value;
}

/** {@link ListUsersOptions}, checked before any call. */
export function checkedListUsers(options: ListUsersOptions): ListUsersOptions {
  const { filter, pageSize } = options ?? {};
  if (filter !== undefined && (typeof filter !== 'string' || filter.length > 256)) {
    throw new CognitoInputError('InvalidParameter', 'filter must be a string of at most 256 characters');
  }
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 60)) {
    throw new CognitoInputError('InvalidParameter', 'pageSize must be an integer from 1 to 60');
  }
  return { filter, pageSize };
}

/** Refresh tokens are base64url segments joined by dots (JWE on AWS, JWT on emulators). */
const TOKEN_CHARACTERS = /^[\w.-]+$/;

/** A refresh token as a string of token characters, at most 8 KiB; refused before any call otherwise. */
export function checkedRefreshToken(token: unknown): string {
  if (typeof token !== 'string' || token === '') {
    throw new CognitoInputError('InvalidRefreshToken', 'A refresh token (a non-empty string) is required');
  }
  if (token.length > MAX_REFRESH_TOKEN_LENGTH || !TOKEN_CHARACTERS.test(token)) {
    throw new CognitoInputError('InvalidRefreshToken', 'The refresh token is malformed');
  }
  return token;
}

/** A non-empty string of at most `max` characters. */
export function checkedString(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new CognitoInputError('InvalidParameter', `${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

/** A username within Cognito's limit. */
export function checkedUsername(username: unknown): string {
  return checkedString('username', username, MAX_USERNAME_LENGTH);
}

/** Options of {@link CognitoSyncService.listUsersInGroup}. */
export interface ListUsersInGroupOptions {
  /** Users per call to Cognito, 1 to 60 (Cognito's limit); default Cognito's, 60. */
  pageSize?: number;
}

/** The challenges `respondToAuthChallenge` answers, and the response each one needs. */
export const CHALLENGE_RESPONSE = {
  NEW_PASSWORD_REQUIRED: 'NEW_PASSWORD',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
} as const;

/** A challenge of {@link CHALLENGE_RESPONSE}. */
export type CognitoChallengeName = keyof typeof CHALLENGE_RESPONSE;

/** Cognito's group names: 1 to 128 letters, marks, symbols, digits or punctuation (no whitespace). */
const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
/** Cognito's confirmation and MFA codes: 1 to 2048 characters, no whitespace. */
const CODE = /^\S{1,2048}$/;

/** A group name within Cognito's limits, checked before any call. */
export function checkedGroupName(value: unknown): string {
  if (typeof value !== 'string' || !GROUP_NAME.test(value)) {
    throw new CognitoInputError(
      'InvalidParameter',
      'group must be 1 to 128 letters, digits, symbols or punctuation, without spaces',
    );
  }
  return value;
}

/** A confirmation or MFA code, checked before any call; the message never echoes it. */
export function checkedCode(name: string, value: unknown): string {
  if (typeof value !== 'string' || !CODE.test(value)) {
    throw new CognitoInputError(
      'InvalidParameter',
      `${name} must be a non-empty string of at most 2048 characters, without spaces`,
    );
  }
  return value;
}

/** A page size of 1 to 60, Cognito's limit. */
export function checkedPageSize(pageSize: unknown): number | undefined {
  if (
    pageSize !== undefined &&
    (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > 60)
  ) {
    throw new CognitoInputError('InvalidParameter', 'pageSize must be an integer from 1 to 60');
  }
  return pageSize as number | undefined;
}
