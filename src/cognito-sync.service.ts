import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createHash } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { callCognito } from './cognito-call';
import {
  COGNITO_CLIENT,
  COGNITO_MODULE_OPTIONS,
  DEFAULT_TIMEOUT_MS,
  MAX_REFRESH_TOKEN_LENGTH,
  MAX_USERNAME_LENGTH,
} from './cognito.constants';
import { CognitoInputError } from './cognito.errors';
import { secretHash } from './cognito.hashing';
import type { CognitoModuleOptions } from './cognito.options';
import { InFlightCalls } from './in-flight';

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
export class CognitoSyncService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('CognitoSyncService');
  private readonly inFlight = new InFlightCalls();

  constructor(
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: CognitoModuleOptions,
  ) {}

  /** Whether calls need the user's username (the app client has a secret). */
  get requiresUsername(): boolean {
    return this.options.clientSecret !== undefined;
  }

  /**
   * Refreshes that identical concurrent requests are sharing right now; 0 when
   * none is under way (nothing is kept after a call settles). For metrics and tests.
   */
  get inFlightRefreshes(): number {
    return this.inFlight.sharedCount;
  }

  /**
   * New access and ID tokens for a refresh token: AdminInitiateAuth with
   * `REFRESH_TOKEN_AUTH`. Returns Cognito's whole response, challenge fields
   * included; `AuthenticationResult.RefreshToken` is absent (keep the old one).
   * Concurrent calls with the same token, username, device key and metadata
   * share one Cognito call; each caller gets its own copy of the result.
   *
   * @throws CognitoInputError for a missing or malformed token, or a missing
   *   username on a client with a secret, before any network call.
   * @throws Cognito's own errors unchanged, e.g. `NotAuthorizedException`.
   * @throws CognitoUnavailableError (503), CognitoTimeoutError (504) or
   *   CognitoBadResponseError (502) when Cognito cannot be reached, misses the
   *   deadline or answers something unreadable.
   */
  async refreshTokens(refreshToken: string, options: RefreshTokensOptions = {}): Promise<AdminInitiateAuthCommandOutput> {
    assertToken(refreshToken);
    const { username, deviceKey, clientMetadata } = options;
    const authParameters: Record<string, string> = { REFRESH_TOKEN: refreshToken };
    if (deviceKey !== undefined) authParameters.DEVICE_KEY = checkedString('deviceKey', deviceKey, 55);
    // Checked even when no SECRET_HASH needs it: malformed input is refused the same way on every client.
    if (username !== undefined) checkedString('username', username, MAX_USERNAME_LENGTH);
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
    const key = createHash('sha256')
      .update(JSON.stringify([refreshToken, username ?? null, deviceKey ?? null, clientMetadata ?? null]))
      .digest('hex');
    const output = await this.inFlight.share(key, () =>
      this.send<AdminInitiateAuthCommandOutput>('refreshTokens', command, refreshToken, isRefreshOutput),
    );
    return structuredClone(output);
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
    const checked = checkedString('username', username, MAX_USERNAME_LENGTH);
    return secretHash(this.options.clientSecret!, checked, this.options.clientId);
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
    token?: string,
    isValid?: (output: Output) => boolean,
  ): Promise<Output> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return this.inFlight.track(callCognito<Output>(this.client, command, { operation, timeoutMs, logger: this.logger, token, isValid }));
  }
}

/** A 200 answer without tokens or a challenge is not Cognito's: answered 502, not passed on as a success. */
function isRefreshOutput(output: AdminInitiateAuthCommandOutput): boolean {
  return typeof output?.AuthenticationResult?.AccessToken === 'string' || typeof output?.ChallengeName === 'string';
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
