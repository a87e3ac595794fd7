import type {
  AdminCreateUserCommandOutput,
  AdminGetUserCommandOutput,
  AdminInitiateAuthCommandOutput,
  AttributeType,
  GetUserCommandOutput,
  ListUsersCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { CognitoOperation } from '../errors/cognito.errors';
import { secretHashFor } from '../internal/hashing';
import {
  checkedAccessToken,
  checkedListUsers,
  checkedSecret,
  checkedUsername,
  type CreateUserOptions,
  createUserExtras,
  type ListUsersOptions,
} from '../internal/input-checks';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import {
  changedAttributes,
  type CognitoAttributeSource,
  type CognitoUserRecord,
  toCognitoAttributes,
  toCognitoUser,
} from './user-record';
import {
  CognitoCaller,
  type CognitoCommandBuilder,
  type CognitoSdk,
  type CognitoSendOptions,
} from '../internal/cognito-api';

/**
 * @internal The user management and password sign-in of `CognitoSyncService`
 * (documented there): each method one Cognito admin call, with the pool, the
 * app client and, where Cognito takes one, the SECRET_HASH filled in.
 */
@Injectable()
export class CognitoUserAdmin {
  /** The facade's name: the log lines are the service's. */
  private readonly logger = new Logger('CognitoSyncService');

  constructor(
    private readonly caller: CognitoCaller,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
  ) {}

  async createUser(
    username: string,
    attributes?: CognitoAttributeSource,
    options: CreateUserOptions = {},
  ): Promise<CognitoUserRecord> {
    const sent = this.attributesFrom(attributes);
    const input = { ...this.userInput(username), UserAttributes: sent, ...createUserExtras(options, sent) };
    const output = await this.send<AdminCreateUserCommandOutput>(
      'createUser',
      (sdk) => new sdk.AdminCreateUserCommand(input),
    );
    return toCognitoUser(output.User ?? {});
  }

  async findUser(username: string): Promise<CognitoUserRecord> {
    return toCognitoUser(
      await this.send<AdminGetUserCommandOutput>(
        'findUser',
        (sdk) => new sdk.AdminGetUserCommand(this.userInput(username)),
      ),
    );
  }

  async updateUser(username: string, attributes: CognitoAttributeSource): Promise<CognitoUserRecord> {
    await this.writeAttributes('updateUser', username, this.attributesFrom(attributes));
    return this.findUser(username);
  }

  async deleteUser(username: string): Promise<void> {
    await this.send('deleteUser', (sdk) => new sdk.AdminDeleteUserCommand(this.userInput(username)));
  }

  async enableUser(username: string): Promise<void> {
    await this.send('enableUser', (sdk) => new sdk.AdminEnableUserCommand(this.userInput(username)));
  }

  async disableUser(username: string): Promise<void> {
    await this.send('disableUser', (sdk) => new sdk.AdminDisableUserCommand(this.userInput(username)));
  }

  async setUserPassword(username: string, password: string, options: { permanent?: boolean } = {}): Promise<void> {
    const input = {
      ...this.userInput(username),
      Password: checkedSecret('password', password),
      Permanent: options.permanent ?? false,
    };
    await this.send('setUserPassword', (sdk) => new sdk.AdminSetUserPasswordCommand(input));
  }

  async signIn(username: string, password: string): Promise<AdminInitiateAuthCommandOutput> {
    const authParameters: Record<string, string> = {
      USERNAME: checkedUsername(username),
      PASSWORD: checkedSecret('password', password),
    };
    if (this.options.clientSecret !== undefined) authParameters.SECRET_HASH = secretHashFor(this.options, username);
    const command = (sdk: CognitoSdk) =>
      new sdk.AdminInitiateAuthCommand({
        ...this.clientInput(),
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: authParameters,
      });
    return this.send('signIn', command);
  }

  async findUserByAccessToken(accessToken: string): Promise<CognitoUserRecord> {
    const command = (sdk: CognitoSdk) => new sdk.GetUserCommand({ AccessToken: checkedAccessToken(accessToken) });
    return toCognitoUser(
      await this.send<GetUserCommandOutput>('findUserByAccessToken', command, { token: accessToken }),
    );
  }

  /** Pages go through this module's own call handling, which is why this is not the SDK's `paginateListUsers`. */
  async *listUsers(options: ListUsersOptions = {}): AsyncIterable<CognitoUserRecord> {
    const { filter, pageSize } = checkedListUsers(options);
    let token: string | undefined;
    do {
      const input = { UserPoolId: this.options.userPoolId, Filter: filter, Limit: pageSize, PaginationToken: token };
      const page = await this.send<ListUsersCommandOutput>('listUsers', (sdk) => new sdk.ListUsersCommand(input));
      for (const user of page.Users ?? []) yield toCognitoUser(user);
      token = page.PaginationToken;
    } while (token);
  }

  async upsertUser(
    username: string,
    attributes: CognitoAttributeSource,
    createOptions?: CreateUserOptions,
  ): Promise<{ user: CognitoUserRecord; created: boolean }> {
    const wanted = this.attributesFrom(attributes);
    // A missing user is an answer here, not a failure: no warning for each new row.
    const command = (sdk: CognitoSdk) => new sdk.AdminGetUserCommand(this.userInput(username));
    const existing = await this.send<AdminGetUserCommandOutput>('upsertUser', command, {
      expected: 'UserNotFoundException',
    }).then(toCognitoUser, (error: { name?: string }) => {
      if (error?.name === 'UserNotFoundException') return undefined;
      throw error;
    });
    if (existing === undefined)
      return { user: await this.createUser(username, attributes, createOptions), created: true };
    const changed = changedAttributes(existing, wanted);
    if (changed.length === 0) return { user: existing, created: false };
    // The internal username: `username` may be an alias such as the email.
    await this.writeAttributes('upsertUser', existing.username, changed);
    return { user: await this.findUser(existing.username), created: false };
  }

  private async writeAttributes(
    operation: CognitoOperation,
    username: string,
    attributes: AttributeType[],
  ): Promise<void> {
    await this.send(
      operation,
      (sdk) => new sdk.AdminUpdateUserAttributesCommand({ ...this.userInput(username), UserAttributes: attributes }),
    );
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

  private send<Output>(
    operation: CognitoOperation,
    build: CognitoCommandBuilder,
    call: Omit<CognitoSendOptions, 'logger'> = {},
  ) {
    return this.caller.send<Output>(operation, build, { logger: this.logger, ...call });
  }
}
