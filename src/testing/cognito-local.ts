import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../internal/hashing';
import type { CognitoModuleOptions } from '../options/cognito-module-options';
import { spawnCognitoLocal } from './cognito-local.process';

/** A user of the local pool. */
export interface CognitoLocalUser {
  /** What the user signs in with: a username, or the email (phone number) when the pool signs in by it. */
  username: string;
  /** Set as permanent: the user is CONFIRMED and signs in at once. */
  password: string;
  /** Created in the pool when missing; they appear in the tokens' `cognito:groups`. */
  groups?: string[];
  /** Cognito attribute names and values: `email`, `name`, `custom:plan` (declared in `customAttributes`). */
  attributes?: Record<string, string>;
}

/** Options of {@link startCognitoLocal}. */
export interface StartCognitoLocalOptions {
  /** Which app client `moduleOptions` names: the one with a secret (default `true`) or the one without. */
  withSecret?: boolean;
  /** Sign in by `email` or `phone_number` (the username is then a UUID, as on AWS); default: by username. */
  usernameAttributes?: Array<'email' | 'phone_number'>;
  /** Custom attributes of the pool's schema (strings), without `custom:`. */
  customAttributes?: string[];
  /** Users to create at start. */
  users?: CognitoLocalUser[];
  /** How long cognito-local may take to start; default 30 000 ms. */
  startTimeoutMs?: number;
}

/** What a sign-in returns. */
export interface CognitoLocalTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** A running cognito-local with one pool, its two app clients and its users. */
export interface CognitoLocal {
  /**
   * Spread into `CognitoModule.forRoot({ ...local.moduleOptions, ... })`;
   * the guard's issuer and JWKS derive from `endpoint`.
   */
  readonly moduleOptions: CognitoModuleOptions;
  /** The pool's app clients: `moduleOptions` names one of them (`withSecret`). */
  readonly clients: { withSecret: { clientId: string; clientSecret: string }; withoutSecret: { clientId: string } };
  /** Creates a CONFIRMED user; resolves to its internal username (a UUID when the pool signs in by email) and `sub`. */
  createUser(user: CognitoLocalUser): Promise<{ username: string; sub: string }>;
  /**
   * Signs in with the app client of `moduleOptions` (ADMIN_USER_PASSWORD_AUTH);
   * Cognito's errors are thrown as the SDK raises them.
   */
  signIn(username: string, password: string): Promise<CognitoLocalTokens>;
  /** Stops cognito-local and removes its folder. */
  close(): Promise<void>;
}

const REGION = 'local';
/** The SDK insists on credentials; cognito-local accepts any. */
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const AUTH_FLOWS: ExplicitAuthFlowsType[] = [
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

/**
 * Starts cognito-local (an optional peer dependency: install it as a dev
 * dependency) on a free port of 127.0.0.1 in a temporary folder, with one pool,
 * an app client with a secret and one without, and the given users. `close()`
 * stops it and removes the folder; the emulator also ends with the test process.
 * cognito-local differs from Cognito in places (docs/testing.md lists them).
 */
export async function startCognitoLocal(options: StartCognitoLocalOptions = {}): Promise<CognitoLocal> {
  const {
    withSecret = true,
    usernameAttributes = [],
    customAttributes = [],
    users = [],
    startTimeoutMs = 30_000,
  } = options ?? {};
  if (
    !Array.isArray(usernameAttributes) ||
    usernameAttributes.some((name) => name !== 'email' && name !== 'phone_number')
  ) {
    throw new TypeError('startCognitoLocal: usernameAttributes must be an array of "email" and "phone_number"');
  }
  if (
    !Array.isArray(customAttributes) ||
    customAttributes.some((name) => typeof name !== 'string' || !/^[^\s:]{1,20}$/.test(name))
  ) {
    throw new TypeError(
      'startCognitoLocal: customAttributes must be an array of names of 1 to 20 characters, without "custom:"',
    );
  }
  const emulator = await spawnCognitoLocal({ usernameAttributes, startTimeoutMs });
  const admin = new CognitoIdentityProviderClient({
    endpoint: emulator.endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      admin.destroy();
      await emulator.stop();
    })());
  try {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({
        PoolName: 'test-pool',
        Schema: customAttributes.map((Name) => ({ Name, AttributeDataType: 'String', Mutable: true })),
      }),
    );
    const userPoolId = UserPool!.Id!;
    const client = async (secret: boolean) =>
      (
        await admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: userPoolId,
            ClientName: secret ? 'with-secret' : 'without-secret',
            GenerateSecret: secret,
            ExplicitAuthFlows: AUTH_FLOWS,
          }),
        )
      ).UserPoolClient!;
    const confidential = await client(true);
    const plain = await client(false);
    const clients = {
      withSecret: { clientId: confidential.ClientId!, clientSecret: confidential.ClientSecret! },
      withoutSecret: { clientId: plain.ClientId! },
    };
    const moduleOptions: CognitoModuleOptions = {
      region: REGION,
      userPoolId,
      ...(withSecret ? clients.withSecret : clients.withoutSecret),
      endpoint: emulator.endpoint,
      credentials: CREDENTIALS,
    };
    const groups = new GroupMaker(admin, userPoolId);
    const local: CognitoLocal = {
      moduleOptions,
      clients,
      async createUser(user) {
        const { username, password, groups: groupNames = [], attributes = {} } = checkedUser(user);
        const { User } = await admin.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: username,
            MessageAction: 'SUPPRESS',
            UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          }),
        );
        const internal = User!.Username!;
        await admin.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: userPoolId,
            Username: internal,
            Password: password,
            Permanent: true,
          }),
        );
        for (const group of groupNames) await groups.add(internal, group);
        return {
          username: internal,
          sub: User!.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? '',
        };
      },
      async signIn(username, password) {
        const { clientId, clientSecret } = moduleOptions;
        const parameters: Record<string, string> = { USERNAME: username, PASSWORD: password };
        if (clientSecret !== undefined) parameters.SECRET_HASH = secretHash(clientSecret, username, clientId);
        const output = await admin.send(
          new AdminInitiateAuthCommand({
            UserPoolId: userPoolId,
            ClientId: clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: parameters,
          }),
        );
        const { AccessToken, IdToken, RefreshToken } = output.AuthenticationResult ?? {};
        if (!AccessToken || !IdToken || !RefreshToken)
          throw new Error(`signIn: cognito-local answered ${output.ChallengeName ?? 'no tokens'}, not tokens`);
        return { accessToken: AccessToken, idToken: IdToken, refreshToken: RefreshToken };
      },
      close,
    };
    for (const user of users) await local.createUser(user);
    return local;
  } catch (error) {
    await close();
    throw error;
  }
}

/** Creates each group once, when a user first needs it. */
class GroupMaker {
  private readonly made = new Map<string, Promise<unknown>>();

  constructor(
    private readonly admin: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async add(username: string, group: string): Promise<void> {
    let made = this.made.get(group);
    if (made === undefined) {
      made = this.admin
        .send(new CreateGroupCommand({ UserPoolId: this.userPoolId, GroupName: group }))
        .catch((error: Error) => {
          if (error.name !== 'GroupExistsException') throw error;
        });
      this.made.set(group, made);
    }
    await made;
    await this.admin.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group }),
    );
  }
}

function checkedUser(user: CognitoLocalUser): CognitoLocalUser {
  const { username, password, groups, attributes } = user ?? ({} as CognitoLocalUser);
  if (typeof username !== 'string' || username === '')
    throw new TypeError('createUser: username must be a non-empty string');
  if (typeof password !== 'string' || password === '')
    throw new TypeError('createUser: password must be a non-empty string');
  if (
    groups !== undefined &&
    (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group === ''))
  ) {
    throw new TypeError('createUser: groups must be an array of group names');
  }
  if (
    attributes !== undefined &&
    (typeof attributes !== 'object' ||
      attributes === null ||
      Object.values(attributes).some((v) => typeof v !== 'string'))
  ) {
    throw new TypeError('createUser: attributes must be a record of strings, e.g. { email: "ann@example.com" }');
  }
  return user;
}
