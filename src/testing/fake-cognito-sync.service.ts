import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import type { Provider } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { type CognitoSyncService, getCognitoServiceToken } from '../service/cognito-sync.service';
import {
  checkedListUsers,
  checkedSecret,
  checkedUsername,
  createUserExtras,
  type CreateUserOptions,
  type ListUsersOptions,
  type RefreshTokensOptions,
} from '../internal/input-checks';
import type { CognitoAttributeSource, CognitoUserRecord } from '../users/user-record';
import { checkedPassword, cognitoError, type FakeCognitoUser, publicUser } from './fake-cognito-pool';
import { matchesFilter } from './fake-cognito-filter';
import { decodeJwtPayload } from './test-claims';
import {
  checkedRefreshToken,
  FakeCognitoAccounts,
  type FakeCognitoSyncServiceOptions,
  METADATA,
} from './fake-cognito-accounts';

export type { FakeCognitoSyncServiceOptions } from './fake-cognito-accounts';

/** Every public member of the real service: a changed signature there fails the type check here. */
type CognitoSyncServiceApi = Pick<CognitoSyncService, keyof CognitoSyncService>;

/**
 * An in-memory `CognitoSyncService` for an app's unit tests: the same methods,
 * Cognito's behaviour (aliases, statuses, the NEW_PASSWORD_REQUIRED and MFA challenges,
 * disabled users, groups, sign-out, password resets with the code from {@link codeSentTo},
 * Cognito's default password policy) and Cognito's errors as the
 * SDK's exception classes (`UserNotFoundException`, `UsernameExistsException`,
 * `NotAuthorizedException`, ...), so that `CognitoExceptionFilter` answers as it would.
 *
 * ```ts
 * Test.createTestingModule({ providers: [AccountsService, new FakeCognitoSyncService().provider()] })
 * // or, with CognitoModule imported: .overrideProvider(CognitoSyncService).useValue(new FakeCognitoSyncService())
 * ```
 */
export class FakeCognitoSyncService extends FakeCognitoAccounts implements CognitoSyncServiceApi {
  constructor(options: FakeCognitoSyncServiceOptions = {}) {
    super(options);
    for (const user of options.users ?? []) this.addUser(user);
  }

  /**
   * Registers this fake as the service: `providers: [fake.provider()]`, or `fake.provider('staff')` for a named pool.
   */
  provider(name?: string): Provider {
    return { provide: getCognitoServiceToken(name), useValue: this };
  }

  /** Arranges a user directly (no password policy, no allow-list): CONFIRMED unless `status` says otherwise. */
  addUser(user: FakeCognitoUser): CognitoUserRecord {
    const stored = this.store.add(user);
    for (const group of stored.groups) this.groups.add(group);
    return publicUser(stored);
  }

  get requiresUsername(): boolean {
    return this.options.withSecret === true;
  }

  get inFlightRefreshes(): number {
    return 0;
  }

  async refreshTokens(
    refreshToken: string,
    options: RefreshTokensOptions = {},
  ): Promise<AdminInitiateAuthCommandOutput> {
    checkedRefreshToken(refreshToken, { ...options, requiresUsername: this.requiresUsername });
    const owner = this.refreshTokenOwners.get(refreshToken);
    const user = owner === undefined ? undefined : this.store.find(owner);
    if (user === undefined) throw cognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    if (this.requiresUsername && options.username !== user.username)
      throw cognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    if (!user.enabled) throw cognitoError('NotAuthorizedException', 'User is disabled.');
    // AdminInitiateAuth's refresh keeps the refresh token: none in the answer.
    return { $metadata: METADATA, ChallengeParameters: {}, AuthenticationResult: this.tokensFor(user, false) };
  }

  async createUser(
    username: string,
    attributes?: CognitoAttributeSource,
    options: CreateUserOptions = {},
  ): Promise<CognitoUserRecord> {
    createUserExtras(options); // the real service's checks of the options, before any call
    const { temporaryPassword } = options ?? {};
    const password =
      temporaryPassword === undefined
        ? `Tmp-${randomBytes(9).toString('base64url')}1a!`
        : checkedPassword('temporaryPassword', temporaryPassword);
    const allowed = this.store.allowed(attributes);
    return publicUser(
      this.store.add({
        username: checkedUsername(username),
        password,
        attributes: allowed,
        status: 'FORCE_CHANGE_PASSWORD',
      }),
    );
  }

  async findUser(username: string): Promise<CognitoUserRecord> {
    return publicUser(this.store.get(username));
  }

  async updateUser(username: string, attributes: CognitoAttributeSource): Promise<CognitoUserRecord> {
    const user = this.store.get(username);
    Object.assign(user.attributes, this.store.allowed(attributes));
    user.updatedAt = new Date();
    return publicUser(user);
  }

  async deleteUser(username: string): Promise<void> {
    this.store.delete(this.store.get(username));
  }

  async enableUser(username: string): Promise<void> {
    this.store.get(username).enabled = true;
  }

  async disableUser(username: string): Promise<void> {
    const user = this.store.get(username);
    user.enabled = false;
    this.revokeAll(user);
  }

  async setUserPassword(username: string, password: string, options: { permanent?: boolean } = {}): Promise<void> {
    const user = this.store.get(username);
    user.password = checkedPassword('password', password);
    user.status = options.permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  }

  async signIn(username: string, password: string): Promise<AdminInitiateAuthCommandOutput> {
    checkedUsername(username);
    checkedSecret('password', password);
    const user = this.store.find(username);
    // An unknown user and a wrong password look alike, as in a pool that prevents user existence errors.
    if (user === undefined || user.password !== password)
      throw cognitoError('NotAuthorizedException', 'Incorrect username or password.');
    if (!user.enabled) throw cognitoError('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'RESET_REQUIRED')
      throw cognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      const userAttributes = JSON.stringify(
        Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== 'sub')),
      );
      return this.challenge(user, 'NEW_PASSWORD_REQUIRED', { requiredAttributes: '[]', userAttributes });
    }
    if (user.mfa !== undefined) return this.challenge(user, user.mfa.challenge, {});
    return { $metadata: METADATA, ChallengeParameters: {}, AuthenticationResult: this.tokensFor(user) };
  }

  /**
   * Any access token naming a user of the fake (its own, or a test kit's): the fake checks no signature, only `exp`.
   */
  async findUserByAccessToken(accessToken: string): Promise<CognitoUserRecord> {
    const claims = typeof accessToken === 'string' ? decodeJwtPayload(accessToken) : undefined;
    if (claims === undefined || claims.token_use !== 'access' || typeof claims.username !== 'string') {
      throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now())
      throw cognitoError('NotAuthorizedException', 'Access Token has expired');
    const user = this.store.get(claims.username);
    if (!user.enabled) throw cognitoError('NotAuthorizedException', 'User is disabled.');
    return publicUser(user);
  }

  async *listUsers(options: ListUsersOptions = {}): AsyncIterable<CognitoUserRecord> {
    const { filter } = checkedListUsers(options);
    for (const user of this.store.all()) if (matchesFilter(user, filter)) yield publicUser(user);
  }

  /** As the real service: every refresh token of the user whose `sub` this is stops working; no such user, nothing. */
  async signOutEverywhere(sub: string): Promise<void> {
    for (const user of this.store.all()) if (user.attributes.sub === sub) return this.globalSignOut(user.username);
  }

  async upsertUser(
    username: string,
    attributes: CognitoAttributeSource,
    createOptions?: CreateUserOptions,
  ): Promise<{ user: CognitoUserRecord; created: boolean }> {
    const existing = this.store.find(username);
    if (existing === undefined)
      return { user: await this.createUser(username, attributes, createOptions), created: true };
    const wanted = this.store.allowed(attributes);
    const changed = Object.entries(wanted).some(([name, value]) => existing.attributes[name] !== value);
    return {
      user: changed ? await this.updateUser(existing.username, attributes) : publicUser(existing),
      created: false,
    };
  }
}
