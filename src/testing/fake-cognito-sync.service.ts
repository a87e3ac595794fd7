import type {
  AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommandOutput,
  AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Provider } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  type CognitoAttributeAllowList,
  type CognitoAttributeSource,
  CognitoInputError,
  type CognitoSyncService,
  type CognitoUserRecord,
  type CreateUserOptions,
  getCognitoServiceToken,
  type ListUsersOptions,
  type RefreshTokensOptions,
} from '../index';
import type { CognitoTestKit } from './cognito-test-kit';
import {
  checkedPassword,
  checkedUsername,
  cognitoError,
  type FakeCognitoUser,
  FakeUserStore,
  idTokenAttributes,
  publicUser,
  type StoredUser,
} from './fake-cognito-pool';
import { matchesFilter } from './fake-cognito-filter';
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
}

/** Every public member of the real service: a changed signature there fails the type check here. */
type CognitoSyncServiceApi = Pick<CognitoSyncService, keyof CognitoSyncService>;

const METADATA = { httpStatusCode: 200 };
const FAKE_CONTEXT = { issuer: 'https://cognito-idp.fake.invalid/local_Fake', clientId: 'fakeclient' };

/**
 * An in-memory `CognitoSyncService` for an app's unit tests: the same methods,
 * Cognito's behaviour (aliases, statuses, the NEW_PASSWORD_REQUIRED challenge,
 * disabled users, Cognito's default password policy) and Cognito's errors as the
 * SDK's exception classes (`UserNotFoundException`, `UsernameExistsException`,
 * `NotAuthorizedException`, ...), so that `CognitoExceptionFilter` answers as it would.
 *
 * ```ts
 * Test.createTestingModule({ providers: [AccountsService, new FakeCognitoSyncService().provider()] })
 * // or, with CognitoModule imported: .overrideProvider(CognitoSyncService).useValue(new FakeCognitoSyncService())
 * ```
 */
export class FakeCognitoSyncService implements CognitoSyncServiceApi {
  private readonly store: FakeUserStore;
  /** Tokens the fake issued, to the internal username they were issued for. */
  private readonly refreshTokenOwners = new Map<string, string>();
  private readonly sessions = new Map<string, string>();

  constructor(private readonly options: FakeCognitoSyncServiceOptions = {}) {
    this.store = new FakeUserStore(options.usernameAttributes, options.attributes);
    for (const user of options.users ?? []) this.addUser(user);
  }

  /** Registers this fake as the service: `providers: [fake.provider()]`, or `fake.provider('staff')` for a named pool. */
  provider(name?: string): Provider {
    return { provide: getCognitoServiceToken(name), useValue: this };
  }

  /** Arranges a user directly (no password policy, no allow-list): CONFIRMED unless `status` says otherwise. */
  addUser(user: FakeCognitoUser): CognitoUserRecord {
    return publicUser(this.store.add(user));
  }

  get requiresUsername(): boolean {
    return this.options.withSecret === true;
  }

  get inFlightRefreshes(): number {
    return 0;
  }

  async refreshTokens(refreshToken: string, options: RefreshTokensOptions = {}): Promise<AdminInitiateAuthCommandOutput> {
    if (typeof refreshToken !== 'string' || refreshToken === '') {
      throw new CognitoInputError('InvalidRefreshToken', 'A refresh token (a non-empty string) is required');
    }
    if (refreshToken.length > 8192 || !/^[\w.-]+$/.test(refreshToken)) {
      throw new CognitoInputError('InvalidRefreshToken', 'The refresh token is malformed');
    }
    if (this.requiresUsername && !options.username) {
      throw new CognitoInputError(
        'UsernameRequired',
        'This app client has a secret: the username (the access token\'s "username" claim) is required',
      );
    }
    const owner = this.refreshTokenOwners.get(refreshToken);
    const user = owner === undefined ? undefined : this.store.find(owner);
    if (user === undefined) throw cognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    if (this.requiresUsername && options.username !== user.username) throw cognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    if (!user.enabled) throw cognitoError('NotAuthorizedException', 'User is disabled.');
    // AdminInitiateAuth's refresh keeps the refresh token: none in the answer.
    return { $metadata: METADATA, ChallengeParameters: {}, AuthenticationResult: this.tokensFor(user, false) };
  }

  async createUser(username: string, attributes?: CognitoAttributeSource, options: CreateUserOptions = {}): Promise<CognitoUserRecord> {
    const { temporaryPassword, deliveryMediums } = options ?? {};
    if (deliveryMediums !== undefined && (!Array.isArray(deliveryMediums) || deliveryMediums.some((m) => m !== 'EMAIL' && m !== 'SMS'))) {
      throw new CognitoInputError('InvalidParameter', 'deliveryMediums must be an array of "EMAIL" and "SMS"');
    }
    const password =
      temporaryPassword === undefined ? `Tmp-${randomBytes(9).toString('base64url')}1a!` : checkedPassword('temporaryPassword', temporaryPassword);
    const allowed = this.store.allowed(attributes);
    return publicUser(this.store.add({ username: checkedUsername(username), password, attributes: allowed, status: 'FORCE_CHANGE_PASSWORD' }));
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
    // Cognito revokes a disabled user's refresh tokens.
    for (const [token, owner] of this.refreshTokenOwners) if (owner === user.username) this.refreshTokenOwners.delete(token);
  }

  async setUserPassword(username: string, password: string, options: { permanent?: boolean } = {}): Promise<void> {
    const user = this.store.get(username);
    user.password = checkedPassword('password', password);
    user.status = options.permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  }

  async signIn(username: string, password: string): Promise<AdminInitiateAuthCommandOutput> {
    checkedUsername(username);
    if (typeof password !== 'string' || password === '') throw new CognitoInputError('InvalidParameter', 'password must be a non-empty string');
    const user = this.store.find(username);
    // An unknown user and a wrong password look alike, as in a pool that prevents user existence errors.
    if (user === undefined || user.password !== password) throw cognitoError('NotAuthorizedException', 'Incorrect username or password.');
    if (!user.enabled) throw cognitoError('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      const session = randomBytes(32).toString('base64url');
      this.sessions.set(session, user.username);
      const userAttributes = JSON.stringify(Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== 'sub')));
      return {
        $metadata: METADATA,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes },
      };
    }
    return { $metadata: METADATA, ChallengeParameters: {}, AuthenticationResult: this.tokensFor(user) };
  }

  async respondToNewPasswordChallenge(username: string, newPassword: string, session: string): Promise<AdminRespondToAuthChallengeCommandOutput> {
    const owner = this.sessions.get(session);
    const user = owner === undefined ? undefined : this.store.find(username);
    if (user === undefined || user.username !== owner) throw cognitoError('NotAuthorizedException', 'Invalid session for the user.');
    user.password = checkedPassword('newPassword', newPassword);
    user.status = 'CONFIRMED';
    this.sessions.delete(session);
    return { $metadata: METADATA, ChallengeParameters: {}, AuthenticationResult: this.tokensFor(user) };
  }

  /** Any access token naming a user of the fake (its own, or a test kit's): the fake checks no signature, only `exp`. */
  async findUserByAccessToken(accessToken: string): Promise<CognitoUserRecord> {
    const claims = typeof accessToken === 'string' ? decodeJwtPayload(accessToken) : undefined;
    if (claims === undefined || claims.token_use !== 'access' || typeof claims.username !== 'string') {
      throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) throw cognitoError('NotAuthorizedException', 'Access Token has expired');
    const user = this.store.get(claims.username);
    if (!user.enabled) throw cognitoError('NotAuthorizedException', 'User is disabled.');
    return publicUser(user);
  }

  async *listUsers(options: ListUsersOptions = {}): AsyncIterable<CognitoUserRecord> {
    const { filter, pageSize } = options ?? {};
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 60)) {
      throw new CognitoInputError('InvalidParameter', 'pageSize must be an integer from 1 to 60');
    }
    for (const user of this.store.all()) if (matchesFilter(user, filter)) yield publicUser(user);
  }

  async upsertUser(
    username: string,
    attributes: CognitoAttributeSource,
    createOptions?: CreateUserOptions,
  ): Promise<{ user: CognitoUserRecord; created: boolean }> {
    const existing = this.store.find(username);
    if (existing === undefined) return { user: await this.createUser(username, attributes, createOptions), created: true };
    const wanted = this.store.allowed(attributes);
    const changed = Object.entries(wanted).some(([name, value]) => existing.attributes[name] !== value);
    return { user: changed ? await this.updateUser(existing.username, attributes) : publicUser(existing), created: false };
  }

  /** Without a test kit, unsigned tokens of the same shape: the app can read them, no verifier accepts them. */
  private tokensFor(user: StoredUser, withRefreshToken = true): AuthenticationResultType {
    const access = { username: user.username, groups: user.groups, sub: user.attributes.sub };
    // The ID token carries the user's attributes, custom ones with their prefix; undefined drops a default claim.
    const id = { ...access, email: undefined, email_verified: undefined, ...idTokenAttributes(user.attributes) };
    const { tokens } = this.options;
    const result: AuthenticationResultType = {
      AccessToken: tokens ? tokens.accessToken(access) : encodeJwt({ alg: 'none' }, accessTokenClaims(FAKE_CONTEXT, access)),
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
}
