import type {
  AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommandOutput,
  ForgotPasswordCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable } from '@nestjs/common';
import type {
  CognitoChallengeName,
  CreateUserOptions,
  ListUsersInGroupOptions,
  ListUsersOptions,
  RefreshTokensOptions,
} from '../internal/input-checks';
import type { CognitoAttributeSource, CognitoUserRecord } from '../users/user-record';
import { CognitoTokenRefresher } from '../refresh/token-refresher';
import { CognitoUserAdmin } from '../users/cognito-user-admin';
import { CognitoSessions } from '../users/cognito-sessions';
import { CognitoGroupMembership } from '../users/cognito-group-membership';
import { CognitoPasswords } from '../users/cognito-passwords';
import { CognitoEverywhereSignOut } from './everywhere-sign-out';

/**
 * The server side of a Cognito user pool, after the Ruby `cognito-sync-service`:
 * each method is one Cognito call with the pool, the app client and, when the
 * client has a secret, the SECRET_HASH filled in, under the module's deadline.
 * Cognito's errors are thrown as the SDK raises them; {@link CognitoExceptionFilter}
 * maps them to HTTP. Inject it anywhere; for a pool registered with a `name`, use
 * `@InjectCognito(name)`.
 *
 * @example
 * ```ts
 * constructor(private readonly cognito: CognitoSyncService) {}
 * const { AuthenticationResult } = await this.cognito.refreshTokens(refreshToken, { username });
 * ```
 */
@Injectable()
export class CognitoSyncService {
  constructor(
    private readonly refresher: CognitoTokenRefresher,
    private readonly users: CognitoUserAdmin,
    private readonly sessions: CognitoSessions,
    private readonly groups: CognitoGroupMembership,
    private readonly passwords: CognitoPasswords,
    private readonly everywhere: CognitoEverywhereSignOut,
  ) {}

  /** Whether a refresh needs the user's username (a secret client on AdminInitiateAuth). */
  get requiresUsername(): boolean {
    return this.refresher.requiresUsername;
  }

  /**
   * Refreshes that identical concurrent requests are sharing right now; 0 when
   * none is under way (nothing is kept after a call settles). For metrics and tests.
   */
  get inFlightRefreshes(): number {
    return this.refresher.inFlightRefreshes;
  }

  /**
   * New access and ID tokens for a refresh token. By default AdminInitiateAuth
   * with `REFRESH_TOKEN_AUTH`: Cognito's whole response, challenge fields included,
   * and no `AuthenticationResult.RefreshToken` (keep the old one). With
   * `refreshFlow: 'getTokensFromRefreshToken'` (app clients that rotate refresh
   * tokens): GetTokensFromRefreshToken, the same shape, with the new refresh token
   * in `AuthenticationResult.RefreshToken`. Concurrent calls with the same token,
   * username, device key and metadata share one Cognito call, so they all get the
   * same (rotated) tokens; each caller gets its own copy of the result.
   *
   * @throws CognitoInputError for a missing or malformed token, or a missing
   *   username on a client with a secret (AdminInitiateAuth), before any network call.
   * @throws Cognito's own errors unchanged, e.g. `NotAuthorizedException`, or
   *   `RefreshTokenReuseException` for a rotated-out token (logged as a possible theft).
   * @throws CognitoUnavailableError (503), CognitoTimeoutError (504) or
   *   CognitoBadResponseError (502) when Cognito cannot be reached, misses the
   *   deadline or answers something unreadable.
   */
  refreshTokens(refreshToken: string, options: RefreshTokensOptions = {}): Promise<AdminInitiateAuthCommandOutput> {
    return this.refresher.refresh(refreshToken, options);
  }

  /**
   * Creates a user (AdminCreateUser) with the allowed `attributes`. Without a
   * `temporaryPassword` Cognito makes one; unless `suppressInvitation`, Cognito
   * sends the invitation by `deliveryMediums` (default: EMAIL and/or SMS as `email`/`phone_number` are sent).
   */
  createUser(
    username: string,
    attributes?: CognitoAttributeSource,
    options: CreateUserOptions = {},
  ): Promise<CognitoUserRecord> {
    return this.users.createUser(username, attributes, options);
  }

  /** The user named `username` or one of its aliases (AdminGetUser); `UserNotFoundException` when there is none. */
  findUser(username: string): Promise<CognitoUserRecord> {
    return this.users.findUser(username);
  }

  /** Writes the allowed `attributes` (AdminUpdateUserAttributes), then returns the user as it now is. */
  updateUser(username: string, attributes: CognitoAttributeSource): Promise<CognitoUserRecord> {
    return this.users.updateUser(username, attributes);
  }

  /** Deletes the user (AdminDeleteUser). */
  deleteUser(username: string): Promise<void> {
    return this.users.deleteUser(username);
  }

  /** Lets a disabled user sign in again (AdminEnableUser). */
  enableUser(username: string): Promise<void> {
    return this.users.enableUser(username);
  }

  /** Stops the user from signing in (AdminDisableUser); its tokens are revoked. */
  disableUser(username: string): Promise<void> {
    return this.users.disableUser(username);
  }

  /**
   * Sets the user's password (AdminSetUserPassword). Temporary by default, as in
   * Cognito: the user must then answer NEW_PASSWORD_REQUIRED; `permanent: true` confirms it.
   */
  setUserPassword(username: string, password: string, options: { permanent?: boolean } = {}): Promise<void> {
    return this.users.setUserPassword(username, password, options);
  }

  /**
   * Signs a user in with its password: AdminInitiateAuth `ADMIN_USER_PASSWORD_AUTH`
   * (the app client must allow it). Returns Cognito's whole response: tokens, or a
   * challenge such as NEW_PASSWORD_REQUIRED with its `Session`. A wrong password and
   * an unknown user fail alike (`NotAuthorizedException`, HTTP 401 through the filter).
   */
  signIn(username: string, password: string): Promise<AdminInitiateAuthCommandOutput> {
    return this.users.signIn(username, password);
  }

  /**
   * Answers NEW_PASSWORD_REQUIRED (AdminRespondToAuthChallenge) with the `Session` that
   * {@link signIn} returned. `username` should be the challenge's `USER_ID_FOR_SRP`
   * parameter (the internal username), which the SECRET_HASH is computed over.
   */
  respondToNewPasswordChallenge(
    username: string,
    newPassword: string,
    session: string,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    return this.sessions.respondToNewPasswordChallenge(username, newPassword, session);
  }

  /**
   * Answers a sign-in challenge (AdminRespondToAuthChallenge): NEW_PASSWORD_REQUIRED
   * (`{ NEW_PASSWORD }`), SOFTWARE_TOKEN_MFA (`{ SOFTWARE_TOKEN_MFA_CODE }`), SMS_MFA
   * (`{ SMS_MFA_CODE }`) or EMAIL_OTP (`{ EMAIL_OTP_CODE }`), with the `Session` of the
   * previous step. USERNAME (the challenge's `USER_ID_FOR_SRP`) and the SECRET_HASH are
   * filled in. Returns Cognito's whole response: tokens, or the next challenge.
   */
  respondToAuthChallenge(
    challengeName: CognitoChallengeName,
    session: string,
    username: string,
    responses: Record<string, string>,
  ): Promise<AdminRespondToAuthChallengeCommandOutput> {
    return this.sessions.respondToAuthChallenge(challengeName, session, username, responses);
  }

  /**
   * Revokes a refresh token and the access and ID tokens issued from it (RevokeToken;
   * the app client must have token revocation enabled, Cognito's default). Resolves
   * too when there is nothing to revoke (an unknown, expired or already revoked token,
   * or not a refresh token); a misconfiguration or a fault still throws. Once it
   * resolves, no refresh of the token is answered from a call made before (merged
   * refreshes, or, with `sharedRefresh`, the answer kept for the other instances).
   */
  async signOut(refreshToken: string): Promise<void> {
    await this.sessions.signOut(refreshToken);
    await this.refresher.signedOut(refreshToken);
  }

  /** AdminUserGlobalSignOut: every refresh token of the user stops working; with `session`, every session too. */
  globalSignOut(username: string): Promise<void> {
    return this.everywhere.byUsername(username);
  }

  /** {@link globalSignOut} by the user's `sub` (a session's or a token's claim); found by ListUsers. */
  signOutEverywhere(sub: string): Promise<void> {
    return this.everywhere.bySub(sub);
  }

  /** Adds the user to an existing group (AdminAddUserToGroup); a no-op when it is a member already. */
  addUserToGroup(username: string, group: string): Promise<void> {
    return this.groups.addUserToGroup(username, group);
  }

  /** Removes the user from a group (AdminRemoveUserFromGroup). */
  removeUserFromGroup(username: string, group: string): Promise<void> {
    return this.groups.removeUserFromGroup(username, group);
  }

  /** The names of the user's groups (AdminListGroupsForUser, every page). */
  listGroupsForUser(username: string): Promise<string[]> {
    return this.groups.listGroupsForUser(username);
  }

  /** The members of a group (ListUsersInGroup), page after page by `NextToken`, as the loop asks for them. */
  listUsersInGroup(group: string, options: ListUsersInGroupOptions = {}): AsyncIterable<CognitoUserRecord> {
    return this.groups.listUsersInGroup(group, options);
  }

  /**
   * Makes the user reset its password (AdminResetUserPassword): Cognito
   * sends a code, sign-in then fails until confirmForgotPassword.
   */
  resetUserPassword(username: string): Promise<void> {
    return this.passwords.resetUserPassword(username);
  }

  /** Sends the user a code to reset its password (ForgotPassword); returns where Cognito sent it. */
  forgotPassword(username: string): Promise<ForgotPasswordCommandOutput> {
    return this.passwords.forgotPassword(username);
  }

  /** Sets a new password with the code that forgotPassword or resetUserPassword sent (ConfirmForgotPassword). */
  confirmForgotPassword(username: string, code: string, newPassword: string): Promise<void> {
    return this.passwords.confirmForgotPassword(username, code, newPassword);
  }

  /** Changes the password of the user an access token belongs to (ChangePassword), given the current one. */
  changePassword(accessToken: string, oldPassword: string, newPassword: string): Promise<void> {
    return this.passwords.changePassword(accessToken, oldPassword, newPassword);
  }

  /**
   * The user an access token belongs to (GetUser). Cognito checks the token online,
   * so a revoked or signed-out token fails here (`NotAuthorizedException`) even
   * while its signature and expiry are still good.
   */
  findUserByAccessToken(accessToken: string): Promise<CognitoUserRecord> {
    return this.users.findUserByAccessToken(accessToken);
  }

  /**
   * Every user of the pool (ListUsers), page after page by `PaginationToken`, as
   * the loop asks for them. `filter` is Cognito's, e.g. `email ^= "ann"`. Errors,
   * bad options included, surface while iterating.
   */
  listUsers(options: ListUsersOptions = {}): AsyncIterable<CognitoUserRecord> {
    return this.users.listUsers(options);
  }

  /**
   * Pushes one row of the app's users into the pool: creates the user when it is
   * missing (with `createOptions`), otherwise sends only the allowed attributes whose
   * value differs, and makes no call at all when none does.
   */
  upsertUser(
    username: string,
    attributes: CognitoAttributeSource,
    createOptions?: CreateUserOptions,
  ): Promise<{ user: CognitoUserRecord; created: boolean }> {
    return this.users.upsertUser(username, attributes, createOptions);
  }
}

/** The token of a registration's {@link CognitoSyncService}: the class for the default registration. */
export function getCognitoServiceToken(name?: string): string | typeof CognitoSyncService {
  return name === undefined ? CognitoSyncService : `COGNITO:SERVICE:${name}`;
}

/**
 * Injects the {@link CognitoSyncService} of the registration named `name`, or of
 * the default one: `constructor(@InjectCognito('staff') private readonly staff: CognitoSyncService)`.
 */
export const InjectCognito = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getCognitoServiceToken(name));
