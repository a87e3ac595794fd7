import {
  AdminCreateUserCommand,
  type AdminCreateUserCommandOutput,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommand,
  type AdminRespondToAuthChallengeCommandOutput,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  type GetUserCommandOutput,
  ListUsersCommand,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHash } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { callCognito, type CognitoCallOptions } from './cognito-call';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, DEFAULT_TIMEOUT_MS } from './cognito.constants';
import { CognitoInputError } from './cognito.errors';
import { fingerprint, secretHash } from './cognito.hashing';
import type { CognitoModuleOptions } from './cognito.options';
import { changedAttributes, type CognitoAttributeSource, type CognitoUser, toCognitoAttributes, toCognitoUser } from './cognito-user';
import {
  checkedAccessToken,
  checkedListUsers,
  checkedRefreshToken,
  checkedSecret,
  checkedSession,
  checkedString,
  checkedUsername,
  createUserExtras,
} from './cognito-input';
import type { CreateUserOptions, ListUsersOptions, RefreshTokensOptions } from './cognito-input';
import { InFlightCalls } from './in-flight';

/**
 * The server side of a Cognito user pool, after the Ruby `cognito-sync-service`:
 * each method is one Cognito admin call with the pool, the app client and, when
 * the client has a secret, the SECRET_HASH filled in. Cognito's errors are
 * thrown as the SDK raises them; {@link CognitoExceptionFilter} maps them to HTTP.
 */
@Injectable()
export class CognitoSyncService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('CognitoSyncService');
  private readonly inFlight = new InFlightCalls();

  constructor(
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: CognitoModuleOptions,
  ) {}

  /** Whether a refresh needs the user's username (a secret client on AdminInitiateAuth). */
  get requiresUsername(): boolean {
    return this.options.clientSecret !== undefined && this.options.refreshFlow !== 'getTokensFromRefreshToken';
  }

  /**
   * Refreshes that identical concurrent requests are sharing right now; 0 when
   * none is under way (nothing is kept after a call settles). For metrics and tests.
   */
  get inFlightRefreshes(): number {
    return this.inFlight.sharedCount;
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
  async refreshTokens(refreshToken: string, options: RefreshTokensOptions = {}): Promise<AdminInitiateAuthCommandOutput> {
    checkedRefreshToken(refreshToken);
    const { username, deviceKey, clientMetadata } = options;
    if (deviceKey !== undefined) checkedString('deviceKey', deviceKey, 55);
    // Checked even when no SECRET_HASH needs it: malformed input is refused the same way on every client.
    if (username !== undefined) checkedUsername(username);
    const command = this.refreshCommand(refreshToken, options);
    const key = createHash('sha256')
      .update(JSON.stringify([refreshToken, username ?? null, deviceKey ?? null, clientMetadata ?? null]))
      .digest('hex');
    const output = await this.inFlight.share(key, () =>
      this.send<AdminInitiateAuthCommandOutput>('refreshTokens', command, { token: refreshToken, isValid: isRefreshOutput }).catch((error: Error) => {
        if (error.name === 'RefreshTokenReuseException') {
          // Once per shared call. Only the fingerprint: enough to find the session in other logs.
          this.logger.warn(`Rotated-out refresh token used again, possible token theft: token=${fingerprint(refreshToken)}`);
        }
        throw error;
      }),
    );
    // GetTokensFromRefreshToken's answer is a subset of AdminInitiateAuth's: the same shape.
    return structuredClone(output);
  }

  /** AdminInitiateAuth (with SECRET_HASH), or GetTokensFromRefreshToken (with the raw secret), per `refreshFlow`. */
  private refreshCommand(refreshToken: string, { username, deviceKey, clientMetadata }: RefreshTokensOptions) {
    const { clientId, clientSecret, userPoolId, refreshFlow } = this.options;
    if (refreshFlow === 'getTokensFromRefreshToken') {
      return new GetTokensFromRefreshTokenCommand({
        RefreshToken: refreshToken,
        ClientId: clientId,
        ClientSecret: clientSecret,
        DeviceKey: deviceKey,
        ClientMetadata: clientMetadata,
      });
    }
    const authParameters: Record<string, string> = { REFRESH_TOKEN: refreshToken };
    if (deviceKey !== undefined) authParameters.DEVICE_KEY = deviceKey;
    if (clientSecret !== undefined) authParameters.SECRET_HASH = this.secretHashFor(username);
    return new AdminInitiateAuthCommand({
      UserPoolId: userPoolId,
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: authParameters,
      ClientMetadata: clientMetadata,
    });
  }

  /**
   * Creates a user (AdminCreateUser) with the allowed `attributes`. Without a
   * `temporaryPassword` Cognito makes one; unless `suppressInvitation`, Cognito
   * sends the invitation by `deliveryMediums` (default: EMAIL and/or SMS as `email`/`phone_number` are sent).
   */
  async createUser(username: string, attributes?: CognitoAttributeSource, options: CreateUserOptions = {}): Promise<CognitoUser> {
    const sent = this.attributesFrom(attributes);
    const input = { ...this.userInput(username), UserAttributes: sent, ...createUserExtras(options, sent) };
    const output = await this.send<AdminCreateUserCommandOutput>('createUser', new AdminCreateUserCommand(input));
    return toCognitoUser(output.User ?? {});
  }

  /** The user named `username` or one of its aliases (AdminGetUser); `UserNotFoundException` when there is none. */
  async findUser(username: string): Promise<CognitoUser> {
    return toCognitoUser(await this.send<AdminGetUserCommandOutput>('findUser', new AdminGetUserCommand(this.userInput(username))));
  }

  /** Writes the allowed `attributes` (AdminUpdateUserAttributes), then returns the user as it now is. */
  async updateUser(username: string, attributes: CognitoAttributeSource): Promise<CognitoUser> {
    await this.writeAttributes('updateUser', username, this.attributesFrom(attributes));
    return this.findUser(username);
  }

  /** Deletes the user (AdminDeleteUser). */
  async deleteUser(username: string): Promise<void> {
    await this.send('deleteUser', new AdminDeleteUserCommand(this.userInput(username)));
  }

  /** Lets a disabled user sign in again (AdminEnableUser). */
  async enableUser(username: string): Promise<void> {
    await this.send('enableUser', new AdminEnableUserCommand(this.userInput(username)));
  }

  /** Stops the user from signing in (AdminDisableUser); its tokens are revoked. */
  async disableUser(username: string): Promise<void> {
    await this.send('disableUser', new AdminDisableUserCommand(this.userInput(username)));
  }

  /**
   * Sets the user's password (AdminSetUserPassword). Temporary by default, as in
   * Cognito: the user must then answer NEW_PASSWORD_REQUIRED; `permanent: true` confirms it.
   */
  async setUserPassword(username: string, password: string, options: { permanent?: boolean } = {}): Promise<void> {
    const input = { ...this.userInput(username), Password: checkedSecret('password', password), Permanent: options.permanent ?? false };
    await this.send('setUserPassword', new AdminSetUserPasswordCommand(input));
  }

  /**
   * Signs a user in with its password: AdminInitiateAuth `ADMIN_USER_PASSWORD_AUTH`
   * (the app client must allow it). Returns Cognito's whole response: tokens, or a
   * challenge such as NEW_PASSWORD_REQUIRED with its `Session`. A wrong password and
   * an unknown user fail alike (`NotAuthorizedException`, HTTP 401 through the filter).
   */
  async signIn(username: string, password: string): Promise<AdminInitiateAuthCommandOutput> {
    const authParameters: Record<string, string> = { USERNAME: checkedUsername(username), PASSWORD: checkedSecret('password', password) };
    if (this.options.clientSecret !== undefined) authParameters.SECRET_HASH = this.secretHashFor(username);
    const command = new AdminInitiateAuthCommand({ ...this.clientInput(), AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: authParameters });
    return this.send('signIn', command);
  }

  /**
   * Answers NEW_PASSWORD_REQUIRED (AdminRespondToAuthChallenge) with the `Session` that
   * {@link signIn} returned. `username` should be the challenge's `USER_ID_FOR_SRP`
   * parameter (the internal username), which the SECRET_HASH is computed over.
   */
  async respondToNewPasswordChallenge(username: string, newPassword: string, session: string): Promise<AdminRespondToAuthChallengeCommandOutput> {
    const responses: Record<string, string> = { USERNAME: checkedUsername(username), NEW_PASSWORD: checkedSecret('newPassword', newPassword) };
    if (this.options.clientSecret !== undefined) responses.SECRET_HASH = this.secretHashFor(username);
    const command = new AdminRespondToAuthChallengeCommand({
      ...this.clientInput(),
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: checkedSession(session),
      ChallengeResponses: responses,
    });
    return this.send('respondToNewPasswordChallenge', command);
  }

  /**
   * The user an access token belongs to (GetUser). Cognito checks the token online,
   * so a revoked or signed-out token fails here (`NotAuthorizedException`) even
   * while its signature and expiry are still good.
   */
  async findUserByAccessToken(accessToken: string): Promise<CognitoUser> {
    const command = new GetUserCommand({ AccessToken: checkedAccessToken(accessToken) });
    return toCognitoUser(await this.send<GetUserCommandOutput>('findUserByAccessToken', command, { token: accessToken }));
  }

  /**
   * Every user of the pool (ListUsers), page after page by `PaginationToken`, as
   * the loop asks for them. `filter` is Cognito's, e.g. `email ^= "ann"`. Pages go
   * through this service's own error handling, which is why this is not the SDK's
   * `paginateListUsers`. Errors, bad options included, surface while iterating.
   */
  async *listUsers(options: ListUsersOptions = {}): AsyncIterable<CognitoUser> {
    const { filter, pageSize } = checkedListUsers(options);
    let token: string | undefined;
    do {
      const input = { UserPoolId: this.options.userPoolId, Filter: filter, Limit: pageSize, PaginationToken: token };
      const page = await this.send<ListUsersCommandOutput>('listUsers', new ListUsersCommand(input));
      for (const user of page.Users ?? []) yield toCognitoUser(user);
      token = page.PaginationToken;
    } while (token);
  }

  /**
   * Pushes one row of the app's users into the pool: creates the user when it is
   * missing (with `createOptions`), otherwise sends only the allowed attributes whose
   * value differs, and makes no call at all when none does.
   */
  async upsertUser(
    username: string,
    attributes: CognitoAttributeSource,
    createOptions?: CreateUserOptions,
  ): Promise<{ user: CognitoUser; created: boolean }> {
    const wanted = this.attributesFrom(attributes);
    // A missing user is an answer here, not a failure: no warning for each new row.
    const command = new AdminGetUserCommand(this.userInput(username));
    const existing = await this.send<AdminGetUserCommandOutput>('upsertUser', command, { expected: 'UserNotFoundException' }).then(
      toCognitoUser,
      (error: { name?: string }) => {
        if (error?.name === 'UserNotFoundException') return undefined;
        throw error;
      },
    );
    if (existing === undefined) return { user: await this.createUser(username, attributes, createOptions), created: true };
    const changed = changedAttributes(existing, wanted);
    if (changed.length === 0) return { user: existing, created: false };
    // The internal username: `username` may be an alias such as the email.
    await this.writeAttributes('upsertUser', existing.username, changed);
    return { user: await this.findUser(existing.username), created: false };
  }

  private async writeAttributes(operation: string, username: string, attributes: AttributeType[]): Promise<void> {
    await this.send(operation, new AdminUpdateUserAttributesCommand({ ...this.userInput(username), UserAttributes: attributes }));
  }

  private attributesFrom(source: CognitoAttributeSource | undefined): AttributeType[] {
    return toCognitoAttributes(source, this.options.attributes);
  }
  private userInput(username: string): { UserPoolId: string; Username: string } {
    return { UserPoolId: this.options.userPoolId, Username: checkedUsername(username) };
  }

  private clientInput(): { UserPoolId: string; ClientId: string } {
    return { UserPoolId: this.options.userPoolId, ClientId: this.options.clientId };
  }


  /** `app.close()` first lets the Cognito calls under way finish (each is bounded by `timeoutMs`). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.idle();
  }

  /** Then releases the SDK client's sockets. */
  onApplicationShutdown(): void {
    this.client.destroy();
  }

  private secretHashFor(username: string | undefined): string {
    if (username === undefined || username === '') {
      throw new CognitoInputError(
        'UsernameRequired',
        'This app client has a secret: the username (the access token\'s "username" claim) is required',
      );
    }
    return secretHash(this.options.clientSecret!, checkedUsername(username), this.options.clientId);
  }

  /**
   * Sends one command under the `timeoutMs` deadline (retries included), tracked
   * for graceful shutdown. A failure is logged once (operation, error name,
   * request id and the token's fingerprint: never the token); network faults
   * are thrown as this module's typed errors, Cognito's own errors unchanged.
   */
  private send<Output>(
    operation: string,
    command: { constructor: { name: string } },
    call: Pick<CognitoCallOptions, 'token' | 'isValid' | 'expected'> = {},
  ): Promise<Output> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return this.inFlight.track(callCognito<Output>(this.client, command, { operation, timeoutMs, logger: this.logger, ...call }));
  }
}

/** A 200 answer without tokens or a challenge is not Cognito's: answered 502, not passed on as a success. */
function isRefreshOutput(output: AdminInitiateAuthCommandOutput): boolean {
  return typeof output?.AuthenticationResult?.AccessToken === 'string' || typeof output?.ChallengeName === 'string';
}
