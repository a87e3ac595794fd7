import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, MAX_REFRESH_TOKEN_LENGTH, MAX_USERNAME_LENGTH } from './cognito.constants';
import { CognitoInputError, tagOperation } from './cognito.errors';
import { fingerprint, secretHash } from './cognito.hashing';
import type { CognitoModuleOptions } from './cognito.options';

/** Options of {@link CognitoSyncService.refreshTokens}. */
export interface RefreshTokensOptions {
  /**
   * The user's internal Cognito username (`username` claim of the access token,
   * `cognito:username` of the ID token). Required when the app client has a secret.
   */
  username?: string;
  /** The device key, when the pool tracks devices. */
  deviceKey?: string;
  /** Passed to Cognito's Lambda triggers. */
  clientMetadata?: Record<string, string>;
}

/** Refresh tokens are base64url segments joined by dots (JWE on AWS, JWT on emulators). */
const TOKEN_CHARACTERS = /^[\w.-]+$/;

/**
 * The server side of a Cognito user pool, after the Ruby `cognito-sync-service`:
 * each method is one Cognito admin call with the pool, the app client and, when
 * the client has a secret, the SECRET_HASH filled in. Cognito's errors are
 * thrown as the SDK raises them; {@link CognitoExceptionFilter} maps them to HTTP.
 */
@Injectable()
export class CognitoSyncService implements OnApplicationShutdown {
  private readonly logger = new Logger('CognitoSyncService');

  constructor(
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: CognitoModuleOptions,
  ) {}

  /** Whether calls need the user's username (the app client has a secret). */
  get requiresUsername(): boolean {
    return this.options.clientSecret !== undefined;
  }

  /**
   * New access and ID tokens for a refresh token: AdminInitiateAuth with
   * `REFRESH_TOKEN_AUTH`. Returns Cognito's whole response, challenge fields
   * included; `AuthenticationResult.RefreshToken` is absent (keep the old one).
   *
   * @throws CognitoInputError for a missing or malformed token, or a missing
   *   username on a client with a secret, before any network call.
   * @throws Cognito's own errors unchanged, e.g. `NotAuthorizedException`.
   */
  async refreshTokens(refreshToken: string, options: RefreshTokensOptions = {}): Promise<AdminInitiateAuthCommandOutput> {
    assertToken(refreshToken);
    const { username, deviceKey, clientMetadata } = options;
    const authParameters: Record<string, string> = { REFRESH_TOKEN: refreshToken };
    if (deviceKey !== undefined) authParameters.DEVICE_KEY = checkedString('deviceKey', deviceKey, 55);
    if (this.options.clientSecret !== undefined) {
      authParameters.SECRET_HASH = this.secretHashFor(username);
    }
    const command = new AdminInitiateAuthCommand({
      UserPoolId: this.options.userPoolId,
      ClientId: this.options.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: authParameters,
      ClientMetadata: clientMetadata,
    });
    return this.send('refreshTokens', command, refreshToken);
  }

  /** Releases the SDK client's sockets when the application shuts down. */
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
    const checked = checkedString('username', username, MAX_USERNAME_LENGTH);
    return secretHash(this.options.clientSecret!, checked, this.options.clientId);
  }

  /**
   * Sends one command. A failure is logged once (operation, error name, request
   * id and the token's fingerprint: never the token) and rethrown unchanged.
   */
  private async send<Output>(operation: string, command: { constructor: { name: string } }, token?: string): Promise<Output> {
    try {
      return (await this.client.send(command as never)) as Output;
    } catch (error) {
      tagOperation(error, operation);
      const { name, $metadata } = error as { name?: string; $metadata?: { requestId?: string } };
      const tokenPart = token === undefined ? '' : ` token=${fingerprint(token)}`;
      this.logger.warn(
        `${command.constructor.name.replace(/Command$/, '')} failed: ${name ?? 'Error'} requestId=${$metadata?.requestId ?? '-'}${tokenPart}`,
      );
      throw error;
    }
  }
}

function assertToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token === '') {
    throw new CognitoInputError('InvalidRefreshToken', 'A refresh token (a non-empty string) is required');
  }
  if (token.length > MAX_REFRESH_TOKEN_LENGTH || !TOKEN_CHARACTERS.test(token)) {
    throw new CognitoInputError('InvalidRefreshToken', 'The refresh token is malformed');
  }
}

function checkedString(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new CognitoInputError('InvalidParameter', `${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}
