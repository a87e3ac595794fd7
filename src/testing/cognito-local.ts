import { Agent } from 'node:http';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../internal/hashing';
import type { CognitoModuleOptions } from '../options/cognito-module-options';
import { type CognitoLocalOAuthFront, startCognitoLocalOAuthFront } from './cognito-local-oauth';
import { checkedFederated } from './cognito-local-federated.options';
import { type MockIdentityProvider, startMockIdentityProvider } from './cognito-local-federated.idp';
import { clientSettings, type CognitoLocalOAuth, type CognitoLocalOAuthOptions } from './cognito-local-oauth.options';
import { cognitoLocalSigningKey } from './cognito-local-oauth.tokens';
import { resolveCognitoLocal, spawnCognitoLocal } from './cognito-local.process';
import { checkedUser, type CognitoLocalUser, GroupMaker } from './cognito-local.users';

export type { CognitoLocalUser };

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
  /**
   * Managed login: a front in front of cognito-local adds what its OAuth 2.0 endpoints lack
   * (discovery, client secret, nonce, /logout, revoke, userInfo); `moduleOptions.endpoint` is then the front.
   */
  oauth?: CognitoLocalOAuthOptions;
  /**
   * Validity of both clients' access and ID tokens in seconds, on every path (SDK sign-in, refresh, code
   * flow); default cognito-local's own, 24 hours (AWS's is one hour). AWS allows no less than 5 minutes:
   * a few seconds here test expiry.
   */
  tokenValiditySeconds?: number;
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
  /** Set when started with `oauth`. */
  readonly oauth: CognitoLocalOAuth | undefined;
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
    oauth,
    tokenValiditySeconds,
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
  const federated = checkedFederated(oauth?.federated, usernameAttributes);
  const settings = clientSettings(oauth, tokenValiditySeconds, federated?.name);
  // Opt-in: it costs a server and needs callback URLs; started first, since it is the tokens' issuer.
  let front: CognitoLocalOAuthFront | undefined;
  let idp: MockIdentityProvider | undefined;
  const emulator = await (async () => {
    if (oauth !== undefined) {
      const bin = resolveCognitoLocal();
      // oauth2-mock-server is looked up (and its absence reported) only when a provider is asked for.
      idp = federated && (await startMockIdentityProvider(federated.users, startTimeoutMs));
      front = await startCognitoLocalOAuthFront(
        cognitoLocalSigningKey(bin),
        federated && idp && { options: federated, idpUrl: idp.url },
      );
    }
    return spawnCognitoLocal({ usernameAttributes, startTimeoutMs, issuerDomain: front?.url });
  })().catch(async (error: unknown) => {
    await front?.close();
    await idp?.stop();
    throw error;
  });
  const admin = new CognitoIdentityProviderClient({
    endpoint: emulator.endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    maxAttempts: 1,
    // A fresh connection per call: a kept-alive one that the emulator closes after its 5 s idle
    // timeout, just as a call reuses it, fails the call with "socket hang up" (seen after a test waited).
    requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      admin.destroy();
      await front?.close();
      await idp?.stop();
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
    front?.attach(emulator.endpoint, userPoolId);
    const client = async (secret: boolean) =>
      (
        await admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: userPoolId,
            ClientName: secret ? 'with-secret' : 'without-secret',
            GenerateSecret: secret,
            ExplicitAuthFlows: AUTH_FLOWS,
            ...settings,
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
      endpoint: front?.url ?? emulator.endpoint,
      credentials: CREDENTIALS,
    };
    const groups = new GroupMaker(admin, userPoolId);
    const local: CognitoLocal = {
      moduleOptions,
      clients,
      oauth: front && {
        domain: front.url,
        issuer: `${front.url}/${userPoolId}`,
        ...(federated && idp ? { federated: { name: federated.name, issuer: idp.url } } : {}),
      },
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
