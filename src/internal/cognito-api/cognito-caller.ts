import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { callCognito, type CognitoCallOptions } from './cognito-call';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from '../../options/constants';
import type { ResolvedCognitoOptions } from '../../options/cognito-module-options';
import { InFlightCalls } from '../in-flight-calls';

/** What a caller says about one call; the deadline and the client are the caller's. */
export type CognitoSendOptions = Pick<CognitoCallOptions, 'token' | 'isValid' | 'expected'> & { logger: Logger };

/**
 * @internal The one way this module calls Cognito: the registration's SDK client,
 * its deadline (`timeoutMs`, retries included), one log line per failed call, and
 * in-flight tracking, so that `app.close()` waits for every call (the service's,
 * the guard's revocation check, the health check) before the client is destroyed.
 */
@Injectable()
export class CognitoCaller implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly calls = new InFlightCalls();

  constructor(
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
  ) {}

  /** Sends `command` for the service method `operation`, under the deadline, tracked for shutdown. */
  send<Output>(
    operation: CognitoCallOptions['operation'],
    command: { constructor: { name: string } },
    options: CognitoSendOptions,
  ): Promise<Output> {
    return this.calls.track(
      callCognito<Output>(this.client, command, { operation, timeoutMs: this.options.timeoutMs, ...options }),
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

  /** Then releases the SDK client's sockets. */
  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
