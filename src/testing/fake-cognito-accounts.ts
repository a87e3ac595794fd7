import type {
  AdminRespondToAuthChallengeCommandOutput,
  AuthenticationResultType,
  CodeDeliveryDetailsType,
  ForgotPasswordCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes, randomInt } from 'node:crypto';
import { CognitoInputError } from '../errors/cognito.errors';
import {
  CHALLENGE_RESPONSE,
  checkedCode,
  checkedGroupName,
  checkedPageSize,
  checkedRefreshToken as checkedTokenShape,
  type CognitoChallengeName,
  type ListUsersInGroupOptions,
  type RefreshTokensOptions,
} from '../internal/input-checks';
import type { CognitoAttributeAllowList } from '../options/cognito-module-options';
import type { CognitoUserRecord } from '../users/user-record';
import {
  checkedPassword,
  cognitoError,
  type FakeCognitoUser,
  FakeUserStore,
  idTokenAttributes,
  publicUser,
  type StoredUser,
} from './fake-cognito-pool';
import type { CognitoTestKit } from './cognito-test-kit';
import { accessTokenClaims, decodeJwtPayload, encodeJwt, idTokenClaims } from './test-claims';

/** Options of {@link FakeCognitoSyncService}. */
export interface FakeCognitoSyncServiceOptions {
  /** Users already in the pool (CONFIRMED, with their password, unless `status` says otherwise). */
  users?: FakeCognitoUser[];
  /** Behave as an app client with a secret: `refreshTokens` then needs the `username` option. */
  withSecret?: boolean;
  /** The module option `attributes`: what `createUser`, `updateUser` and `upsertUser` keep. */
  attributes?: CognitoAttributeAllowList;
  /** The pool signs in by `email` or `phone_number`: they are aliases of a UUID username, as on AWS. */
  usernameAttributes?: Array<'email' | 'phone_number'>;
  /** Mint the tokens of `signIn` and `refreshTokens` with a test kit, so that the real guard accepts them. */
  tokens?: Pick<CognitoTestKit, 'accessToken' | 'idToken'>;
  /** Groups of the pool, besides those of `users`: `addUserToGroup` needs an existing group, as in Cognito. */
  groups?: string[];
}

export const METADATA = { httpStatusCode: 200 };
const FAKE_CONTEXT = { issuer: 'https://cognito-idp.fake.invalid/local_Fake', clientId: 'fakeclient' };

/**
 * @internal The fake's users, tokens, sessions, groups and codes, and the methods of
 * `FakeCognitoSyncService` over them that came with sign-out, groups, password
 * resets and MFA challenges (the class is split only to stay readable).
 */
export abstract class FakeCognitoAccounts {
  protected readonly store: FakeUserStore;
  /** Tokens the fake issued, to the internal username they were issued for. */
  protected readonly refreshTokenOwners = new Map<string, string>();
  /** A challenge's session: whose, and which challenge it answers. */
  protected readonly sessions = new Map<string, { username: string; challenge: CognitoChallengeName }>();
  /** The groups of the pool (a user's groups are its memberships). */
  protected readonly groups = new Set<string>();
  /** The last code ForgotPassword or AdminResetUserPassword "sent", by internal username. */
  private readonly codes = new Map<string, string>();

  constructor(protected readonly options: FakeCognitoSyncServiceOptions) {
    this.store = new FakeUserStore(options.usernameAttributes, options.attributes);
    for (const group of options.groups ?? []) this.groups.add(group);
  }

  /** The code Cognito would have sent the user by email or SMS (forgotPassword, resetUserPassword). */
  codeSentTo(username: string): string | undefined {
    return this.codes.get(this.store.get(username).username);
  }

  async signOut(refreshToken: string): Promise<void> {
    checkedRefreshToken(refreshToken, {});
    // Unknown or already revoked: nothing to revoke, as the real service resolves.
    this.refreshTokenOwners.delete(refreshToken);
  }

  async globalSignOut(username: string): Promise<void> {
    this.revokeAll(this.store.get(username));
  }

  async addUserToGroup(username: string, group: string): Promise<void> {
    const user = this.store.get(username);
    if (!user.groups.includes(this.group(group))) user.groups.push(group);
  }

  async removeUserFromGroup(username: string, group: string): Promise<void> {
    const user = this.store.get(username);
    user.groups = user.groups.filter((name) => name !== this.group(group));
  }

  async listGroupsForUser(username: string): Promise<string[]> {
    return [...this.store.get(username).groups];
  }

  async *listUsersInGroup(group: string, options: ListUsersInGroupOptions = {}): AsyncIterable<CognitoUserRecord> {
    checkedPageSize(options?.pageSize);
    const name = this.group(group);
    for (const user of this.store.all()) if (user.groups.includes(name)) yield publicUser(user);
  }

  async resetUserPassword(username: string): Promise<void> {
    const user = this.store.get(username);
    this.sendCode(user);
    user.status = 'RESET_REQUIRED';
    this.revokeAll(user);
  }

  async forgotPassword(username: string): Promise<ForgotPasswordCommandOutput> {
    return { $metadata: METADATA, CodeDeliveryDetails: this.sendCode(this.store.get(username)) };
  }

  async confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void> {
    checkedCode('code', code);
    const user = this.store.get(username);
    if (this.codes.get(user.username) !== code)
      throw cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    user.password = checkedPassword('newPassword', newPassword);
    user.status = 'CONFIRMED';
    this.codes.delete(user.username);
  }

  async changePassword(accessToken: string, oldPassword: string, newPassword: string): Promise<void> {
    const claims = typeof accessToken === 'string' ? decodeJwtPayload(accessToken) : undefined;
    if (claims?.token_use !== 'access' || typeof claims.username !== 'string')
      throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
    const user = this.store.get(claims.username);
    checkedPassword('oldPassword', oldPassword);
    if (user.password !== oldPassword) throw cognitoError('NotAuthorizedException', 'Incorrect username or password.');
    user.password = checkedPassword('newPassword', newPassword);
  }

  async respondToAuthChallenge(
    challengeName: CognitoChallengeName,
    session: string,
    username: string,
    responses: Record<string, string>,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    const key = CHALLENGE_RESPONSE[challengeName];
    if (key === undefined)
      throw new CognitoInputError(
        'InvalidParameter',
        `challengeName must be one of ${Object.keys(CHALLENGE_RESPONSE).join(', ')}`,
      );
    const answer = responses?.[key];
    if (key === 'NEW_PASSWORD') checkedPassword(key, answer);
    else checkedCode(key, answer);
    const started = this.sessions.get(session);
    const user = started === undefined ? undefined : this.store.find(username);
    if (user === undefined || user.username !== started!.username || started!.challenge !== challengeName) {
      throw cognitoError('NotAuthorizedException', 'Invalid session for the user.');
    }
    if (key === 'NEW_PASSWORD') {
      user.password = answer;
      user.status = 'CONFIRMED';
    } else if (user.mfa?.code !== answer) {
      throw cognitoError('CodeMismatchException', 'Invalid code received for user');
    }
    this.sessions.delete(session);
    return { $metadata: METADATA, ChallengeParameters: {}, AuthenticationResult: this.tokensFor(user) };
  }

  async respondToNewPasswordChallenge(
    username: string,
    newPassword: string,
    session: string,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    return this.respondToAuthChallenge('NEW_PASSWORD_REQUIRED', session, username, {
      NEW_PASSWORD: checkedPassword('newPassword', newPassword),
    });
  }

  /** A challenge for `user`, as signIn answers it. */
  protected challenge(user: StoredUser, challenge: CognitoChallengeName, parameters: Record<string, string>) {
    const session = randomBytes(32).toString('base64url');
    this.sessions.set(session, { username: user.username, challenge });
    return {
      $metadata: METADATA,
      ChallengeName: challenge,
      Session: session,
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, ...parameters },
    };
  }

  /** Cognito revokes every refresh token of a user who is signed out globally, disabled or reset. */
  protected revokeAll(user: StoredUser): void {
    for (const [token, owner] of this.refreshTokenOwners)
      if (owner === user.username) this.refreshTokenOwners.delete(token);
  }

  /** Without a test kit, unsigned tokens of the same shape: the app can read them, no verifier accepts them. */
  protected tokensFor(user: StoredUser, withRefreshToken = true): AuthenticationResultType {
    const access = { username: user.username, groups: user.groups, sub: user.attributes.sub };
    // The ID token carries the user's attributes, custom ones with their prefix; undefined drops a default claim.
    const id = { ...access, email: undefined, email_verified: undefined, ...idTokenAttributes(user.attributes) };
    const { tokens } = this.options;
    const result: AuthenticationResultType = {
      AccessToken: tokens
        ? tokens.accessToken(access)
        : encodeJwt({ alg: 'none' }, accessTokenClaims(FAKE_CONTEXT, access)),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
      IdToken: tokens ? tokens.idToken(id) : encodeJwt({ alg: 'none' }, idTokenClaims(FAKE_CONTEXT, id)),
    };
    if (withRefreshToken) {
      result.RefreshToken = randomBytes(48).toString('base64url');
      this.refreshTokenOwners.set(result.RefreshToken, user.username);
    }
    return result;
  }

  /** An existing group (Cognito's ResourceNotFoundException otherwise); the name checked as the service checks it. */
  private group(name: string): string {
    checkedGroupName(name);
    if (!this.groups.has(name)) throw cognitoError('ResourceNotFoundException', 'Group not found.');
    return name;
  }

  /** "Sends" a code where Cognito would: the email, else the phone number. */
  private sendCode(user: StoredUser): CodeDeliveryDetailsType {
    const { email, phone_number: phone } = user.attributes;
    if (email === undefined && phone === undefined) {
      throw cognitoError(
        'InvalidParameterException',
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    }
    this.codes.set(user.username, String(randomInt(0, 1_000_000)).padStart(6, '0'));
    if (email !== undefined)
      return {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: `${email[0]}***@${email.split('@')[1]?.[0] ?? ''}***`,
      };
    return { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: `+*******${phone!.slice(-4)}` };
  }
}

/** The service's check of a refresh token, before any call: its shape, and a username for a client with a secret. */
export function checkedRefreshToken(
  refreshToken: unknown,
  options: RefreshTokensOptions & { requiresUsername?: boolean },
): string {
  const token = checkedTokenShape(refreshToken);
  if (options.requiresUsername && !options.username) {
    throw new CognitoInputError(
      'UsernameRequired',
      'This app client has a secret: the username (the access token\'s "username" claim) is required',
    );
  }
  return token;
}
