import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, DEFAULT_MAX_ATTEMPTS, DEFAULT_REFRESH_PATH } from './cognito.constants';
import { CognitoHealthIndicator } from './cognito-health.indicator';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { refreshControllerAt } from './cognito-refresh.controller';
import { CognitoSyncService } from './cognito-sync.service';
import { type CognitoModuleExtras, type CognitoModuleOptions, validateCognitoOptions } from './cognito.options';

/**
 * One SDK client per module registration; options are checked here, at startup.
 * Retries stay the SDK's standard mode (throttling and transient faults only).
 */
const clientProvider: Provider = {
  provide: COGNITO_CLIENT,
  inject: [COGNITO_MODULE_OPTIONS],
  useFactory: (options: CognitoModuleOptions) => {
    const { region, endpoint, credentials, clientConfig, maxAttempts } = validateCognitoOptions(options);
    return new CognitoIdentityProviderClient({
      retryMode: 'standard',
      ...clientConfig,
      maxAttempts: maxAttempts ?? clientConfig?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      region,
      endpoint,
      credentials,
    });
  },
};

/** Adds what the static options ask for to the module that the builder made. */
export function withCognitoFeatures(definition: DynamicModule, extras: CognitoModuleExtras): DynamicModule {
  const { isGlobal, exceptionFilter, refreshController } = extras;
  const path = (typeof refreshController === 'object' && refreshController.path) || DEFAULT_REFRESH_PATH;
  return {
    ...definition,
    global: isGlobal,
    providers: [
      ...(definition.providers ?? []),
      clientProvider,
      CognitoSyncService,
      CognitoHealthIndicator,
      ...(exceptionFilter ? [{ provide: APP_FILTER, useClass: CognitoExceptionFilter }] : []),
    ],
    controllers: refreshController ? [refreshControllerAt(path)] : [],
    exports: [COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, CognitoSyncService, CognitoHealthIndicator],
  };
}
