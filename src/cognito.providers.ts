import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from './cognito.constants';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { refreshControllerFor } from './cognito-refresh.controller';
import { CognitoSyncService } from './cognito-sync.service';
import { type CognitoModuleExtras, type CognitoModuleOptions, validateCognitoOptions } from './cognito.options';

/** One SDK client per module registration; options are checked here, at startup. */
const clientProvider: Provider = {
  provide: COGNITO_CLIENT,
  inject: [COGNITO_MODULE_OPTIONS],
  useFactory: (options: CognitoModuleOptions) => {
    const { region, endpoint, credentials, clientConfig } = validateCognitoOptions(options);
    return new CognitoIdentityProviderClient({ ...clientConfig, region, endpoint, credentials });
  },
};

/** Adds what the static options ask for to the module that the builder made. */
export function withCognitoFeatures(definition: DynamicModule, extras: CognitoModuleExtras): DynamicModule {
  const { isGlobal, exceptionFilter, refreshController } = extras;
  return {
    ...definition,
    global: isGlobal,
    providers: [
      ...(definition.providers ?? []),
      clientProvider,
      CognitoSyncService,
      ...(exceptionFilter ? [{ provide: APP_FILTER, useClass: CognitoExceptionFilter }] : []),
    ],
    controllers: refreshController ? [refreshControllerFor(refreshController === true ? {} : refreshController)] : [],
    exports: [COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, CognitoSyncService],
  };
}
