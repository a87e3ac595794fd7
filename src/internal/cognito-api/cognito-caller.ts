import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { callCognito, type CognitoCallOptions } from './cognito-call';
import { type CognitoSdk, cognitoSdk } from '../../sdk/cognito-sdk';
import { createdCognitoClient, destroyCognitoClient } from './lazy-cognito-client';
import { COGNITO_CLIENT, COGNITO_CLIENT_AT_BOOT, COGNITO_MODULE_OPTIONS } from '../../options/constants';
import type { ResolvedCognitoOptions } from '../../options/cognito-module-options';
import { InFlightCalls } from '../in-flight-calls';

/** Makes one call's command from the SDK (loaded on the first call): `(sdk) => new sdk.GetUserCommand(input)`. */
export type CognitoCommandBuilder = (sdk: CognitoSdk) => { constructor: { name: string } };

/** What a caller says about one call; the deadline and the client are the caller's. */
export type CognitoSendOptions = Pick<CognitoCallOptions, 'token' | 'isValid' | 'expected'> & { logger: Logger };

/**
 * @internal The one way this module calls Cognito: the registration's SDK client,
 * its deadline (`timeoutMs`, retries included), one log line per failed call, and
 * in-flight tracking, so that `app.close()` waits for every call (the service's,
 * the guard's revocation check, the health check) before the client is destroyed.
 */
@Injectable()
export class CognitoCaller implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly calls = new InFlightCalls();

  constructor(
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
    @Optional() @Inject(COGNITO_CLIENT_AT_BOOT) private readonly clientAtBoot = false,
  ) {}

  /**
   * The SDK is loaded on the first call, unless the options call Cognito on their own (the
   * endpoints, the guard's revocation check): then now, so that no request waits for it.
   */
  onModuleInit(): void {
    if (this.clientAtBoot || this.options.jwtSettings.revocationCacheMs !== undefined)
      createdCognitoClient(this.client);
  }

  /**
   * Sends the command `build` makes for the service method `operation`, under the deadline,
   * tracked for shutdown. The command is built from {@link cognitoSdk}, loaded on the first call.
   */
  send<Output>(
    operation: CognitoCallOptions['operation'],
    build: CognitoCommandBuilder,
    options: CognitoSendOptions,
  ): Promise<Output> {
    const command = build(cognitoSdk());
    return this.calls.track(
      callCognito<Output>(createdCognitoClient(this.client), command, {
        operation,
        timeoutMs: this.options.timeoutMs,
        ...options,
      }),
    );
  }

  /** Calls under way (for tests and metrics). */
  get pendingCount(): number {
    return this.calls.pendingCount;
  }

  /** `app.close()` first lets the calls under way finish (each is bounded by `timeoutMs`). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.calls.idle();
  }

  /** Then releases the SDK client's sockets (if it was ever created). */
  onApplicationShutdown(): void {
    destroyCognitoClient(this.client);
  }
}
