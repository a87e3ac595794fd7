import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import { CognitoCaller, type CognitoSdk } from '../internal/cognito-api';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';

/**
 * A health indicator's result, in the shape `@nestjs/terminus` (11 and later)
 * reads from a check function: `{ [key]: { status: 'up' | 'down', ... } }`.
 */
export type CognitoHealthResult = Record<string, { status: 'up' | 'down'; [detail: string]: unknown }>;

/**
 * Tells `@nestjs/terminus` whether the user pool answers: one `DescribeUserPool`
 * call under the module's deadline (the app's AWS role needs
 * `cognito-idp:DescribeUserPool`). Up when Cognito describes the pool; down,
 * with the error's name or code, when it is unreachable, slow, throttling or
 * refuses. Provided and exported by {@link CognitoModule}.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.cognito.isHealthy('cognito')]); }
 * ```
 *
 * It imports nothing from `@nestjs/terminus` (an optional peer): apps without
 * terminus load no part of it.
 */
@Injectable()
export class CognitoHealthIndicator {
  private readonly logger = new Logger('CognitoHealthIndicator');

  constructor(
    private readonly caller: CognitoCaller,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
  ) {}

  /** `{ [key]: { status: 'up' } }`, or `status: 'down'` with `error`: never throws. */
  async isHealthy(key = 'cognito'): Promise<CognitoHealthResult> {
    try {
      const command = (sdk: CognitoSdk) => new sdk.DescribeUserPoolCommand({ UserPoolId: this.options.userPoolId });
      await this.caller.send('healthCheck', command, { logger: this.logger });
      return { [key]: { status: 'up' } };
    } catch (error) {
      const { name, code } = error as { name?: string; code?: string };
      return { [key]: { status: 'down', error: typeof code === 'string' ? code : (name ?? 'Error') } };
    }
  }
}

/** The token of a registration's {@link CognitoHealthIndicator}: the class for the default registration. */
export function getCognitoHealthIndicatorToken(name?: string): string | typeof CognitoHealthIndicator {
  return name === undefined ? CognitoHealthIndicator : `COGNITO:HEALTH:${name}`;
}
