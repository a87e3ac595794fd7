import type { AdminInitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { hash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import { fingerprint, secretHashFor } from '../internal/hashing';
import {
  checkedRefreshToken,
  checkedString,
  checkedUsername,
  type RefreshTokensOptions,
} from '../internal/input-checks';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import { CognitoCaller, type CognitoSdk } from '../internal/cognito-api';
import { InFlightCalls } from '../internal/in-flight-calls';
import { copyJson } from '../internal/json-copy';
import { CognitoSharedRefresh } from './shared-refresh';

/**
 * @internal `CognitoSyncService.refreshTokens`: the refresh call per `refreshFlow`,
 * with concurrent identical refreshes merged into one Cognito call.
 */
@Injectable()
export class CognitoTokenRefresher {
  /** The facade's name: the log lines are the service's. */
  private readonly logger = new Logger('CognitoSyncService');
  /** Identical refreshes under way, keyed by a hash (never a token); nothing is kept once a call settles. */
  private readonly merged = new InFlightCalls();

  constructor(
    private readonly caller: CognitoCaller,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
    private readonly shared: CognitoSharedRefresh,
  ) {}

  get requiresUsername(): boolean {
    return this.options.clientSecret !== undefined && this.options.refreshFlow !== 'getTokensFromRefreshToken';
  }

  get inFlightRefreshes(): number {
    return this.merged.sharedCount;
  }

  async refresh(refreshToken: string, options: RefreshTokensOptions = {}): Promise<AdminInitiateAuthCommandOutput> {
    checkedRefreshToken(refreshToken);
    const { username, deviceKey, clientMetadata } = options;
    if (deviceKey !== undefined) checkedString('deviceKey', deviceKey, 55);
    // Checked even when no SECRET_HASH needs it: malformed input is refused the same way on every client.
    if (username !== undefined) checkedUsername(username);
    const command = this.refreshCommand(refreshToken, options);
    const key =
      tokenKey(refreshToken) +
      hash('sha256', JSON.stringify([username ?? null, deviceKey ?? null, clientMetadata ?? null]), 'base64');
    const call = () =>
      this.caller
        .send<AdminInitiateAuthCommandOutput>('refreshTokens', command, {
          logger: this.logger,
          token: refreshToken,
          isValid: isRefreshOutput,
        })
        .catch((error: Error) => {
          if (error.name === 'RefreshTokenReuseException') {
            // Once per shared call. Only the fingerprint: enough to find the session in other logs.
            this.logger.warn(
              `Rotated-out refresh token used again, possible token theft: token=${fingerprint(refreshToken)}`,
            );
          }
          throw error;
        });
    // With sharedRefresh, the merged call is itself shared with the other instances. Each
    // caller its own copy when a merged call hands one result to several callers (the
    // answer is JSON data, as the SDK parsed it: the guard's copy helper serves).
    return this.merged.share(
      key,
      this.shared.enabled
        ? () => this.shared.run(refreshToken, [username ?? null, deviceKey ?? null, clientMetadata ?? null], call)
        : call,
      copyJson,
    );
  }

  /**
   * After a sign-out of `refreshToken`: no later refresh of it joins a call that started
   * before (on this instance), nor gets an answer another instance shared (sharedRefresh).
   */
  async signedOut(refreshToken: string): Promise<void> {
    this.merged.forget(tokenKey(refreshToken));
    if (this.shared.enabled) await this.shared.signedOut(refreshToken);
  }

  /** AdminInitiateAuth (with SECRET_HASH), or GetTokensFromRefreshToken (with the raw secret), per `refreshFlow`. */
  private refreshCommand(refreshToken: string, { username, deviceKey, clientMetadata }: RefreshTokensOptions) {
    const { clientId, clientSecret, userPoolId, refreshFlow } = this.options;
    if (refreshFlow === 'getTokensFromRefreshToken') {
      // GetTokensFromRefreshToken's answer is a subset of AdminInitiateAuth's: the same shape.
      return (sdk: CognitoSdk) =>
        new sdk.GetTokensFromRefreshTokenCommand({
          RefreshToken: refreshToken,
          ClientId: clientId,
          ClientSecret: clientSecret,
          DeviceKey: deviceKey,
          ClientMetadata: clientMetadata,
        });
    }
    const authParameters: Record<string, string> = { REFRESH_TOKEN: refreshToken };
    if (deviceKey !== undefined) authParameters.DEVICE_KEY = deviceKey;
    if (clientSecret !== undefined) authParameters.SECRET_HASH = secretHashFor(this.options, username);
    return (sdk: CognitoSdk) =>
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: authParameters,
        ClientMetadata: clientMetadata,
      });
  }
}

/** The start of every merged call's key for a token: a hash, never the token. */
function tokenKey(refreshToken: string): string {
  return `${hash('sha256', refreshToken, 'base64')}:`;
}

/** A 200 answer without tokens or a challenge is not Cognito's: answered 502, not passed on as a success. */
function isRefreshOutput(output: AdminInitiateAuthCommandOutput): boolean {
  return typeof output?.AuthenticationResult?.AccessToken === 'string' || typeof output?.ChallengeName === 'string';
}
